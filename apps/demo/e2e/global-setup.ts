/**
 * Starts the real AgentStream server the way the README does (`node apps/server/dist/main.js`),
 * on a free port, serving the built demo; stops it after the run. The tests get its URL with
 * `inject("baseURL")` and its process id with `inject("serverPid")`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    /** The server's process id: a test may freeze it (SIGSTOP) while a page reloads. */
    serverPid: number;
  }
}

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
const serverMain = join(root, "apps/server/dist/main.js");
const demoIndex = join(root, "apps/demo/dist/index.html");

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => ok(port));
    });
  });
}

async function waitForHealthy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`The server exited with code ${child.exitCode} before it was ready:\n${output()}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`The server did not answer ${url}/healthz within 30 s:\n${output()}`);
}

let child: ChildProcess | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const missing = [
    [serverMain, "apps/server/dist"],
    [demoIndex, "apps/demo/dist"],
  ].filter(([file]) => !existsSync(file as string));
  if (missing.length > 0) {
    throw new Error(
      `e2e: ${missing.map(([, name]) => name).join(" and ")} missing. Build first, at the repository root:\n` +
        "  pnpm exec turbo run build\nthen run: pnpm exec vitest run --project e2e",
    );
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = "";
  child = spawn(process.execPath, [serverMain], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      AGENTSTREAM_LOG_LEVEL: process.env.AGENTSTREAM_LOG_LEVEL ?? "warn",
      COPILOTKIT_TELEMETRY_DISABLED: "true",
      DO_NOT_TRACK: "1",
      // The embedded agents at the pace a user sees with `pnpm start`.
      AGENTSTREAM_PACE_MS: process.env.AGENTSTREAM_PACE_MS ?? "30",
      AGENTSTREAM_SHUTDOWN_TIMEOUT_MS: "2000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (data: Buffer) => {
    log = (log + data.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  await waitForHealthy(url, child, () => log);
  const page = await fetch(`${url}/`);
  const html = await page.text();
  if (!page.ok || !html.includes('id="root"')) {
    throw new Error(`The server at ${url}/ does not serve the demo (status ${page.status}).`);
  }
  console.log(`[e2e] AgentStream server (apps/server/dist/main.js) on ${url}`);
  project.provide("baseURL", url);
  if (child.pid === undefined) throw new Error("The server process has no pid");
  project.provide("serverPid", child.pid);

  return async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((r) => proc.once("exit", () => r()));
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 12_000);
    await exited;
    clearTimeout(timer);
  };
}
