/**
 * Suite 3, server: the same workload served by a generator agent (`defineAgent`) and by a
 * hand-written AG-UI agent (an `AbstractAgent` emitting the same events) through the same
 * CopilotKit runtime; and the generator agent on AgentStream's plain endpoint against
 * CopilotKit's route (time to first event, total time, server CPU).
 *
 * @packageDocumentation
 */
import { copilotUrl, plainUrl, readRun, runInput } from "../lib/http.js";
import { type BenchServer, startServer } from "../lib/server.js";
import { fmt, fmtRatio, num, pairedRatio, type Stat, stat } from "../lib/stats.js";
import type { Headline, Suite, SuiteOptions, SuiteResult, Target } from "../lib/types.js";

type Variant = "copilot-generator" | "copilot-handwritten" | "copilot-yielding" | "plain-generator";

const VARIANTS: Record<Variant, { label: string; url: (base: string) => string }> = {
  "copilot-generator": {
    label: "generator agent via CopilotKit runtime",
    url: (b) => copilotUrl(b, "bench"),
  },
  "copilot-handwritten": {
    label: "hand-written AbstractAgent via CopilotKit runtime",
    url: (b) => copilotUrl(b, "bench-agui"),
  },
  "copilot-yielding": {
    label: "hand-written agent yielding every 5 ms via CopilotKit runtime (proposed for GeneratorAgent)",
    url: (b) => copilotUrl(b, "bench-agui-yield"),
  },
  "plain-generator": { label: "generator agent via plain endpoint", url: (b) => plainUrl(b, "bench") },
};

interface Sample {
  wallMs: number;
  firstEventMs: number;
  serverCpuMs: number;
  events: number;
}

async function once(server: BenchServer, variant: Variant, n: number): Promise<Sample> {
  const before = await server.stats();
  const run = await readRun(VARIANTS[variant].url(server.url), runInput(n));
  const after = await server.stats();
  if (run.last?.type !== "RUN_FINISHED")
    throw new Error(`server: ${variant} ended with ${run.last?.type ?? "nothing"}`);
  return {
    wallMs: run.totalMs,
    firstEventMs: run.firstEventMs,
    serverCpuMs: (after.cpuUs - before.cpuUs) / 1000,
    events: run.events,
  };
}

export const serverSuite: Suite = {
  id: "server",
  title: "3. Server: generator vs hand-written agent, plain endpoint vs CopilotKit route",
  async run({ smoke, log }: SuiteOptions): Promise<SuiteResult> {
    const sizes = smoke ? [200] : [1_000, 5_000];
    const reps = (n: number) => (smoke ? 1 : n <= 1_000 ? 15 : 3);
    const variants = Object.keys(VARIANTS) as Variant[];
    const server = await startServer();
    const rows: string[][] = [];
    const figures: Record<string, number> = {};
    const headlines: Headline[] = [];
    const targets: Target[] = [];
    const notes: string[] = [];
    try {
      for (const n of sizes) await server.prepare(n);
      for (let i = 0; i < (smoke ? 1 : 3); i++) for (const v of variants) await once(server, v, 1_000);
      for (const n of sizes) {
        const samples = new Map<Variant, Sample[]>(variants.map((v) => [v, []]));
        for (let r = 0; r < reps(n); r++) {
          log(`server: ${num(n)} events, round ${r + 1}/${reps(n)}`);
          // Rotate the order each round so drift hits every variant alike.
          for (let k = 0; k < variants.length; k++) {
            const v = variants[(k + r) % variants.length] as Variant;
            samples.get(v)?.push(await once(server, v, n));
          }
        }
        const s = (v: Variant, f: (x: Sample) => number): Stat => stat((samples.get(v) ?? []).map(f));
        const base = "copilot-handwritten";
        for (const v of variants) {
          const cpu = s(v, (x) => x.serverCpuMs);
          const wall = s(v, (x) => x.wallMs);
          const first = s(v, (x) => x.firstEventMs);
          rows.push([
            num(samples.get(v)?.[0]?.events ?? n),
            VARIANTS[v].label,
            fmt(cpu, "ms"),
            fmt(wall, "ms"),
            fmt(first, "ms"),
            fmtRatio(
              pairedRatio(
                cpu,
                s(base, (x) => x.serverCpuMs),
              ),
            ),
            fmtRatio(
              pairedRatio(
                wall,
                s(base, (x) => x.wallMs),
              ),
            ),
          ]);
          figures[`${v}_server_cpu_ms_${n}`] = cpu.median;
          figures[`${v}_wall_ms_${n}`] = wall.median;
          figures[`${v}_first_event_ms_${n}`] = first.median;
        }
        const genCpu = pairedRatio(
          s("copilot-generator", (x) => x.serverCpuMs),
          s(base, (x) => x.serverCpuMs),
        );
        const genWall = pairedRatio(
          s("copilot-generator", (x) => x.wallMs),
          s(base, (x) => x.wallMs),
        );
        const plainTotal = pairedRatio(
          s("copilot-generator", (x) => x.wallMs),
          s("plain-generator", (x) => x.wallMs),
        );
        const plainFirst = pairedRatio(
          s("copilot-generator", (x) => x.firstEventMs),
          s("plain-generator", (x) => x.firstEventMs),
        );
        const ckFirst = s("copilot-generator", (x) => x.firstEventMs).median;
        const ckTotal = s("copilot-generator", (x) => x.wallMs).median;
        if (n === sizes.at(-1) && ckFirst / ckTotal > 0.5) {
          const yFirst = s("copilot-yielding", (x) => x.firstEventMs).median;
          const yTotal = s("copilot-yielding", (x) => x.wallMs).median;
          notes.push(
            `At pace 0, CopilotKit's route sends its first event only after ${Math.round((100 * ckFirst) / ckTotal)}% of the run's time (${num(n)} events: first event at ${fmt(stat([ckFirst]), "ms")}, last at ${fmt(stat([ckTotal]), "ms")}): its runner folds every event with \`@ag-ui/client\` in one long chain of microtasks, and nothing reaches the socket until that chain lets the event loop run. The plain endpoint writes each event as the generator yields it. ` +
              `An agent that lets the event loop run every 5 ms (the "yielding" row) gets its first event out at ${fmt(stat([yFirst]), "ms")} for a total of ${fmt(stat([yTotal]), "ms")}. Proposed for @agentstream/runtime's GeneratorAgent: in \`run()\`'s loop, \`await new Promise(setImmediate)\` whenever more than ~5 ms have passed since the last such pause. With a paced agent (a real model) the events are spread out and this matters less.`,
          );
        }
        figures[`generator_vs_handwritten_cpu_${n}`] = genCpu.median;
        figures[`copilot_vs_plain_total_${n}`] = plainTotal.median;
        if (n === sizes[0]) {
          headlines.push({
            label: `Generator vs hand-written agent through CopilotKit, ${num(n)} events (server CPU)`,
            ratio: genCpu,
            meaning: "generator agent ÷ hand-written AbstractAgent (1 = same cost)",
          });
          headlines.push({
            label: `CopilotKit route vs plain endpoint, time to first event, ${num(n)} events`,
            ratio: plainFirst,
            meaning: "CopilotKit route ÷ plain endpoint, same generator agent",
          });
        }
        if (n === sizes.at(-1)) {
          headlines.push({
            label: `CopilotKit route vs plain endpoint, total time, ${num(n)} events`,
            ratio: plainTotal,
            meaning: "CopilotKit route ÷ plain endpoint, same generator agent",
          });
        }
        const ok = genCpu.median <= 1.1;
        targets.push({
          label: `Generator agent vs hand-written agent through the same CopilotKit runtime, ${num(n)} events`,
          target: "at most 10% slower (server CPU per run)",
          actual: `${fmtRatio(genCpu)} server CPU, ${fmtRatio(genWall)} wall`,
          pass: ok,
        });
      }
    } finally {
      await server.close();
    }
    return {
      id: "server",
      title: this.title,
      method: [
        "One server process (the real `createAgentServer`, pace 0) serves both agents; the bench process reads each stream to its end with core's SSE parser.",
        "Server CPU is the server process's CPU time between two IPC probes around the request (each probe costs the same on every variant); wall time runs from the request to the last event; time to first event from the request to the first parsed event.",
        "The four variants run in rotating order within each round. Ratios are per-round ratios against the hand-written agent through CopilotKit.",
        "Through CopilotKit, the runtime itself folds every event with `@ag-ui/client` (its in-memory runner calls `runAgent`), so its cost per event grows with the stream; the plain endpoint writes the agent's events straight to the socket.",
      ].join(" "),
      tables: [
        {
          head: [
            "events",
            "variant",
            "server CPU",
            "wall time",
            "time to first event",
            "CPU vs hand-written",
            "wall vs hand-written",
          ],
          rows,
        },
      ],
      headlines,
      targets,
      figures,
      notes,
    };
  },
};
