import type { BaseEvent, RunAgentInput } from "@ag-ui/core";
import { RunnerError } from "@agentstream/runtime";
import type { LoggedEvent, RunExecutor } from "@agentstream/runtime/runner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisRunner } from "../src/index.js";
import { startRedis, type TestRedis } from "./redis-server.js";

let redis: TestRedis;
const runners: RedisRunner[] = [];
let n = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(runners.map((r) => r.close()));
  await redis.stop();
});

async function open(options: ConstructorParameters<typeof RedisRunner>[0] = {}): Promise<RedisRunner> {
  const runner = await RedisRunner.open({ url: redis.url, prefix: `t${++n}:`, ...options });
  runners.push(runner);
  return runner;
}

function input(threadId: string, runId = `r-${Math.random().toString(36).slice(2)}`): RunAgentInput {
  return {
    threadId,
    runId,
    messages: [],
    tools: [],
    context: [],
    state: {},
    forwardedProps: {},
  } as RunAgentInput;
}

/** An executor yielding `count` text deltas, `paceMs` apart; `finally` is recorded in `log`. */
function tokens(count: number, paceMs = 0, log: string[] = []): RunExecutor {
  return async (sink, signal) => {
    await sink([{ type: "RUN_STARTED" } as BaseEvent]);
    try {
      for (let i = 0; i < count; i++) {
        if (signal.aborted) {
          await sink([
            {
              type: "CUSTOM",
              name: "agentstream.interrupted",
              value: { reason: String(signal.reason) },
            } as BaseEvent,
            { type: "RUN_FINISHED" } as BaseEvent,
          ]);
          return;
        }
        if (paceMs) await new Promise((r) => setTimeout(r, paceMs));
        await sink([{ type: "TEXT_MESSAGE_CONTENT", messageId: "m", delta: `t${i} ` } as BaseEvent]);
      }
      await sink([{ type: "RUN_FINISHED" } as BaseEvent]);
    } finally {
      log.push("finally");
    }
  };
}

async function readAll(it: AsyncIterable<readonly LoggedEvent[]>): Promise<LoggedEvent[]> {
  const out: LoggedEvent[] = [];
  for await (const batch of it) out.push(...batch);
  return out;
}

describe("RedisRunner (one instance)", () => {
  it("logs a run with ids 1… and replays it; ids go on across runs; history is compacted", async () => {
    const runner = await open();
    const started = await runner.start({
      threadId: "a",
      agentId: "x",
      input: input("a"),
      execute: tokens(100),
    });
    expect(started.firstId).toBe(1);
    const events = await readAll(runner.read({ threadId: "a" }));
    expect(events.map((e) => e.id)).toEqual(Array.from({ length: 102 }, (_, i) => i + 1));
    expect(events.at(-1)?.event.type).toBe("RUN_FINISHED");
    const second = await runner.start({ threadId: "a", agentId: "x", input: input("a"), execute: tokens(3) });
    expect(second.firstId).toBe(103);
    // A read ends with the end of the run it is in.
    const tail = await readAll(runner.read({ threadId: "a", after: 100 }));
    expect(tail.map((e) => e.id)).toEqual([101, 102]);
    const again = await readAll(runner.read({ threadId: "a", after: 102 }));
    expect(again.map((e) => e.id)).toEqual([103, 104, 105, 106, 107]);
    const history = await runner.history("a");
    expect(history.filter((e) => e.type === "RUN_STARTED")).toHaveLength(2);
    const info = await runner.thread("a");
    expect(info).toMatchObject({ running: false, runFirstId: 103, newestId: 107, oldestId: 1, agentId: "x" });
  });

  it("errors: unknown thread, ahead, gone; busy", async () => {
    const runner = await open({ maxThreadBytes: 2000 });
    await expect(readAll(runner.read({ threadId: "nope" }))).rejects.toMatchObject({
      code: "unknown_thread",
    });
    await runner.start({ threadId: "b", agentId: "x", input: input("b"), execute: tokens(200) });
    const tail = await readAll(runner.read({ threadId: "b", after: 195 }));
    expect(tail.map((e) => e.id)).toEqual([196, 197, 198, 199, 200, 201, 202]);
    await expect(readAll(runner.read({ threadId: "b", after: 999 }))).rejects.toMatchObject({
      code: "ahead",
    });
    await expect(readAll(runner.read({ threadId: "b", after: 1 }))).rejects.toBeInstanceOf(RunnerError);
    await expect(readAll(runner.read({ threadId: "b", after: 1 }))).rejects.toMatchObject({ code: "gone" });
    await runner.start({ threadId: "c", agentId: "x", input: input("c"), execute: tokens(50, 5) });
    await expect(
      runner.start({ threadId: "c", agentId: "x", input: input("c"), execute: tokens(1) }),
    ).rejects.toMatchObject({ code: "busy" });
    await runner.stopRun({ threadId: "c" });
    await runner.settled("c");
  });

  it("follows live; stop runs the generator's finally", async () => {
    const runner = await open();
    const log: string[] = [];
    await runner.start({ threadId: "d", agentId: "x", input: input("d"), execute: tokens(10_000, 2, log) });
    const reading = readAll(runner.read({ threadId: "d" }));
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    expect(await runner.stopRun({ threadId: "d" })).toBe(true);
    await runner.settled("d");
    expect(performance.now() - t0).toBeLessThan(250);
    expect(log).toEqual(["finally"]);
    const events = await reading;
    expect(events.at(-1)?.event.type).toBe("RUN_FINISHED");
    expect(events.map((e) => e.id)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
  });

  it("a run with no reader is stopped after detachedRunMs", async () => {
    const runner = await open({ detachedRunMs: 100 });
    const log: string[] = [];
    await runner.start({ threadId: "e", agentId: "x", input: input("e"), execute: tokens(10_000, 5, log) });
    await new Promise((r) => setTimeout(r, 600));
    expect(log).toEqual(["finally"]);
    expect((await runner.thread("e"))?.running).toBe(false);
  });

  it("10,000 events: appends are batched", async () => {
    const runner = await open();
    const t0 = performance.now();
    await runner.start({ threadId: "f", agentId: "x", input: input("f"), execute: tokens(10_000) });
    const events = await readAll(runner.read({ threadId: "f" }));
    expect(events).toHaveLength(10_002);
    expect(new Set(events.map((e) => e.id)).size).toBe(10_002);
    console.log(`10k events via Redis: ${(performance.now() - t0).toFixed(0)} ms`);
  });
});

describe("answers across instances", () => {
  it("an answer given on another instance reaches the generator waiting on the owner", async () => {
    const a = await open({ prefix: "ask-x:" });
    const b = await open({ prefix: "ask-x:" });
    const threadId = `ask-${Math.random().toString(36).slice(2)}`;
    let delivered: unknown;
    const execute: RunExecutor = async (sink, signal, hooks) => {
      await sink([{ type: "RUN_STARTED" } as BaseEvent]);
      const value = await new Promise<unknown>((resolve) => {
        hooks?.asks.open({ id: "q1", choices: [{ label: "Yes", value: "yes" }] }, resolve, (state) => ({
          state,
        }));
        signal.addEventListener("abort", () => resolve(undefined), { once: true });
      });
      delivered = value;
      await sink([{ type: "RUN_FINISHED" } as BaseEvent]);
    };
    await a.start({ threadId, agentId: "x", input: input(threadId), execute });
    expect(await b.answer({ threadId, askId: "q1", value: "no" })).toMatchObject({ status: "invalid" });
    expect(await b.answer({ threadId, askId: "q1", value: "yes" })).toEqual({ status: "answered" });
    await a.settled(threadId);
    expect(delivered).toBe("yes");
    // After the run: the owner still knows the question, so a late answer is "closed" (409), not "unknown".
    expect(await b.answer({ threadId, askId: "q1", value: "yes" })).toMatchObject({ status: "closed" });
  });
});
