/**
 * Suite 13, rate: the per-stream output rate (`eventsPerSecond`, issue 25). One server process
 * serves the token agent twice, without a rate (`bench-tokens`) and at 50 events per second
 * (`bench-tokens-rated`, whose deltas merge before the log), on the plain route: events and bytes
 * a reader gets, whole run, server CPU.
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import { readAgUiEvents } from "@agentstream/core";
import { plainUrl, runInput } from "../lib/http.js";
import { type BenchServer, startServer } from "../lib/server.js";
import {
  fmt,
  fmtBytes,
  fmtRatio,
  fullGc,
  mapStat,
  num,
  pairedRatio,
  type Stat,
  stat,
  tick,
} from "../lib/stats.js";
import type { Headline, Suite, SuiteOptions, SuiteResult } from "../lib/types.js";

/** Without a rate, at 50 events per second, and without a rate again (the noise floor). */
type Variant = "unlimited" | "rated" | "unlimited-again";
const AGENT: Record<Variant, string> = {
  unlimited: "bench-tokens",
  rated: "bench-tokens-rated",
  "unlimited-again": "bench-tokens",
};

interface Sample {
  wallMs: number;
  serverCpuMs: number;
  events: number;
  bytes: number;
  /** The text the reader put together (checked equal across variants). */
  textLength: number;
}

/** Reads one run to its end, counting its events and the bytes of its body. */
async function readCounted(url: string, tokens: number) {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify(runInput(tokens)),
  });
  if (!res.ok || !res.body) throw new Error(`POST ${url}: HTTP ${res.status}`);
  let bytes = 0;
  const counted = res.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    }),
  );
  let events = 0;
  let textLength = 0;
  let last: BaseEvent | undefined;
  for await (const event of readAgUiEvents(counted)) {
    events++;
    last = event;
    if (event.type === "TEXT_MESSAGE_CONTENT") textLength += (event as { delta?: string }).delta?.length ?? 0;
  }
  if (last?.type !== "RUN_FINISHED") throw new Error(`rate: a run ended with ${last?.type}`);
  return { wallMs: performance.now() - t0, events, bytes, textLength };
}

async function sample(server: BenchServer, variant: Variant, n: number, runs: number): Promise<Sample> {
  fullGc();
  await server.gc();
  const before = await server.stats();
  const out: Sample = { wallMs: 0, serverCpuMs: 0, events: 0, bytes: 0, textLength: 0 };
  for (let i = 0; i < runs; i++) {
    if (i > 0) await tick(20);
    const run = await readCounted(plainUrl(server.url, AGENT[variant]), n);
    out.wallMs += run.wallMs / runs;
    out.events = run.events;
    out.bytes = run.bytes;
    out.textLength = run.textLength;
  }
  const after = await server.stats();
  out.serverCpuMs = (after.cpuUs - before.cpuUs) / 1000 / runs;
  return out;
}

/** A ratio far below 1 as "1/N" (its median); `0.00×` would say nothing. */
const fewer = (r: Stat) => `1/${num(1 / r.median, 1 / r.median >= 100 ? 0 : 1)}`;

export const rateSuite: Suite = {
  id: "rate",
  title: "13. Output rate per stream (eventsPerSecond)",
  async run({ smoke, log }: SuiteOptions): Promise<SuiteResult> {
    const sizes = smoke ? [200] : [1_000, 8_000, 32_000];
    const reps = smoke ? 1 : 12;
    const runsFor = (n: number) => (smoke ? 1 : Math.max(1, Math.round(32_000 / n)));
    const variants: Variant[] = ["unlimited", "rated", "unlimited-again"];
    const server = await startServer();
    const rows: string[][] = [];
    const figures: Record<string, number> = {};
    const headlines: Headline[] = [];
    try {
      for (const n of sizes) await server.prepare(n);
      for (let i = 0; i < (smoke ? 1 : 3); i++) for (const v of variants) await sample(server, v, 1_000, 4);
      for (const n of sizes) {
        const samples = new Map<Variant, Sample[]>(variants.map((v) => [v, []]));
        for (let r = 0; r < reps; r++) {
          log(`rate: ${num(n)} tokens, round ${r + 1}/${reps}`);
          for (let k = 0; k < variants.length; k++) {
            const v = variants[(k + r) % variants.length] as Variant;
            samples.get(v)?.push(await sample(server, v, n, runsFor(n)));
          }
        }
        const all = [...samples.values()].flat();
        if (new Set(all.map((x) => x.textLength)).size !== 1)
          throw new Error(`rate: the text differs between variants at ${n} tokens`);
        const s = (v: Variant, f: (x: Sample) => number): Stat => stat((samples.get(v) ?? []).map(f));
        const ratio = (f: (x: Sample) => number, a: Variant = "rated") =>
          pairedRatio(s(a, f), s("unlimited", f));
        for (const v of ["unlimited", "rated"] as const) {
          rows.push([
            num(n),
            v === "rated" ? "eventsPerSecond: 50" : "no rate",
            fmt(s(v, (x) => x.events)),
            fmtBytes(s(v, (x) => x.bytes).median),
            fmt(
              s(v, (x) => x.wallMs),
              "ms",
              1,
            ),
            fmt(
              s(v, (x) => x.serverCpuMs),
              "ms",
              1,
            ),
          ]);
        }
        const cpu = ratio((x) => x.serverCpuMs);
        const wall = ratio((x) => x.wallMs);
        const events = ratio((x) => x.events);
        const floor = ratio((x) => x.serverCpuMs, "unlimited-again");
        rows.push([
          num(n),
          "rated ÷ no rate (per round)",
          fewer(events),
          fewer(ratio((x) => x.bytes)),
          fmtRatio(wall),
          `${fmtRatio(cpu)}; noise floor ${fmtRatio(floor)}`,
        ]);
        figures[`events_ratio_${n}`] = events.median;
        figures[`cpu_ratio_${n}`] = cpu.median;
        figures[`wall_ratio_${n}`] = wall.median;
        figures[`rated_events_${n}`] = mapStat(
          s("rated", (x) => x.events),
          (x) => x,
        ).median;
        headlines.push({
          label: `Output rate 50 events/s, ${num(n)} tokens at pace 0, server CPU`,
          ratio: cpu,
          meaning: "eventsPerSecond: 50 ÷ no rate (server CPU per run, plain route)",
        });
      }
    } finally {
      await server.close();
    }
    return {
      id: "rate",
      title: this.title,
      method: [
        "One server process serves the token agent (pace 0: every token as fast as the generator yields it) twice: without an output rate and with `eventsPerSecond: 50` (a token bucket with a burst of 50; beyond it consecutive deltas of the message merge before they enter the log).",
        "The bench process reads each plain-route stream to its end with core's parser, counting events and body bytes, and checks that the text is the same on both. A sample is several runs back to back (32,000 tokens' worth) after a full garbage collection in both processes; each round takes one sample of each variant in rotating order; ratios are per round. No rate ÷ no rate (a second sample in the same round) is the noise floor of the CPU ratio.",
      ].join(" "),
      tables: [
        { head: ["tokens", "variant", "events read", "bytes", "whole run", "server CPU per run"], rows },
      ],
      headlines,
      targets: [],
      figures,
      notes: [
        "What remains with the rate on is the agent's own work (the generator, the chunk encoder, one merge per token); the per-event costs after the log (JSON, SSE framing, socket writes, the reader's parse) are paid per merged event.",
      ],
    };
  },
};
