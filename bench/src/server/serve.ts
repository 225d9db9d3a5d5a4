/**
 * The benchmark server, run in a child process (bundled by ../lib/server.ts and run by plain
 * Node, so its memory and CPU are its own): the real `createAgentServer` from
 * @agentstream/runtime at pace 0 on 127.0.0.1 with two agents that stream the same workload:
 *
 * - `bench`: a generator agent (`defineAgent`, `async function*`) yielding the workload's chunks;
 * - `bench-agui`: a hand-written AG-UI agent (an `AbstractAgent` whose `run()` pushes the same
 *   AG-UI events through an Observable), for the "generator vs hand-written" comparison.
 *
 * The last user message says how many events: `events=1000`. Talks to the parent over IPC:
 * `ready` {url}, `stats` → {rss, maxRss, heapUsed, cpuUs, active}, `stop`.
 *
 * @packageDocumentation
 */
import { AbstractAgent } from "@ag-ui/client";
import type { BaseEvent, RunAgentInput } from "@ag-ui/core";
import { createAgentServer, defineAgent, latestUserText, silentLogger } from "@agentstream/runtime";
import { Observable } from "rxjs";
import { workloadChunks, workloadEvents } from "../lib/workload.js";

function eventCount(prompt: string): number {
  const m = /events=(\d+)/.exec(prompt);
  return m ? Math.min(1_000_000, Number(m[1])) : 200;
}

const chunkCache = new Map<number, ReturnType<typeof workloadChunks>>();
function chunksFor(n: number) {
  let c = chunkCache.get(n);
  if (!c) {
    c = workloadChunks(n);
    chunkCache.set(n, c);
  }
  return c;
}

const generatorAgent = defineAgent({
  name: "bench",
  description: "Streams the benchmark workload (a long answer with tool calls) as a generator agent.",
  async *run(input) {
    const chunks = chunksFor(eventCount(input.prompt));
    for (const chunk of chunks) yield chunk;
    return { turns: chunks.length };
  },
});

const RUN = "__RUN__";
const templateCache = new Map<number, BaseEvent[]>();
function templateFor(n: number): BaseEvent[] {
  let t = templateCache.get(n);
  if (!t) {
    t = workloadEvents(n, { threadId: "__THREAD__", runId: RUN });
    templateCache.set(n, t);
  }
  return t;
}

function eventFor(e: BaseEvent, input: RunAgentInput): BaseEvent {
  const ev = { ...e, timestamp: Date.now() } as BaseEvent & Record<string, unknown>;
  if (typeof ev.messageId === "string") ev.messageId = ev.messageId.replace(RUN, input.runId);
  if (typeof ev.parentMessageId === "string")
    ev.parentMessageId = ev.parentMessageId.replace(RUN, input.runId);
  if (typeof ev.toolCallId === "string") ev.toolCallId = `${input.runId}:${ev.toolCallId}`;
  if (ev.type === "RUN_STARTED" || ev.type === "RUN_FINISHED") {
    ev.threadId = input.threadId;
    ev.runId = input.runId;
  }
  return ev;
}

/**
 * What a developer writes by hand against `@ag-ui/client`: an AbstractAgent whose `run()`
 * emits AG-UI events. It emits the workload's events (ids and timestamps made per run).
 */
class HandWrittenAgent extends AbstractAgent {
  run(input: RunAgentInput): Observable<BaseEvent> {
    return new Observable<BaseEvent>((subscriber) => {
      const template = templateFor(eventCount(latestUserText(input.messages)));
      for (const e of template) {
        if (subscriber.closed) return;
        subscriber.next(eventFor(e, input));
      }
      subscriber.complete();
    });
  }
}

/**
 * The same, but it lets the event loop run (setImmediate) after every 5 ms of emitting: the
 * change proposed for the runtime's GeneratorAgent, measured on the CopilotKit route.
 */
class YieldingAgent extends AbstractAgent {
  run(input: RunAgentInput): Observable<BaseEvent> {
    return new Observable<BaseEvent>((subscriber) => {
      const template = templateFor(eventCount(latestUserText(input.messages)));
      void (async () => {
        let last = performance.now();
        for (const e of template) {
          if (subscriber.closed) return;
          subscriber.next(eventFor(e, input));
          if (performance.now() - last > 5) {
            await new Promise((resolve) => setImmediate(resolve));
            last = performance.now();
          }
        }
        subscriber.complete();
      })();
    });
  }
}

const server = createAgentServer({
  agents: {
    bench: generatorAgent,
    "bench-agui": new HandWrittenAgent({
      agentId: "bench-agui",
      description: "The benchmark workload, hand-written AG-UI.",
    }),
    "bench-agui-yield": new YieldingAgent({
      agentId: "bench-agui-yield",
      description: "The benchmark workload, hand-written AG-UI, yielding to the event loop every 5 ms.",
    }),
  },
  paceMs: 0,
  heartbeatMs: 60_000,
  logger: silentLogger,
});

const url = await server.listen(0, "127.0.0.1");
// Warm the caches of the common sizes outside any measurement.
for (const n of [200, 1_000]) {
  chunksFor(n);
  templateFor(n);
}

process.on("message", (msg: { type: string; n?: number }) => {
  if (msg.type === "stats") {
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    process.send?.({
      type: "stats",
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      maxRss: process.resourceUsage().maxRSS * 1024,
      cpuUs: cpu.user + cpu.system,
      active: server.registry.active,
    });
  } else if (msg.type === "prepare" && typeof msg.n === "number") {
    chunksFor(msg.n);
    templateFor(msg.n);
    process.send?.({ type: "prepared" });
  } else if (msg.type === "stop") {
    void server.close().finally(() => process.exit(0));
  }
});
process.send?.({ type: "ready", url });
