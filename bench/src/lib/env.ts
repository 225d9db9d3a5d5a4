/**
 * The machine, versions and date a run was measured on.
 *
 * @packageDocumentation
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, freemem, loadavg, type as osType, release, totalmem } from "node:os";
import { join } from "node:path";
import { benchDir } from "./build.js";

/** What the report's header shows. */
export interface RunEnvironment {
  date: string;
  cpu: string;
  cores: number;
  memory: string;
  os: string;
  node: string;
  loadAtStart: number[];
  commit: string;
  versions: Record<string, string>;
}

const require = createRequire(join(benchDir, "package.json"));

/** Installed version of a package as bench resolves it ("?" when it cannot be read). */
export function packageVersion(name: string): string {
  const tryRead = (file: string) => (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version;
  try {
    return tryRead(join(benchDir, "node_modules", name, "package.json")) ?? "?";
  } catch {
    try {
      return tryRead(require.resolve(`${name}/package.json`)) ?? "?";
    } catch {
      return "?";
    }
  }
}

function gitCommit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: benchDir,
      encoding: "utf8",
    }).trim();
    const dirty =
      execFileSync("git", ["status", "--porcelain"], { cwd: benchDir, encoding: "utf8" }).trim() !== "";
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return "?";
  }
}

/** Reads the environment. */
export function readEnvironment(): RunEnvironment {
  const c = cpus();
  const names = [
    "@agentstream/core",
    "@agentstream/runtime",
    "@agentstream/react",
    "@ag-ui/client",
    "@copilotkit/runtime",
    "@copilotkit/react-core",
    "@assistant-ui/react",
    "streamdown",
    "react",
    "react-dom",
    "rxjs",
    "esbuild",
    "playwright-core",
  ];
  return {
    date: new Date().toISOString(),
    cpu: c[0]?.model.trim() ?? "?",
    cores: c.length,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} GiB free at start)`,
    os: `${osType()} ${release()}`,
    node: process.version,
    loadAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    commit: gitCommit(),
    versions: Object.fromEntries(names.map((n) => [n, packageVersion(n)])),
  };
}
