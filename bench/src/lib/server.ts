/**
 * Starts the benchmark server (../server/serve.ts) in a child process: bundled with esbuild
 * (workspace packages from source, npm packages external) and run by plain Node, so the
 * server's memory and CPU are measured alone, without a TypeScript loader.
 *
 * @packageDocumentation
 */
import { type ChildProcess, fork } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { benchDir, cachePath, SOURCE_CONDITION } from "./build.js";

/** Statistics the server reports about itself. */
export interface ServerStats {
  rss: number;
  heapUsed: number;
  /** Peak RSS of the process so far (getrusage). */
  maxRss: number;
  /** CPU time (user + system) so far, in microseconds. */
  cpuUs: number;
  /** Generator runs in flight. */
  active: number;
}

/** A running benchmark server. */
export interface BenchServer {
  url: string;
  /** CopilotKit's route with CopilotKit's own InMemoryAgentRunner, in the same process (same agents). */
  inmemoryUrl: string;
  /** The fetch handler alone behind its Node adapter on a bare node:http server (no Express). */
  handlerUrl: string;
  pid: number;
  stats(): Promise<ServerStats>;
  /** RSS of the child read from /proc (independent of the child's event loop); NaN when unavailable. */
  procRss(): number;
  /** Runs a full garbage collection in the server (so one sample's garbage is not collected on the next one's clock). */
  gc(): Promise<void>;
  /** Makes sure the server has the workload of `n` events ready (outside measurements). */
  prepare(n: number): Promise<void>;
  close(): Promise<void>;
}

let bundled: Promise<string> | undefined;

/** Bundles serve.ts once per process. */
function bundle(): Promise<string> {
  bundled ??= (async () => {
    const outfile = cachePath("server", "serve.mjs");
    await esbuild.build({
      entryPoints: [join(benchDir, "src/server/serve.ts")],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      conditions: [SOURCE_CONDITION],
      logLevel: "error",
      // npm packages stay external and load from bench/node_modules (bench depends on the
      // same versions the runtime does); the runtime's own small deps are bundled.
      external: ["@copilotkit/*", "@ag-ui/*", "rxjs", "rxjs/*", "express", "zod", "react", "react-dom"],
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
    return outfile;
  })();
  return bundled;
}

function once<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off("message", on);
      reject(new Error(`bench server: no "${type}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (msg: { type: string }) => {
      if (msg.type !== type) return;
      clearTimeout(timer);
      child.off("message", on);
      resolve(msg as T);
    };
    child.on("message", on);
  });
}

/** Starts a fresh server process. */
export async function startServer(): Promise<BenchServer> {
  const file = await bundle();
  const child = fork(file, [], {
    cwd: benchDir,
    // BENCH_SERVER_CPU_PROF=dir: the server child writes a V8 CPU profile there when it stops.
    execArgv: process.env.BENCH_SERVER_CPU_PROF
      ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_SERVER_CPU_PROF]
      : [],
    env: { ...process.env, COPILOTKIT_TELEMETRY_DISABLED: "true", DO_NOT_TRACK: "1", NODE_ENV: "production" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  let ready: { url: string; inmemoryUrl: string; handlerUrl: string };
  try {
    ready = await Promise.race([
      once<{ url: string; inmemoryUrl: string; handlerUrl: string }>(child, "ready", 60_000),
      exited.then(() => {
        throw new Error("bench server exited before it was ready");
      }),
    ]);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  const pid = child.pid as number;
  const statusFile = `/proc/${pid}/status`;
  return {
    url: ready.url,
    inmemoryUrl: ready.inmemoryUrl,
    handlerUrl: ready.handlerUrl,
    pid,
    async stats() {
      const p = once<ServerStats>(child, "stats", 30_000);
      child.send({ type: "stats" });
      return p;
    },
    procRss() {
      try {
        if (!existsSync(statusFile)) return Number.NaN;
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(statusFile, "utf8"));
        return m ? Number(m[1]) * 1024 : Number.NaN;
      } catch {
        return Number.NaN;
      }
    },
    async gc() {
      const p = once(child, "collected", 30_000);
      child.send({ type: "gc" });
      await p;
    },
    async prepare(n) {
      const p = once(child, "prepared", 30_000);
      child.send({ type: "prepare", n });
      await p;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: "stop" });
      const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
