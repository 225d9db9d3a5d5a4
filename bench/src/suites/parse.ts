/**
 * Suite 2, client parse path: what `useAgentStream` does (fetch, core's incremental SSE parser,
 * `store.pushEvent` per event — run here in Node without React) against `@ag-ui/client`'s
 * `HttpAgent` (`runAgent`), both reading the same stream from the real server on loopback.
 *
 * @packageDocumentation
 */
import { HttpAgent } from "@ag-ui/client";
import { createRunClient } from "@agentstream/core";
import { plainUrl, runInput } from "../lib/http.js";
import { type BenchServer, startServer } from "../lib/server.js";
import { fmt, fmtRatio, fullGc, num, pairedRatio, type Stat, stat, stopwatch, tick } from "../lib/stats.js";
import type { Suite, SuiteOptions, SuiteResult } from "../lib/types.js";

interface Sample {
  cpuMs: number;
  wallMs: number;
  firstEventMs: number;
  events: number;
  text: string;
}

/** The useAgentStream path, without React: core's run client (fetch, SSE parse, store per event). */
async function kitRun(server: BenchServer, n: number): Promise<Sample> {
  const client = createRunClient({ baseUrl: server.url });
  const stop = stopwatch();
  const t0 = performance.now();
  const handle = client.run("bench", runInput(n));
  let first = Number.NaN;
  let events = 0;
  for await (const _event of handle) if (events++ === 0) first = performance.now() - t0;
  const state = handle.store.getSnapshot();
  const t = stop();
  if (!state.done || state.error)
    throw new Error(`parse: the kit's run did not finish cleanly (${state.status})`);
  return { cpuMs: t.cpuMs, wallMs: t.wallMs, firstEventMs: first, events, text: state.text };
}

/** `@ag-ui/client`'s HttpAgent against the same endpoint. */
async function httpAgentRun(server: BenchServer, n: number): Promise<Sample> {
  const input = runInput(n);
  const agent = new HttpAgent({
    url: plainUrl(server.url, "bench"),
    threadId: input.threadId,
    initialMessages: input.messages,
  });
  let first = Number.NaN;
  let events = 0;
  const stop = stopwatch();
  const t0 = performance.now();
  await agent.runAgent(
    { runId: input.runId },
    {
      onEvent() {
        if (events++ === 0) first = performance.now() - t0;
      },
    },
  );
  const t = stop();
  const text = agent.messages
    .filter((m) => m.role === "assistant" && typeof m.content === "string")
    .map((m) => m.content as string)
    .join("");
  return { cpuMs: t.cpuMs, wallMs: t.wallMs, firstEventMs: first, events, text };
}

export const parseSuite: Suite = {
  id: "parse",
  title: "2. Client parse path (loopback HTTP)",
  async run({ smoke, log }: SuiteOptions): Promise<SuiteResult> {
    const sizes = smoke ? [200] : [1_000, 10_000];
    const reps = (n: number) => (smoke ? 1 : n <= 1_000 ? 15 : 3);
    const server = await startServer();
    const rows: string[][] = [];
    const figures: Record<string, number> = {};
    const headlines = [];
    const notes: string[] = [];
    try {
      for (const n of sizes) await server.prepare(n);
      // Warm-up (JIT on both sides, the server's too).
      for (let i = 0; i < (smoke ? 1 : 3); i++) {
        await kitRun(server, 1_000);
        await httpAgentRun(server, 1_000);
      }
      for (const n of sizes) {
        const kit: Sample[] = [];
        const agui: Sample[] = [];
        for (let r = 0; r < reps(n); r++) {
          log(`parse: ${num(n)} events, pair ${r + 1}/${reps(n)}`);
          const order = r % 2 === 0 ? ["kit", "agui"] : ["agui", "kit"];
          for (const side of order) {
            fullGc();
            await tick(20);
            if (side === "kit") kit.push(await kitRun(server, n));
            else agui.push(await httpAgentRun(server, n));
          }
        }
        const same = kit.every((k, i) => k.text === agui[i]?.text && k.events === agui[i]?.events);
        if (!same) throw new Error("parse: the two clients did not end with the same text and event count");
        const s = (xs: Sample[], f: (x: Sample) => number): Stat => stat(xs.map(f));
        const kCpu = s(kit, (x) => x.cpuMs);
        const aCpu = s(agui, (x) => x.cpuMs);
        const kWall = s(kit, (x) => x.wallMs);
        const aWall = s(agui, (x) => x.wallMs);
        const kFirst = s(kit, (x) => x.firstEventMs);
        const aFirst = s(agui, (x) => x.firstEventMs);
        const events = kit[0]?.events ?? n;
        const cpuRatio = pairedRatio(aCpu, kCpu);
        const wallRatio = pairedRatio(aWall, kWall);
        rows.push(
          [
            num(events),
            "useAgentStream path",
            fmt(kCpu, "ms"),
            fmt(kWall, "ms"),
            fmt(
              s(kit, (x) => ((x.events / x.wallMs) * 1000) / 1000),
              "k/s",
            ),
            fmt(kFirst, "ms"),
            "1×",
            "1×",
          ],
          [
            num(events),
            "@ag-ui/client HttpAgent",
            fmt(aCpu, "ms"),
            fmt(aWall, "ms"),
            fmt(
              s(agui, (x) => ((x.events / x.wallMs) * 1000) / 1000),
              "k/s",
            ),
            fmt(aFirst, "ms"),
            fmtRatio(cpuRatio),
            fmtRatio(wallRatio),
          ],
        );
        figures[`kit_cpu_ms_${n}`] = kCpu.median;
        figures[`httpagent_cpu_ms_${n}`] = aCpu.median;
        figures[`kit_wall_ms_${n}`] = kWall.median;
        figures[`httpagent_wall_ms_${n}`] = aWall.median;
        figures[`kit_first_event_ms_${n}`] = kFirst.median;
        figures[`httpagent_first_event_ms_${n}`] = aFirst.median;
        figures[`cpu_ratio_${n}`] = cpuRatio.median;
        if (n === sizes.at(-1)) {
          headlines.push({
            label: `Client parse path at ${num(events)} events (CPU)`,
            ratio: cpuRatio,
            meaning:
              "HttpAgent client CPU ÷ useAgentStream-path client CPU, same stream from the real server",
          });
        }
      }
      notes.push("Both clients ended every run with the same answer text and event count (checked).");
    } finally {
      await server.close();
    }
    return {
      id: "parse",
      title: this.title,
      method: [
        "The real server (`createAgentServer`, pace 0) runs in a child process; its generator agent streams the benchmark workload on the plain endpoint `POST /api/agents/bench/run`.",
        "Client CPU is the bench process's CPU time for the whole request (the server's is not in it); wall time runs from the request to the last event; the two clients alternate, one pair per row sample.",
        "useAgentStream path: core's run client (`createRunClient().run()`: `fetch`, incremental SSE parse, `store.pushEvent` per event, resume bookkeeping), one `getSnapshot()` (what the hook does, minus React). HttpAgent: `runAgent()` of `@ag-ui/client`'s `HttpAgent` with one subscriber that notes the first event.",
      ].join(" "),
      tables: [
        {
          head: [
            "events",
            "client",
            "client CPU",
            "wall time",
            "events/s (wall)",
            "time to first event",
            "CPU vs kit",
            "wall vs kit",
          ],
          rows,
        },
      ],
      headlines,
      targets: [],
      figures,
      notes,
    };
  },
};
