/**
 * Runs that outlive their connection, over real HTTP: resume by Last-Event-ID at random cut
 * points, disconnect vs stop on both routes, the thread routes' errors, a foreign agent's
 * synchronous burst, and a slow reader's memory.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { AbstractAgent } from "@ag-ui/client";
import { type BaseEvent, EventType, type RunAgentInput } from "@ag-ui/core";
import { parseSse, type SseMessage } from "@agentstream/core";
import { Observable } from "rxjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineAgent, MemoryRunner } from "../src/index.js";
import { actAsOneClient } from "./client-fetch.js";
import { essay, forever, probe } from "./fixtures.js";
import {
  copilotRunUrl,
  plainRunUrl,
  runInput,
  runWithHttpAgent,
  type Started,
  startServer,
  waitFor,
} from "./helpers.js";

/** One client: every fetch keeps the session cookie of the threads it creates (see client-fetch.ts). */
actAsOneClient();

/** A foreign AG-UI agent that emits `count` events synchronously inside subscribe(). */
class BurstAgent extends AbstractAgent {
  constructor(private readonly count: number) {
    super({ description: "Emits a burst synchronously." });
  }
  run(input: RunAgentInput): Observable<BaseEvent> {
    const count = this.count ?? 10_000;
    return new Observable<BaseEvent>((sub) => {
      sub.next({ type: EventType.RUN_STARTED, threadId: input.threadId, runId: input.runId } as BaseEvent);
      sub.next({ type: EventType.TEXT_MESSAGE_START, messageId: "m", role: "assistant" } as BaseEvent);
      for (let i = 0; i < count; i++)
        sub.next({ type: EventType.TEXT_MESSAGE_CONTENT, messageId: "m", delta: "x" } as BaseEvent);
      sub.next({ type: EventType.TEXT_MESSAGE_END, messageId: "m" } as BaseEvent);
      sub.next({ type: EventType.RUN_FINISHED, threadId: input.threadId, runId: input.runId } as BaseEvent);
      sub.complete();
    });
  }
  override clone(): BurstAgent {
    const copy = super.clone() as BurstAgent;
    (copy as unknown as { count: number }).count = this.count;
    return copy;
  }
}

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Heap in use after a full collection. */
function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** How many flood runs have produced their last token (the slow-reader test waits for it). */
let floodsProduced = 0;

/** Many small tokens as fast as possible (the slow-reader test). */
const flood = defineAgent({
  name: "flood",
  description: "200,000 tokens, no pace.",
  async *run() {
    for (let i = 0; i < 200_000; i++) yield "tok ";
    floodsProduced++;
  },
});

let s: Started;
beforeAll(async () => {
  const agents = { essay, forever, flood, burst: new BurstAgent(10_000) };
  s = await startServer({ agents, paceMs: 1, detachedRunMs: 5_000 });
});
afterAll(async () => {
  await s.close();
});

const eventsUrl = (agent: string, threadId: string) =>
  `${s.url}/api/agents/${agent}/threads/${threadId}/events`;
const stopUrl = (agent: string, threadId: string) => `${s.url}/api/agents/${agent}/threads/${threadId}/stop`;

function post(url: string, body: unknown, signal?: AbortSignal) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
}

/** Reads SSE frames (all, or until `limit`, then drops the connection). */
async function frames(res: Response, limit = Number.POSITIVE_INFINITY, controller?: AbortController) {
  const out: SseMessage[] = [];
  if (limit <= 0) {
    controller?.abort();
    return out;
  }
  for await (const msg of parseSse(res.body as ReadableStream<Uint8Array>)) {
    out.push(msg);
    if (out.length >= limit) {
      controller?.abort();
      break;
    }
  }
  return out;
}

const typeOf = (m: SseMessage) => (JSON.parse(m.data) as { type: string }).type;
const deltaOf = (m: SseMessage) => (JSON.parse(m.data) as { delta?: string }).delta ?? "";

describe("resume by Last-Event-ID (plain route, a paced essay agent)", () => {
  it("50 random cut points: 0 lost, 0 duplicated, ids without gaps, same events as an uncut run", async () => {
    const question = "What is backpressure in streaming and how does SSE handle it?";
    const uncut = await frames(await post(plainRunUrl(s.url, "essay"), runInput(question)));
    const uncutTypes = uncut.map(typeOf);
    const uncutText = uncut.map(deltaOf).join("");
    expect(uncut.length).toBeGreaterThan(50);
    expect(uncutTypes.at(-1)).toBe("RUN_FINISHED");

    const cuts = Array.from({ length: 50 }, () => 1 + Math.floor(Math.random() * (uncut.length - 1)));
    for (let i = 0; i < cuts.length; i += 5) {
      await Promise.all(
        cuts.slice(i, i + 5).map(async (cut) => {
          const input = runInput(question);
          const controller = new AbortController();
          const head = await frames(
            await post(plainRunUrl(s.url, "essay"), input, controller.signal),
            cut,
            controller,
          );
          const lastId = head.at(-1)?.id as string;
          const res = await fetch(eventsUrl("essay", input.threadId), {
            headers: { "Last-Event-ID": lastId },
          });
          expect(res.status).toBe(200);
          const tail = await frames(res);
          const all = [...head, ...tail];
          expect(all.map((m) => Number(m.id))).toEqual(all.map((_, k) => k + 1));
          expect(all.map(typeOf)).toEqual(uncutTypes);
          expect(all.map(deltaOf).join("")).toBe(uncutText);
          // The thread's own log, read whole afterwards, is byte-identical to what the client pieced together.
          const whole = await frames(await fetch(`${eventsUrl("essay", input.threadId)}?after=0`));
          expect(whole.map((m) => m.data)).toEqual(all.map((m) => m.data));
        }),
      );
    }
  }, 60_000);

  it("a browser-style reconnect: GET events with ?after= works like Last-Event-ID; 0 is the run's start", async () => {
    const input = runInput("What is SSE?");
    const full = await frames(await post(plainRunUrl(s.url, "essay"), input));
    const fromStart = await frames(await fetch(`${eventsUrl("essay", input.threadId)}?after=0`));
    expect(fromStart.map((m) => m.data)).toEqual(full.map((m) => m.data));
    const after = await frames(await fetch(`${eventsUrl("essay", input.threadId)}?after=3`));
    expect(after[0]?.id).toBe("4");
  });
});

describe("thread routes: errors", () => {
  it("404 unknown thread or agent mismatch, 409 id ahead (with the newest id), 400 malformed id", async () => {
    const unknown = await fetch(eventsUrl("essay", "nope"));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("unknown_thread");
    const input = runInput("What is SSE?");
    const all = await frames(await post(plainRunUrl(s.url, "essay"), input));
    const ahead = await fetch(eventsUrl("essay", input.threadId), {
      headers: { "Last-Event-ID": String(all.length + 10) },
    });
    expect(ahead.status).toBe(409);
    const body = (await ahead.json()) as { error: { code: string; details: { newestId: number } } };
    expect(body.error.code).toBe("id_ahead");
    expect(body.error.details.newestId).toBe(all.length);
    expect((await fetch(eventsUrl("forever", input.threadId))).status).toBe(404);
    const bad = await fetch(eventsUrl("essay", input.threadId), { headers: { "Last-Event-ID": "abc" } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_event_id");
  });

  it("stop: 404 when nothing runs, 200 with the run id when something does", async () => {
    const input = runInput("x");
    const done = await frames(await post(plainRunUrl(s.url, "essay"), runInput("What is SSE?")));
    expect(done.length).toBeGreaterThan(0);
    const controller = new AbortController();
    const res = await post(plainRunUrl(s.url, "forever"), input, controller.signal);
    await frames(res, 3, controller);
    const stopped = await post(stopUrl("forever", input.threadId), {});
    expect(stopped.status).toBe(200);
    expect(await stopped.json()).toMatchObject({ stopped: true, runId: input.runId });
    expect(await waitFor(() => probe.finallyAt.has(input.runId), 1_000)).toBe(true);
    const again = await post(stopUrl("forever", input.threadId), {});
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("not_running");
    expect((await post(stopUrl("forever", "nope"), {})).status).toBe(404);
  });

  it("a thread running already: a second run is 409 on both routes", async () => {
    const input = runInput("x");
    const controller = new AbortController();
    await frames(await post(plainRunUrl(s.url, "forever"), input, controller.signal), 3, controller);
    const second = await post(plainRunUrl(s.url, "forever"), { ...input, runId: "second" });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe("thread_busy");
    const viaCopilot = await post(copilotRunUrl(s.url, "forever"), { ...input, runId: "third" });
    expect(viaCopilot.status).toBe(409);
    await post(stopUrl("forever", input.threadId), {});
  });

  it("a thread id the client did not give is generated (unguessable) and returned in X-Thread-Id", async () => {
    const { threadId: _t, runId: _r, ...rest } = runInput("What is SSE?");
    const res = await post(plainRunUrl(s.url, "essay"), rest);
    expect(res.status).toBe(200);
    const threadId = res.headers.get("x-thread-id") ?? "";
    expect(threadId).toMatch(/^[0-9a-f-]{36}$/);
    const all = await frames(res);
    expect((JSON.parse(all[0]?.data ?? "{}") as { threadId: string }).threadId).toBe(threadId);
  });
});

describe("disconnect is not stop", () => {
  it("plain route: after a disconnect the generator runs on; a reconnect gets the rest; stop ends it within 100 ms", async () => {
    const input = runInput("x");
    const controller = new AbortController();
    const head = await frames(
      await post(plainRunUrl(s.url, "forever"), input, controller.signal),
      5,
      controller,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(probe.finallyAt.has(input.runId)).toBe(false);
    const producedWhileAway = probe.produced.get(input.runId) ?? 0;
    expect(producedWhileAway).toBeGreaterThan(5);
    const again = new AbortController();
    const res = await fetch(eventsUrl("forever", input.threadId), {
      headers: { "Last-Event-ID": head.at(-1)?.id as string },
      signal: again.signal,
    });
    const reading = frames(res);
    await new Promise((r) => setTimeout(r, 100));
    const stoppedAt = performance.now();
    expect((await post(stopUrl("forever", input.threadId), {})).status).toBe(200);
    expect(await waitFor(() => probe.finallyAt.has(input.runId), 1_000, 1)).toBe(true);
    expect((probe.finallyAt.get(input.runId) ?? Infinity) - stoppedAt).toBeLessThan(100);
    const tail = await reading;
    const all = [...head, ...tail];
    expect(all.map((m) => Number(m.id))).toEqual(all.map((_, k) => k + 1));
    const text = all.map(deltaOf).join("");
    expect(text).toMatch(/^tick0 tick1 tick2 tick3 /);
    expect(text.split(" ").filter(Boolean).length).toBeGreaterThanOrEqual(producedWhileAway);
    expect(tail.map(typeOf).slice(-2)).toEqual(["CUSTOM", "RUN_FINISHED"]);
  });

  it("CopilotKit route: after a disconnect the run goes on; /connect replays and follows it; /stop ends it", async () => {
    const input = runInput("x");
    const abortController = new AbortController();
    let seen = 0;
    await runWithHttpAgent(copilotRunUrl(s.url, "forever"), input, {
      abortController,
      onEvent: (e) => {
        if (e.type === "TEXT_MESSAGE_CONTENT" && ++seen === 3) abortController.abort();
      },
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(probe.finallyAt.has(input.runId)).toBe(false);
    const res = await post(`${s.url}/api/copilotkit/agent/forever/connect`, { ...input, runId: "connect-1" });
    expect(res.status).toBe(200);
    const reading = frames(res);
    await new Promise((r) => setTimeout(r, 100));
    const stop = await post(`${s.url}/api/copilotkit/agent/forever/stop/${input.threadId}`, {});
    const stoppedAt = performance.now();
    expect(stop.status).toBe(200);
    expect(await waitFor(() => probe.finallyAt.has(input.runId), 1_000, 1)).toBe(true);
    expect((probe.finallyAt.get(input.runId) ?? Infinity) - stoppedAt).toBeLessThan(100);
    const replay = await reading;
    const types = replay.map(typeOf);
    expect(types[0]).toBe("RUN_STARTED");
    expect(types.at(-1)).toBe("RUN_FINISHED");
    expect(replay.map(deltaOf).join("")).toMatch(/^tick0 tick1 tick2 tick3 tick4 /);
  });
});

describe("foreign agents and slow readers", () => {
  it("a foreign AbstractAgent emitting 10,000 events synchronously streams whole through the plain route", async () => {
    const all = await frames(await post(plainRunUrl(s.url, "burst"), runInput("x")));
    expect(all).toHaveLength(10_004);
    expect(all.map(typeOf).at(-1)).toBe("RUN_FINISHED");
    expect(all.map((m) => Number(m.id))).toEqual(all.map((_, k) => k + 1));
  });

  for (const route of ["plain", "copilotkit"] as const) {
    it(`${route} route: a client that stops reading until a 200,000-token run has produced everything leaves memory bounded`, async () => {
      const { request } = await import("node:http");
      const input = runInput("x");
      const url = new URL(route === "plain" ? plainRunUrl(s.url, "flood") : copilotRunUrl(s.url, "flood"));
      const before = heapAfterGc();
      const producedBefore = floodsProduced;
      let held = 0;
      let received = 0;
      let sawSlowReader = false;
      await new Promise<void>((resolve, reject) => {
        const req = request(
          url,
          { method: "POST", headers: { "content-type": "application/json", accept: "text/event-stream" } },
          (res) => {
            res.pause();
            // The reader stays paused until the run has produced everything (however long that
            // takes on a loaded machine): what the server holds then is what a paused reader
            // costs (heap after a full GC), and the reader is far behind the retained window.
            void waitFor(() => floodsProduced > producedBefore, 40_000).then((produced) => {
              if (!produced) return reject(new Error("the flood run did not finish producing in 40 s"));
              held = heapAfterGc() - before;
              res.setEncoding("utf8");
              res.on("data", (d: string) => {
                received += d.length;
                if (d.includes("SLOW_READER")) sawSlowReader = true;
              });
              res.on("end", () => resolve());
              res.resume();
            });
          },
        );
        req.on("error", reject);
        req.end(JSON.stringify(input));
      });
      const heldMb = held / 1024 / 1024;
      const retainedMb =
        s.server.runner instanceof MemoryRunner ? s.server.runner.retainedBytes / 1024 / 1024 : 0;
      console.info(
        `[slow reader, ${route}] heap held mid-pause ${heldMb.toFixed(1)} MB (runner window ${retainedMb.toFixed(1)} MB after the run); received ${(received / 1024 / 1024).toFixed(1)} MB; slow_reader error: ${sawSlowReader}`,
      );
      // The run's events are about 200,000 × 110 bytes ≈ 22 MB of JSON (several times that as
      // objects); the runner keeps a 16 MiB window of them, so what is held stays well under the run.
      expect(heldMb).toBeLessThan(80);
      expect(sawSlowReader).toBe(true);
    }, 60_000);
  }
});
