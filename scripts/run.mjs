#!/usr/bin/env node
/**
 * The front door: `npm start` / `pnpm start` and `npm test` / `pnpm test` both land here.
 *
 * On a fresh machine with only Node 20 and npm it installs what is missing (pnpm, the
 * workspace's packages, and for tests Debian's Chromium, redis-server and tmux), builds, then starts the server or runs
 * every test suite and ends with one line `N passed, N failed`.
 *
 * Usage: node scripts/run.mjs start | test
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PNPM_VERSION = "12.21.0";
const CHROMIUM = "/usr/bin/chromium";
const REDIS_SERVER = "/usr/bin/redis-server";

process.env.COPILOTKIT_TELEMETRY_DISABLED ??= "true";
process.env.DO_NOT_TRACK ??= "1";
process.env.TURBO_TELEMETRY_DISABLED ??= "1";
process.env.STORYBOOK_DISABLE_TELEMETRY ??= "1";
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

const log = (message) => console.log(`\x1b[36m[agentstream]\x1b[0m ${message}`);

/** Runs a command in the repository root; returns its exit code. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function must(command, args, options) {
  const code = run(command, args, options);
  if (code !== 0) {
    console.error(`[agentstream] ${command} ${args.join(" ")} failed with exit code ${code}`);
    process.exit(code);
  }
}

function hasCommand(command, args = ["--version"]) {
  try {
    return execFileSync(command, args, { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

/** pnpm at the pinned version, installed globally with npm when missing. */
function ensurePnpm() {
  const version = hasCommand("pnpm");
  if (version === PNPM_VERSION) return;
  log(version ? `pnpm ${version} found; installing pnpm@${PNPM_VERSION}` : `installing pnpm@${PNPM_VERSION}`);
  must("npm", ["install", "-g", `pnpm@${PNPM_VERSION}`, "--no-fund", "--no-audit", "--loglevel=error"]);
}

/** The workspace's packages, installed from the lockfile when it changed since the last install. */
function ensureDependencies() {
  const marker = join(root, "node_modules", ".modules.yaml");
  const lockfile = join(root, "pnpm-lock.yaml");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lockfile).mtimeMs) return;
  log("installing packages (pnpm install --frozen-lockfile)");
  must("pnpm", ["install", "--frozen-lockfile"]);
}

/**
 * A Debian package the tests need, installed with apt-get when `binary` is missing (the package
 * lists are refreshed only when the first install fails). Exits with a clear line when it cannot.
 */
function ensureDebian(binary, packages, why) {
  if (existsSync(binary)) return;
  log(`installing ${packages[0]} (apt-get install ${packages.join(" ")})`);
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
  const apt = (args) => (sudo.length ? run("sudo", ["apt-get", ...args]) : run("apt-get", args));
  const install = () => apt(["install", "-y", "-qq", "--no-install-recommends", ...packages]);
  let code = install();
  if (code !== 0) {
    apt(["update", "-qq"]);
    code = install();
  }
  if (code !== 0 || !existsSync(binary)) {
    console.error(`[agentstream] could not install ${packages[0]}; ${why} need ${binary}`);
    process.exit(1);
  }
}

/** What the test suites need from Debian: Chromium (browser tests; the only browser this network can install), redis-server (the Redis runner's tests start their own), tmux (the terminal client's redraw test). */
function ensureTestPackages() {
  ensureDebian(CHROMIUM, ["chromium", "fonts-dejavu-core"], "browser tests");
  ensureDebian(REDIS_SERVER, ["redis-server"], "the Redis runner's tests");
  ensureDebian("/usr/bin/tmux", ["tmux"], "the terminal client's redraw test");
}

function build() {
  log("building (turbo run build)");
  must("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
}

/** One test suite step that is not vitest: counted as one passed or failed check. */
function check(name, command, args) {
  log(`check: ${name}`);
  const code = run(command, args);
  return { name, ok: code === 0 };
}

function readVitestCounts(file) {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, "utf8"));
  return {
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    failedSuites: report.numFailedTestSuites ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

function test() {
  ensurePnpm();
  ensureDependencies();
  ensureTestPackages();
  build();
  const checks = [
    check("typecheck", "pnpm", ["exec", "turbo", "run", "typecheck", "--output-logs=errors-only"]),
    check("lint (biome)", "pnpm", ["exec", "biome", "check", "."]),
    check("storybook static build", "pnpm", ["run", "build-storybook", "--quiet"]),
    check("size budgets (size-limit, .size-limit.js)", "pnpm", ["exec", "size-limit"]),
  ];
  mkdirSync(join(root, "test-results"), { recursive: true });
  const reportFile = join(root, "test-results", "vitest.json");
  rmSync(reportFile, { force: true }); // a crashed run must not be counted with an old report
  log("running the test suites (vitest, all projects)");
  const vitestCode = run("pnpm", [
    "exec",
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${reportFile}`,
  ]);
  const counts = readVitestCounts(reportFile);
  const passed = counts?.passed ?? 0;
  let failed = counts?.failed ?? 0;
  if (vitestCode !== 0 && failed === 0) failed += Math.max(1, counts?.failedSuites ?? 1);
  // Checks (typecheck, lint, Storybook build) are not tests: they are reported on their own line and
  // never add to "passed"; a failed check counts as a failure, so the run is red.
  const failedChecks = checks.filter((c) => !c.ok);
  for (const c of checks) log(`check ${c.ok ? "ok" : "FAILED"}: ${c.name}`);
  log(`checks: ${checks.length - failedChecks.length} ok, ${failedChecks.length} failed`);
  failed += failedChecks.length;
  console.log(`${passed} passed, ${failed} failed${counts?.skipped ? `, ${counts.skipped} skipped` : ""}`);
  process.exit(failed === 0 ? 0 : 1);
}

function start() {
  ensurePnpm();
  ensureDependencies();
  build();
  const child = spawn(process.execPath, [join(root, "apps", "server", "dist", "main.js")], {
    cwd: root,
    stdio: "inherit",
    env: process.env,
  });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => process.exit(code ?? 0));
}

const command = process.argv[2];
if (command === "test") test();
else if (command === "start") start();
else {
  console.error("usage: node scripts/run.mjs start | test");
  process.exit(2);
}
