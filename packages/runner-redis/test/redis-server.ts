/**
 * A real redis-server for tests: installed with apt-get when missing (Debian's package, about
 * 5 s), started on a free loopback port without persistence, stopped after.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";

const REDIS_SERVER = "/usr/bin/redis-server";

/** Installs Debian's redis-server when it is missing. */
export function ensureRedisServer(): string {
  if (existsSync(REDIS_SERVER)) return REDIS_SERVER;
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
  const apt = (args: string[]) =>
    spawnSync(sudo.length ? "sudo" : "apt-get", sudo.length ? ["apt-get", ...args] : args, {
      stdio: "inherit",
    });
  if (apt(["install", "-y", "-qq", "--no-install-recommends", "redis-server"]).status !== 0) {
    apt(["update", "-qq"]);
    apt(["install", "-y", "-qq", "--no-install-recommends", "redis-server"]);
  }
  if (!existsSync(REDIS_SERVER))
    throw new Error("could not install redis-server (apt-get install -y redis-server)");
  return REDIS_SERVER;
}

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A redis-server process. */
export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** Kills the server (SIGKILL). */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: no persistence). */
  restart(): Promise<void>;
  /** Stops it for good. */
  stop(): Promise<void>;
}

/** Starts redis-server on a free loopback port with `--save "" --appendonly no`. */
export async function startRedis(port?: number): Promise<TestRedis> {
  const bin = ensureRedisServer();
  const p = port ?? (await freePort());
  let child: ChildProcess | undefined;
  const launch = async () => {
    const c = spawn(bin, ["--port", String(p), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = c;
    await new Promise<void>((resolve, reject) => {
      let out = "";
      const onData = (d: Buffer) => {
        out += d.toString();
        if (out.includes("Ready to accept connections")) {
          c.stdout?.off("data", onData);
          resolve();
        }
      };
      c.stdout?.on("data", onData);
      c.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
    });
    c.stdout?.resume();
    c.stderr?.resume();
  };
  const kill = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGKILL");
    await exited;
  };
  await launch();
  return {
    port: p,
    url: `redis://127.0.0.1:${p}`,
    kill,
    restart: launch,
    stop: kill,
  };
}

/** `redis-cli` against a test server (for assertions). */
export function redisCli(port: number, ...args: string[]): string {
  return execFileSync("redis-cli", ["-p", String(port), ...args])
    .toString()
    .trim();
}
