/**
 * Runs every benchmark suite in smoke mode (`--smoke`: tiny sizes, one repetition, no
 * BENCHMARKS.md) in a child process, the way `pnpm bench --smoke` does, and checks only that
 * each suite finished and produced finite figures. Nothing here asserts a time or a threshold.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const benchDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const tmp = mkdtempSync(join(tmpdir(), "agentstream-bench-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Report {
  smoke: boolean;
  results: { id: string; figures: Record<string, number>; tables: { rows: string[][] }[] }[];
  failures: { id: string; error: string }[];
}

function runSmoke(
  suite: string,
): Promise<{ code: number | null; report: Report | undefined; output: string }> {
  const json = join(tmp, `${suite}.json`);
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      COPILOTKIT_TELEMETRY_DISABLED: "true",
      DO_NOT_TRACK: "1",
    };
    // vitest sets NODE_ENV=test and VITEST_*; the bench sets its own NODE_ENV.
    delete env.NODE_ENV;
    for (const key of Object.keys(env)) if (key.startsWith("VITEST")) delete env[key];
    const child = spawn(
      process.execPath,
      [
        "--conditions=@agentstream/source",
        "--import",
        "tsx",
        "src/main.ts",
        "--smoke",
        "--only",
        suite,
        "--json",
        json,
      ],
      { cwd: benchDir, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      let report: Report | undefined;
      try {
        report = JSON.parse(readFileSync(json, "utf8")) as Report;
      } catch {
        report = undefined;
      }
      resolve({ code, report, output });
    });
  });
}

describe("bench smoke (every suite runs and yields finite figures)", () => {
  for (const suite of [
    "fold",
    "parse",
    "server",
    "concurrency",
    "render",
    "bundle",
    "runner",
    "longrun",
    "rate",
  ]) {
    it(`${suite}`, async () => {
      const { code, report, output } = await runSmoke(suite);
      expect(report, output).toBeDefined();
      expect(report?.failures, output).toEqual([]);
      expect(code, output).toBe(0);
      expect(report?.smoke).toBe(true);
      const result = report?.results.find((r) => r.id === suite);
      expect(result, output).toBeDefined();
      const figures = Object.entries(result?.figures ?? {});
      expect(figures.length).toBeGreaterThan(0);
      for (const [name, value] of figures)
        expect(Number.isFinite(value), `${suite}.${name} = ${value}`).toBe(true);
      expect(result?.tables.some((t) => t.rows.length > 0)).toBe(true);
    });
  }
});
