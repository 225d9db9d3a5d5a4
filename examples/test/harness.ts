/**
 * What the example tests share: our packages built and packed as npm would publish them, an
 * example copied out of the repository (no workspace around it) and installed with npm from those
 * tarballs, servers started on free ports (their process groups killed afterwards), Chromium
 * pages that record console errors and any request leaving this machine, and the timings of each
 * phase (printed at the end).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, openRecordedPage, type RecordedPage } from "../../browser.shared.js";

const here = dirname(fileURLToPath(import.meta.url));
export const examplesDir = resolve(here, "..");
export const repoRoot = resolve(examplesDir, "..");

/** The environment of every command: no pnpm or npm settings of the workspace leak into npm or the apps. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|VITEST|TEST$|NODE_ENV$|NODE_OPTIONS$|INIT_CWD$)/i.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    NEXT_TELEMETRY_DISABLED: "1",
    COPILOTKIT_TELEMETRY_DISABLED: "true",
    DO_NOT_TRACK: "1",
    npm_config_update_notifier: "false",
    ...extra,
  };
}

/** `KEEP_EXAMPLES=1` keeps the installed copies for a look afterwards (only read by this test). */
const keepExamples = Boolean(Object.entries(process.env).find(([key]) => key === "KEEP_EXAMPLES")?.[1]);

/** Time spent per phase, per example. */
const timings: { example: string; phase: string; ms: number }[] = [];

export async function timed<T>(example: string, phase: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    timings.push({ example, phase, ms: Math.round(performance.now() - t0) });
  }
}

export function printTimings(example: string): void {
  const mine = timings.filter((t) => t.example === example);
  if (mine.length === 0) return;
  const total = mine.reduce((sum, t) => sum + t.ms, 0);
  const lines = mine.map((t) => `  ${t.phase.padEnd(34)} ${(t.ms / 1000).toFixed(1).padStart(6)} s`);
  console.log(`[examples] ${example}: ${(total / 1000).toFixed(1)} s\n${lines.join("\n")}`);
}

/** Runs a command to its end; rejects with its output when it fails. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: cleanEnv(options.env),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    tracked.add(child);
    let output = "";
    child.stdout?.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      output += d.toString();
    });
    const timer = setTimeout(() => {
      killGroup(child, "SIGKILL");
      reject(
        new Error(
          `${command} ${args.join(" ")} timed out after ${options.timeoutMs} ms\n${output.slice(-4000)}`,
        ),
      );
    }, options.timeoutMs ?? 600_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      tracked.delete(child);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      tracked.delete(child);
      if (code === 0) resolvePromise(output);
      else
        reject(
          new Error(
            `${command} ${args.join(" ")} (in ${options.cwd}) exited with ${code ?? signal}\n${output.slice(-6000)}`,
          ),
        );
    });
  });
}

/** Every child still running: killed (whole process group) when the test process exits. */
const tracked = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

process.once("exit", () => {
  for (const child of tracked) killGroup(child, "SIGKILL");
});

/** Where an example is installed: a temporary folder with `packs/` and the example's copy side by side. */
export interface Workspace {
  /** The temporary folder (removed by {@link Workspace.remove}). */
  root: string;
  /** The example's copy: `<root>/<name>`. */
  dir: string;
  /** The packed tarballs, by package name. */
  tarballs: Record<string, string>;
  remove(): void;
}

/**
 * Builds our packages (turbo; cached when nothing changed), packs them into `<tmp>/packs`, copies
 * `examples/<name>` to `<tmp>/<name>` without anything generated, and points its `@agentstream/*`
 * dependencies at the tarballs (`file:../packs/agentstream-<pkg>.tgz`).
 */
export async function prepare(name: string): Promise<Workspace> {
  await timed(name, "build packages (turbo)", () =>
    run(
      "pnpm",
      [
        "exec",
        "turbo",
        "run",
        "build",
        "--filter=@agentstream/react",
        "--filter=@agentstream/agents",
        "--output-logs=errors-only",
      ],
      { cwd: repoRoot, timeoutMs: 600_000 },
    ),
  );
  const root = mkdtempSync(join(tmpdir(), `agentstream-example-${name}-`));
  const packs = join(root, "packs");
  const output = await timed(name, "pack packages (pnpm pack)", () =>
    run(process.execPath, [join(examplesDir, "pack.mjs"), packs], { cwd: repoRoot, timeoutMs: 120_000 }),
  );
  const tarballs: Record<string, string> = {};
  for (const line of output.split("\n")) {
    const match = /^(@agentstream\/[\w-]+) -> (.+\.tgz)$/.exec(line.trim());
    if (match?.[1] && match[2]) tarballs[match[1]] = match[2];
  }
  const dir = join(root, name);
  const generated = new Set(["node_modules", ".next", "dist", "package-lock.json", "next-env.d.ts"]);
  cpSync(join(examplesDir, name), dir, {
    recursive: true,
    filter: (source) => !generated.has(basename(source)),
  });
  const manifestPath = join(dir, "package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<
    string,
    Record<string, string> | undefined
  >;
  for (const field of ["dependencies", "devDependencies"]) {
    const deps = manifest[field];
    if (!deps) continue;
    for (const pkg of Object.keys(deps)) {
      if (!pkg.startsWith("@agentstream/")) continue;
      const tarball = tarballs[pkg];
      if (!tarball) throw new Error(`examples/${name} depends on ${pkg}, which pack.mjs does not pack`);
      deps[pkg] = `file:../packs/${basename(tarball)}`;
    }
  }
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return {
    root,
    dir,
    tarballs,
    remove() {
      if (keepExamples) {
        console.log(`[examples] kept ${root} (KEEP_EXAMPLES is set)`);
        return;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** `npm install` as a user runs it (npm's cache is used; no workspace links). */
export async function npmInstall(name: string, ws: Workspace): Promise<void> {
  await timed(name, "npm install", () =>
    run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
      cwd: ws.dir,
      timeoutMs: 600_000,
    }),
  );
  // What the user got are the packed tarballs, not links into this repository.
  for (const pkg of Object.keys(ws.tarballs)) {
    const installed = join(ws.dir, "node_modules", pkg, "package.json");
    if (!existsSync(installed)) continue;
    const { version } = JSON.parse(readFileSync(installed, "utf8")) as { version: string };
    if (!version) throw new Error(`${pkg} installed without a version`);
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolvePromise(address.port);
        else reject(new Error("no port"));
      });
    });
  });
}

/** A server an example started. */
export interface RunningServer {
  url: string;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the first line of its output matching `re` (waits up to `timeoutMs`). */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM to its process group, SIGKILL after 5 s. */
  stop(): Promise<void>;
}

/** Starts a long-running command (detached: its own process group) and waits until `readyPath` answers. */
export async function startServer(
  command: string,
  args: string[],
  options: {
    cwd: string;
    port: number;
    env?: Record<string, string>;
    readyPath?: string;
    timeoutMs?: number;
  },
): Promise<RunningServer> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: cleanEnv({ PORT: String(options.port), HOST: "127.0.0.1", ...options.env }),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  tracked.add(child);
  let output = "";
  const listeners = new Set<() => void>();
  const append = (d: Buffer) => {
    output += d.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<void>((resolvePromise) => {
    child.once("exit", () => {
      tracked.delete(child);
      resolvePromise();
    });
  });
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${command} ${args.join(" ")} exited before it answered:\n${output.slice(-4000)}`);
    try {
      const res = await fetch(`${url}${options.readyPath ?? "/"}`, { signal: AbortSignal.timeout(5000) });
      await res.body?.cancel();
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      killGroup(child, "SIGKILL");
      throw new Error(`${command} ${args.join(" ")} did not answer on ${url}:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    output: () => output,
    waitForLine(re, timeoutMs = 10_000) {
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          const line = output.split("\n").find((l) => re.test(l));
          if (line === undefined) return false;
          listeners.delete(listener);
          clearTimeout(timer);
          resolvePromise(line);
          return true;
        };
        const listener = () => void check();
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`no line matching ${re} in the server's output:\n${output.slice(-3000)}`));
        }, timeoutMs);
        listeners.add(listener);
        check();
      });
    },
    async stop() {
      killGroup(child, "SIGTERM");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export { launchBrowser, type RecordedPage };

/** A page at the size the examples are checked at, recording console errors and outside requests. */
export function openPage(browser: Browser): Promise<RecordedPage> {
  return openRecordedPage(browser, { viewport: { width: 1280, height: 900 } });
}

/** One observation of the run panel (`RunPanel` of the next-app and vite-react examples). */
export interface PanelSample {
  /** ms since the observer was installed */
  t: number;
  /** The numbers streamed so far (the counter agent's tokens). */
  tokens: number;
  status: string;
  connection: string;
}

/** Records every change of the panel (MutationObserver: no polling, nothing missed). */
export async function observePanel(page: Page): Promise<void> {
  await page.evaluate(() => {
    type W = typeof window & { __obs?: MutationObserver; __samples?: unknown[] };
    const w = window as W;
    w.__obs?.disconnect();
    const samples: { t: number; tokens: number; status: string; connection: string }[] = [];
    w.__samples = samples;
    const t0 = performance.now();
    const read = () => {
      const text = document.querySelector("[data-testid=stream] .as-text")?.textContent ?? "";
      const tokens = text.trim() === "" ? 0 : text.trim().split(/\s+/).length;
      const status = document.querySelector("[data-testid=run-status]")?.getAttribute("data-state") ?? "";
      const connection = document.querySelector("[data-testid=connection]")?.textContent ?? "";
      const last = samples[samples.length - 1];
      if (!last || last.tokens !== tokens || last.status !== status || last.connection !== connection)
        samples.push({ t: Math.round(performance.now() - t0), tokens, status, connection });
    };
    w.__obs = new MutationObserver(read);
    w.__obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    read();
  });
}

export function panelSamples(page: Page): Promise<PanelSample[]> {
  return page.evaluate(() => (window as typeof window & { __samples?: PanelSample[] }).__samples ?? []);
}

/** The counter's numbers as the panel shows them. */
export async function panelTokens(page: Page): Promise<number[]> {
  const text = (await page.locator("[data-testid=stream] .as-text").first().textContent()) ?? "";
  return text
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => Number(word));
}

/** Waits until the panel shows at least `n` of the counter's numbers. */
export async function waitForTokens(page: Page, n: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (min) => {
      const text = document.querySelector("[data-testid=stream] .as-text")?.textContent ?? "";
      return text.trim().split(/\s+/).filter(Boolean).length >= min;
    },
    n,
    { timeout },
  );
}

export async function waitForState(
  page: Page,
  testId: string,
  value: string,
  timeout = 30_000,
): Promise<void> {
  await page.waitForFunction(
    ([id, v]) => {
      const el = document.querySelector(`[data-testid=${id}]`);
      return (el?.getAttribute("data-state") ?? el?.textContent) === v;
    },
    [testId, value] as const,
    { timeout },
  );
}

/** 1, 2, …, n exactly: no number missing, none twice (a replay after a reload must not repeat). */
export function isCount(tokens: number[]): boolean {
  return tokens.length > 0 && tokens.every((n, i) => n === i + 1);
}
