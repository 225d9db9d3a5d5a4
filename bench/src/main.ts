/**
 * `pnpm bench`: runs the suites, prints a table per suite, and writes BENCHMARKS.md at the
 * repository root (full runs of every suite only).
 *
 *   pnpm bench [--smoke] [--only fold,parse,...] [--json file] [--no-write]
 *
 * `--smoke` (or BENCH_SMOKE=1): tiny sizes, one repetition, no BENCHMARKS.md.
 *
 * @packageDocumentation
 */
process.env.COPILOTKIT_TELEMETRY_DISABLED = "true";
process.env.DO_NOT_TRACK = "1";
// The production paths of every library (the AG-UI client skips its dev-only deep freezing).
process.env.NODE_ENV = "production";

import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { benchDir } from "./lib/build.js";
import { readEnvironment } from "./lib/env.js";
import { markdownReport, printSuite } from "./lib/report.js";
import type { Suite, SuiteResult } from "./lib/types.js";
import { SUITES } from "./suites/index.js";

interface Args {
  smoke: boolean;
  only: string[] | undefined;
  json: string | undefined;
  write: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    smoke: process.env.BENCH_SMOKE === "1",
    only: undefined,
    json: undefined,
    write: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--") continue;
    if (a === "--smoke") args.smoke = true;
    else if (a === "--no-write") args.write = false;
    else if (a === "--only" || a.startsWith("--only="))
      args.only = (a.includes("=") ? a.split("=")[1] : argv[++i])
        ?.split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    else if (a === "--json" || a.startsWith("--json="))
      args.json = a.includes("=") ? a.split("=")[1] : argv[++i];
    else if (a === "--help" || a === "-h") {
      console.log(
        `pnpm bench [--smoke] [--only ${SUITES.map((s) => s.id).join(",")}] [--json file] [--no-write]`,
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const suites: Suite[] = args.only ? SUITES.filter((s) => args.only?.includes(s.id)) : SUITES;
  if (args.only && suites.length !== args.only.length) {
    throw new Error(
      `unknown suite in --only ${args.only.join(",")}; known: ${SUITES.map((s) => s.id).join(", ")}`,
    );
  }
  const env = readEnvironment();
  const started = performance.now();
  const log = (line: string) =>
    process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
  log(
    `${args.smoke ? "smoke run" : "full run"}: ${suites.map((s) => s.id).join(", ")} on ${env.cpu} × ${env.cores}, load ${env.loadAtStart.join(" ")}`,
  );

  const results: SuiteResult[] = [];
  const failures: { id: string; error: unknown }[] = [];
  for (const suite of suites) {
    log(`suite ${suite.id} …`);
    const t0 = performance.now();
    try {
      const result = await suite.run({ smoke: args.smoke, log });
      results.push(result);
      console.log(printSuite(result, args.smoke));
      log(`suite ${suite.id} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (error) {
      failures.push({ id: suite.id, error });
      log(
        `suite ${suite.id} FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }
  const durationS = (performance.now() - started) / 1000;

  if (args.json) {
    writeFileSync(
      args.json,
      JSON.stringify(
        {
          smoke: args.smoke,
          env,
          results,
          failures: failures.map((f) => ({ id: f.id, error: String(f.error) })),
        },
        null,
        2,
      ),
    );
  }
  const complete = !args.smoke && !args.only && failures.length === 0;
  if (args.write && complete) {
    const file = join(benchDir, "..", "BENCHMARKS.md");
    const md = markdownReport(env, results, {
      durationS,
      loadAtEnd: loadavg().map((x) => Math.round(x * 100) / 100),
      command: "pnpm bench",
    });
    writeFileSync(file, md);
    log(`wrote ${file}`);
  } else if (args.write && !args.smoke && !args.only) {
    log("BENCHMARKS.md not written: a suite failed");
  }
  const missed = args.smoke
    ? []
    : results.flatMap((r) => r.targets.filter((t) => !t.pass).map((t) => `${r.id}: ${t.label}`));
  log(
    `finished in ${durationS.toFixed(1)} s: ${results.length} suites ok, ${failures.length} failed, ${missed.length} targets missed${missed.length ? ` (${missed.join("; ")})` : ""}`,
  );
  if (failures.length) process.exitCode = 1;
}

await main();
