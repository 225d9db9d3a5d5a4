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
import { fmt, fmtRatio, num, pairedRatio, percentile, type Stat, stat } from "../lib/stats.js";
import type { Headline, Suite, SuiteOptions, SuiteResult, Target } from "../lib/types.js";

type Variant = "express" | "handler";

interface Sample {
  wallMs: number;
  firstEventMs: number;
  serverCpuMs: number;
  events: number;
}

async function once(server: BenchServer, variant: Variant, n: number): Promise<Sample> {
  const base = variant === "express" ? server.url : server.handlerUrl;
  const before = await server.stats();
  const run = await readRun(plainUrl(base, "bench"), runInput(n));
  const after = await server.stats();
  if (run.last?.type !== "RUN_FINISHED") throw new Error(`handler: ${variant} ended with ${run.last?.type}`);
  return {
    wallMs: run.totalMs,
    firstEventMs: run.firstEventMs,
    serverCpuMs: (after.cpuUs - before.cpuUs) / 1000,
    events: run.events,
  };
}

/** Met only when three rounds in four are within the limit (the spread, not the median alone). */
const within = (ratio: Stat, limit: number) => percentile(ratio.samples, 75) <= limit;

export const handlerSuite: Suite = {
  id: "handler",
  title: "9. Fetch handler vs Express server",
  async run({ smoke, log }: SuiteOptions): Promise<SuiteResult> {
    const sizes = smoke ? [200] : [1_000, 8_000];
    const reps = smoke ? 1 : 16;
    const variants: Variant[] = ["express", "handler"];
    const server = await startServer();
    const rows: string[][] = [];
    const figures: Record<string, number> = {};
    const headlines: Headline[] = [];
    const targets: Target[] = [];
    try {
      for (const n of sizes) await server.prepare(n);
      for (let i = 0; i < (smoke ? 1 : 3); i++) for (const v of variants) await once(server, v, 1_000);
      for (const n of sizes) {
        const samples = new Map<Variant, Sample[]>(variants.map((v) => [v, []]));
        for (let r = 0; r < reps; r++) {
          log(`handler: ${num(n)} events, round ${r + 1}/${reps}`);
          for (let k = 0; k < variants.length; k++) {
            const v = variants[(k + r) % variants.length] as Variant;
            samples.get(v)?.push(await once(server, v, n));
          }
        }
        const s = (v: Variant, f: (x: Sample) => number): Stat => stat((samples.get(v) ?? []).map(f));
        const ratio = (f: (x: Sample) => number) => pairedRatio(s("handler", f), s("express", f));
        const first = ratio((x) => x.firstEventMs);
        const wall = ratio((x) => x.wallMs);
        const cpu = ratio((x) => x.serverCpuMs);
        for (const v of variants) {
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
          target: "≤ 1.1× time to first event and whole run (75th percentile of paired rounds)",
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
        "The bench process reads each plain-route stream to its end; the two variants alternate within each round; ratios are per-round (handler ÷ Express). Server CPU is the process's CPU time between two IPC probes around the request.",
      ].join(" "),
      tables: [{ head: ["events", "variant", "time to first event", "whole run", "server CPU"], rows }],
      headlines,
      targets,
      figures,
      notes: [],
    };
  },
};
