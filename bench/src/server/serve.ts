/**
 * The benchmark server, run in a child process (bundled by ../lib/server.ts and run by plain
 * Node, so its memory and CPU are its own): the real `createAgentServer` from
 * @agentstream/runtime at pace 0 on 127.0.0.1 with two agents that stream the same workload:
 *
 * - `bench`: a generator agent (`defineAgent`, `async function*`) yielding the workload's chunks;
 * - `bench-agui`: a hand-written AG-UI agent (an `AbstractAgent` whose `run()` pushes the same
 *   AG-UI events through an Observable), for the "generator vs hand-written" comparison.
 *
 * - `bench-tokens`: a generator agent yielding plain tokens only (`tokens=N`: N token chunks,
 *   so N TEXT_MESSAGE_CONTENT events between a start and an end);
 * - `bench-tokens-paced`: the same, pausing 1 ms (a timer) after every `pause=K` tokens, so a
 *   run lasts long enough to be cut and resumed mid-run;
 * - `bench-tokens-rated`: `bench-tokens` with an output rate of 50 events per second
 *   (`eventsPerSecond`: beyond it the token deltas merge before the log).
 *
 * On a third port, the fetch handler alone (`createAgentHandler` + `toNodeListener` on a bare
 * `node:http` server, `handlerUrl`), for "fetch handler vs Express server".
 *
 * Beside it, on a second port of the same process, a second `CopilotRuntime` built the way a
 * CopilotKit user would (CopilotKit's own `InMemoryAgentRunner`, `createCopilotExpressHandler`)
 * serving the same generator agents (`inmemoryUrl`), so CopilotKit's route with AgentStream's
 * runner, with CopilotKit's runner and the plain endpoint are measured in one process and run.
 *
 * The last user message says how many events: `events=1000` (or `tokens=1000`). Talks to the
 * parent over IPC: `ready` {url, inmemoryUrl}, `stats` → {rss, maxRss, heapUsed, cpuUs, active},
 * `stop`.
 *
 * @packageDocumentation
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AbstractAgent } from "@ag-ui/client";
import type { BaseEvent, RunAgentInput } from "@ag-ui/core";
import {
  createAgentHandler,
  defineAgent,
  GeneratorAgent,
  latestUserText,
  silentLogger,
} from "@agentstream/runtime";
import { createAgentServer } from "@agentstream/runtime/express";
import { toNodeListener } from "@agentstream/runtime/node";
import { CopilotRuntime, InMemoryAgentRunner } from "@copilotkit/runtime/v2";
import { createCopilotExpressHandler } from "@copilotkit/runtime/v2/express";
import express from "express";
import { Observable } from "rxjs";
import { fullGc } from "../lib/stats.js";
import { tokenText, workloadChunks, workloadEvents } from "../lib/workload.js";

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

function tokenCount(prompt: string): number {
  const m = /tokens=(\d+)/.exec(prompt);
  return m ? Math.min(1_000_000, Number(m[1])) : eventCount(prompt);
}

const tokenCache = new Map<number, string[]>();
function tokensFor(n: number): string[] {
  let t = tokenCache.get(n);
  if (!t) {
    t = Array.from({ length: n }, (_, i) => tokenText(i));
    tokenCache.set(n, t);
  }
  return t;
}

/** One generator agent yielding plain tokens (issue 10's workload). */
const tokenAgent = defineAgent({
  name: "bench-tokens",
  description: "Streams `tokens=N` plain tokens as a generator agent.",
  async *run(input) {
    const tokens = tokensFor(tokenCount(input.prompt));
    for (const t of tokens) yield t;
    return { tokens: tokens.length };
  },
});

/** The same at an output rate of 50 events per second (its deltas merge beyond it). */
const ratedTokenAgent = defineAgent({
  name: "bench-tokens-rated",
  description: "Streams `tokens=N` plain tokens at 50 events per second (merged deltas).",
  run: tokenAgent.run,
  eventsPerSecond: 50,
});

/** The same, pausing 1 ms after every `pause=K` tokens (default 10): a run that can be cut mid-run. */
const pacedTokenAgent = defineAgent({
  name: "bench-tokens-paced",
  description: "Streams `tokens=N` plain tokens, pausing 1 ms after every `pause=K`.",
  async *run(input) {
    const tokens = tokensFor(tokenCount(input.prompt));
    const every = Math.max(1, Number(/pause=(\d+)/.exec(input.prompt)?.[1] ?? 10));
    for (let i = 0; i < tokens.length; i++) {
      yield tokens[i] as string;
      if ((i + 1) % every === 0) await new Promise((r) => setTimeout(r, 1));
    }
    return { tokens: tokens.length };
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
    "bench-tokens": tokenAgent,
    "bench-tokens-paced": pacedTokenAgent,
    "bench-tokens-rated": ratedTokenAgent,
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

// CopilotKit's route as a CopilotKit user builds it: CopilotKit's InMemoryAgentRunner, the same
// generator agents (wrapped the way createAgentServer wraps them), the same JSON body parser in
// front of CopilotKit's Express handler as on the AgentStream server.
const inmemoryRuntime = new CopilotRuntime({
  agents: {
    "bench-tokens": new GeneratorAgent(tokenAgent, { paceMs: 0, registry: server.registry }),
    "bench-tokens-paced": new GeneratorAgent(pacedTokenAgent, { paceMs: 0, registry: server.registry }),
  } as unknown as ConstructorParameters<typeof CopilotRuntime>[0]["agents"],
  runner: new InMemoryAgentRunner(),
  sseKeepAliveIntervalSeconds: 60,
});
const inmemoryApp = express();
inmemoryApp.use("/api", express.json({ limit: 10 * 1024 * 1024 }));
inmemoryApp.use(
  createCopilotExpressHandler({
    runtime: inmemoryRuntime,
    basePath: "/api/copilotkit",
    cors: false,
    activateChannels: false,
  }) as unknown as express.RequestHandler,
);
const inmemoryServer: Server = await new Promise((resolve, reject) => {
  const s = inmemoryApp.listen(0, "127.0.0.1", (error?: Error) => (error ? reject(error) : resolve(s)));
});
inmemoryServer.requestTimeout = 0;
const inmemoryUrl = `http://127.0.0.1:${(inmemoryServer.address() as AddressInfo).port}`;

// The fetch handler alone on a bare node:http server (its Node adapter, no Express): the same
// generator agents, for "fetch handler vs the Express server".
const bareHandler = createAgentHandler({
  agents: { bench: generatorAgent, "bench-tokens": tokenAgent },
  paceMs: 0,
  heartbeatMs: 60_000,
  logger: silentLogger,
});
const bareServer: Server = createServer(toNodeListener(bareHandler));
bareServer.requestTimeout = 0;
await new Promise<void>((resolve) => bareServer.listen(0, "127.0.0.1", () => resolve()));
const handlerUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`;

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
  } else if (msg.type === "gc") {
    fullGc();
    process.send?.({ type: "collected" });
  } else if (msg.type === "prepare" && typeof msg.n === "number") {
    chunksFor(msg.n);
    templateFor(msg.n);
    tokensFor(msg.n);
    process.send?.({ type: "prepared" });
  } else if (msg.type === "stop") {
    inmemoryServer.closeAllConnections();
    inmemoryServer.close();
    bareServer.closeAllConnections();
    bareServer.close();
    void bareHandler.close();
    void server.close().finally(() => process.exit(0));
  }
});
process.send?.({ type: "ready", url, inmemoryUrl, handlerUrl });
