/**
 * Suite 9, handler: the fetch handler alone (`createAgentHandler` behind its Node adapter
 * `toNodeListener` on a bare `node:http` server) against the Express server (`createAgentServer`,
 * the same handler behind Express and a static app), same process, same generator agents, plain
 * route: time to first event, whole run, server CPU.
 *
 * @packageDocumentation
 */
import { plainUrl, readRun, runInput } from "../lib/http.js";
import { type BenchServer, startServer } from "../lib/server.js";
import {
  fmt,
  fmtRatio,
  fullGc,
  median,
  num,
  pairedRatio,
  percentile,
  type Stat,
  stat,
  tick,
} from "../lib/stats.js";
import type { Headline, Suite, SuiteOptions, SuiteResult, Target } from "../lib/types.js";

/** The two servers, and Express a second time: Express ÷ Express is the noise floor of a ratio. */
type Variant = "express" | "handler" | "express-again";

interface Sample {
  /** Whole run, mean over the sample's runs. */
  wallMs: number;
  /** Time to first event, median over the sample's runs. */
  firstEventMs: number;
  /** Server CPU per run, mean over the sample's runs. */
  serverCpuMs: number;
  events: number;
}

/**
 * One sample: `runs` runs of `n` events back to back through one variant, after a full garbage
 * collection in both processes (a run of 1,000 events takes ≈30 ms, so a single run's figure is
 * mostly the collector's and the scheduler's noise).
 */
async function sample(server: BenchServer, variant: Variant, n: number, runs: number): Promise<Sample> {
  const base = variant === "handler" ? server.handlerUrl : server.url;
  fullGc();
  await server.gc();
  const before = await server.stats();
  const walls: number[] = [];
  const firsts: number[] = [];
  let events = 0;
  for (let i = 0; i < runs; i++) {
    // A short pause between runs, as between a user's messages: the previous run's end-of-run
    // work (its history compacted into the thread) is not on the next run's first-event clock.
    if (i > 0) await tick(20);
    const run = await readRun(plainUrl(base, "bench"), runInput(n));
    if (run.last?.type !== "RUN_FINISHED")
      throw new Error(`handler: ${variant} ended with ${run.last?.type}`);
    walls.push(run.totalMs);
    firsts.push(run.firstEventMs);
    events = run.events;
  }
  const after = await server.stats();
  return {
    wallMs: walls.reduce((a, b) => a + b, 0) / runs,
    firstEventMs: median(firsts),
    serverCpuMs: (after.cpuUs - before.cpuUs) / 1000 / runs,
    events,
  };
}

/** Met only when three rounds in four are within the limit (the spread, not the median alone). */
const within = (ratio: Stat, limit: number) => percentile(ratio.samples, 75) <= limit;

export const handlerSuite: Suite = {
  id: "handler",
  title: "9. Fetch handler vs Express server",
  async run({ smoke, log }: SuiteOptions): Promise<SuiteResult> {
    const sizes = smoke ? [200] : [1_000, 8_000];
    const reps = smoke ? 1 : 24;
    /** Runs per sample: about 24,000 events' worth, so a sample lasts ≈0.5 s. */
    const runsFor = (n: number) => (smoke ? 1 : Math.max(1, Math.round(24_000 / n)));
    const variants: Variant[] = ["express", "handler", "express-again"];
    const server = await startServer();
    const rows: string[][] = [];
    const figures: Record<string, number> = {};
    const headlines: Headline[] = [];
    const targets: Target[] = [];
    try {
      for (const n of sizes) await server.prepare(n);
      for (let i = 0; i < (smoke ? 1 : 3); i++)
        for (const v of variants) await sample(server, v, 1_000, runsFor(1_000));
      for (const n of sizes) {
        const samples = new Map<Variant, Sample[]>(variants.map((v) => [v, []]));
        for (let r = 0; r < reps; r++) {
          log(`handler: ${num(n)} events, round ${r + 1}/${reps}`);
          for (let k = 0; k < variants.length; k++) {
            const v = variants[(k + r) % variants.length] as Variant;
            samples.get(v)?.push(await sample(server, v, n, runsFor(n)));
          }
        }
        const s = (v: Variant, f: (x: Sample) => number): Stat => stat((samples.get(v) ?? []).map(f));
        const ratio = (f: (x: Sample) => number, a: Variant = "handler") =>
          pairedRatio(s(a, f), s("express", f));
        const first = ratio((x) => x.firstEventMs);
        const wall = ratio((x) => x.wallMs);
        const cpu = ratio((x) => x.serverCpuMs);
        const floor = (f: (x: Sample) => number) => ratio(f, "express-again");
        for (const v of variants) {
          if (v === "express-again") continue;
          rows.push([
            num(samples.get(v)?.[0]?.events ?? n),
            v === "express" ? "createAgentServer (Express)" : "createAgentHandler + toNodeListener",
            fmt(
              s(v, (x) => x.firstEventMs),
              "ms",
            ),
            fmt(
              s(v, (x) => x.wallMs),
              "ms",
            ),
            fmt(
              s(v, (x) => x.serverCpuMs),
              "ms",
            ),
          ]);
        }
        rows.push([num(n), "handler ÷ Express", fmtRatio(first), fmtRatio(wall), fmtRatio(cpu)]);
        rows.push([
          num(n),
          "Express ÷ Express (noise floor)",
          fmtRatio(floor((x) => x.firstEventMs)),
          fmtRatio(floor((x) => x.wallMs)),
          fmtRatio(floor((x) => x.serverCpuMs)),
        ]);
        figures[`handler_p75_first_${n}`] = percentile(first.samples, 75);
        figures[`handler_p75_wall_${n}`] = percentile(wall.samples, 75);
        figures[`handler_vs_express_first_${n}`] = first.median;
        figures[`handler_vs_express_wall_${n}`] = wall.median;
        figures[`handler_vs_express_cpu_${n}`] = cpu.median;
        headlines.push({
          label: `Fetch handler vs Express server, whole run, ${num(n)} events`,
          ratio: wall,
          meaning: "bare handler ÷ createAgentServer (wall, plain route)",
        });
        targets.push({
          label: `Fetch handler no slower than the Express server, ${num(n)} events`,
          target: "≤ 1.1× time to first event and whole run (75th percentile of 24 paired rounds)",
          actual: `first event ${fmtRatio(first)}, whole run ${fmtRatio(wall)}, server CPU ${fmtRatio(cpu)}`,
          pass: within(first, 1.1) && within(wall, 1.1),
        });
      }
    } finally {
      await server.close();
    }
    return {
      id: "handler",
      title: this.title,
      method: [
        "One server process serves the same generator agent twice: through `createAgentServer` (Express in front of the fetch handler) and through `createAgentHandler` with `toNodeListener` on a bare `node:http` server.",
        "The bench process reads each plain-route stream to its end. A sample is several runs back to back (about 24,000 events in all: 24 runs of 1,000, 3 of 8,000) after a full garbage collection in both processes; its whole run and server CPU are per-run means, its first event the median. Each round takes one sample of each variant in rotating order; ratios are per-round (÷ the round's Express sample). Express ÷ Express (a second Express sample in the same round) is the noise floor: what a ratio of two identical servers looks like on this machine. Server CPU is the process's CPU time between two IPC probes around the sample.",
      ].join(" "),
      tables: [{ head: ["events", "variant", "time to first event", "whole run", "server CPU"], rows }],
      headlines,
      targets,
      figures,
      notes: [],
    };
  },
};
