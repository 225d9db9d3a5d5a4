/**
 * The runner conformance suite: what every AgentStream runner must do, parameterised by a runner
 * factory so that the memory runner and the Redis runner run the same cases. Runs are real
 * generator agents driven by the pump (`executorFor(new GeneratorAgent(def), input)`).
 */
import type { BaseEvent } from "@ag-ui/core";
import { firstValueFrom, lastValueFrom, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import {
  type AgentDefinition,
  defineAgent,
  executorFor,
  GeneratorAgent,
  RunnerError,
  type RunnerOptions,
} from "../src/index.js";
import type { AgentStreamRunner, LoggedEvent } from "../src/runner.js";
import { runInput, waitFor } from "./helpers.js";

/** What a conformance factory gives: a fresh runner and how to release it. */
export interface RunnerUnderTest {
  runner: AgentStreamRunner;
  close(): Promise<void>;
}

/** Makes a runner with the given options. */
export type RunnerFactory = (options: RunnerOptions) => Promise<RunnerUnderTest>;

const finallyAt = new Map<string, number>();

/** Yields `count` tokens, `delayMs` apart (0: none); records when its `finally` ran. */
function tokens(count: number, delayMs = 0): AgentDefinition {
  return defineAgent({
    name: "tokens",
    description: "test",
    async *run(input, ctx) {
      try {
        for (let i = 0; i < count; i++) {
          yield `t${i} `;
          if (delayMs > 0) await ctx.sleep(delayMs);
        }
        return { count };
      } finally {
        finallyAt.set(input.runId, performance.now());
      }
    },
  });
}

/**
 * Yields one token, waits until `gate` resolves, then yields `count` more: a test decides exactly
 * where the run is when its reader reads (no race with a fast generator on a loaded machine).
 */
function gated(gate: Promise<void>, count: number): AgentDefinition {
  return defineAgent({
    name: "gated",
    description: "test",
    async *run() {
      yield "first ";
      await gate;
      for (let i = 0; i < count; i++) yield `t${i} `;
      return { count };
    },
  });
}

async function start(runner: AgentStreamRunner, def: AgentDefinition, threadId?: string) {
  const input = runInput("go", threadId ? { threadId } : {});
  const started = await runner.start({
    threadId: input.threadId,
    agentId: def.name,
    input,
    execute: executorFor(new GeneratorAgent(def), input),
  });
  return { input, ...started };
}

async function readAll(
  runner: AgentStreamRunner,
  threadId: string,
  after?: number,
  signal?: AbortSignal,
): Promise<LoggedEvent[]> {
  const out: LoggedEvent[] = [];
  for await (const batch of runner.read({ threadId, after, signal })) out.push(...batch);
  return out;
}

async function readError(runner: AgentStreamRunner, threadId: string, after?: number): Promise<RunnerError> {
  try {
    await readAll(runner, threadId, after);
  } catch (error) {
    if (error instanceof RunnerError) return error;
    throw error;
  }
  throw new Error("expected a RunnerError");
}

const ids = (events: readonly LoggedEvent[]) => events.map((e) => e.id);
const types = (events: readonly { type: string }[]) => events.map((e) => e.type);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Registers the conformance cases for one runner. */
export function runnerConformance(name: string, factory: RunnerFactory): void {
  describe(`runner conformance: ${name}`, () => {
    async function withRunner<T>(options: RunnerOptions, body: (runner: AgentStreamRunner) => Promise<T>) {
      const under = await factory(options);
      try {
        return await body(under.runner);
      } finally {
        await under.close();
      }
    }

    it("run and read: ids 1, 2, 3… without gaps, RUN_STARTED first, RUN_FINISHED last, the result", () =>
      withRunner({}, async (runner) => {
        const { input, firstId } = await start(runner, tokens(20));
        expect(firstId).toBe(1);
        const events = await readAll(runner, input.threadId);
        expect(ids(events)).toEqual(range(1, events.length));
        expect(events[0]?.event.type).toBe("RUN_STARTED");
        expect(events.at(-1)?.event.type).toBe("RUN_FINISHED");
        expect((events.at(-1)?.event as unknown as { result?: unknown } | undefined)?.result).toEqual({
          count: 20,
        });
        const text = events
          .filter((e) => e.event.type === "TEXT_MESSAGE_CONTENT")
          .map((e) => (e.event as unknown as { delta: string }).delta)
          .join("");
        expect(text).toBe(Array.from({ length: 20 }, (_, i) => `t${i} `).join(""));
        expect(await runner.isRunning({ threadId: input.threadId })).toBe(false);
      }));

    it("replay from every id gives exactly the events after it", () =>
      withRunner({}, async (runner) => {
        const { input } = await start(runner, tokens(15));
        const all = await readAll(runner, input.threadId);
        const last = all.length;
        for (let after = 1; after <= last; after++) {
          const rest = await readAll(runner, input.threadId, after);
          expect(ids(rest)).toEqual(range(after + 1, last));
          expect(rest.map((e) => e.event)).toEqual(all.slice(after).map((e) => e.event));
        }
      }));

    it("live follow: a reader gets the events while the run produces them, then the end", () =>
      withRunner({}, async (runner) => {
        const { input } = await start(runner, tokens(10, 15));
        const arrivals: number[] = [];
        const t0 = performance.now();
        const events: LoggedEvent[] = [];
        for await (const batch of runner.read({ threadId: input.threadId })) {
          for (const e of batch) {
            events.push(e);
            if (e.event.type === "TEXT_MESSAGE_CONTENT") arrivals.push(performance.now() - t0);
          }
        }
        expect(arrivals).toHaveLength(10);
        // Spread over the run (10 tokens 15 ms apart), not delivered at the end.
        expect((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThan(60);
        expect(ids(events)).toEqual(range(1, events.length));
      }));

    it("two readers at once see identical streams", () =>
      withRunner({}, async (runner) => {
        const { input } = await start(runner, tokens(12, 5));
        const [a, b] = await Promise.all([readAll(runner, input.threadId), readAll(runner, input.threadId)]);
        expect(ids(a)).toEqual(ids(b));
        expect(a.map((e) => e.event)).toEqual(b.map((e) => e.event));
        expect(a.at(-1)?.event.type).toBe("RUN_FINISHED");
      }));

    it("isRunning, and a second run on a running thread is refused (busy)", () =>
      withRunner({}, async (runner) => {
        const { input } = await start(runner, tokens(1000, 5));
        expect(await runner.isRunning({ threadId: input.threadId })).toBe(true);
        await expect(start(runner, tokens(1), input.threadId)).rejects.toMatchObject({ code: "busy" });
        expect(await runner.stopRun({ threadId: input.threadId })).toBe(true);
        expect(await waitFor(async () => !(await runner.isRunning({ threadId: input.threadId })))).toBe(true);
      }));

    it("stop: the generator's finally runs within 100 ms; the run ends interrupted ('stopped by user')", () =>
      withRunner({}, async (runner) => {
        const { input } = await start(runner, tokens(100_000, 5));
        const reading = readAll(runner, input.threadId);
        await new Promise((r) => setTimeout(r, 50));
        const stoppedAt = performance.now();
        expect(await runner.stopRun({ threadId: input.threadId })).toBe(true);
        expect(await waitFor(() => finallyAt.has(input.runId), 1_000, 1)).toBe(true);
        expect((finallyAt.get(input.runId) ?? Infinity) - stoppedAt).toBeLessThan(100);
        const events = await reading;
        const interrupted = events.find((e) => e.event.type === "CUSTOM")?.event as unknown as {
          name: string;
          value: { reason: string; partial?: string };
        };
        expect(interrupted.name).toBe("agentstream.interrupted");
        expect(interrupted.value.reason).toBe("stopped by user");
        expect(interrupted.value.partial).toMatch(/^t0 t1 /);
        expect(events.at(-1)?.event.type).toBe("RUN_FINISHED");
        expect(await runner.stopRun({ threadId: input.threadId })).toBe(false);
      }));

    it("stop names a run: another run id is not stopped", () =>
      withRunner({}, async (runner) => {
        const { input } = await start(runner, tokens(100_000, 5));
        expect(await runner.stopRun({ threadId: input.threadId, runId: "not-this-one" })).toBe(false);
        expect(await runner.isRunning({ threadId: input.threadId })).toBe(true);
        expect(await runner.stopRun({ threadId: input.threadId, runId: input.runId })).toBe(true);
      }));

    it("ids go on increasing across the runs of a thread; the default read starts at the current run", () =>
      withRunner({}, async (runner) => {
        const first = await start(runner, tokens(3));
        const a = await readAll(runner, first.input.threadId);
        const second = await start(runner, tokens(4), first.input.threadId);
        expect(second.firstId).toBe(a.length + 1);
        const b = await readAll(runner, first.input.threadId);
        expect(ids(b)).toEqual(range(second.firstId, second.firstId + b.length - 1));
        expect(b[0]?.event.type).toBe("RUN_STARTED");
        // From inside the first run: the rest of it (then the read ends at its RUN_FINISHED).
        const tail = await readAll(runner, first.input.threadId, 2);
        expect(ids(tail)).toEqual(range(3, a.length));
      }));

    it("unknown thread, an id newer than the log (ahead, with the newest id)", () =>
      withRunner({}, async (runner) => {
        expect((await readError(runner, "no-such-thread")).code).toBe("unknown_thread");
        expect(await runner.thread("no-such-thread")).toBeUndefined();
        const { input } = await start(runner, tokens(3));
        const all = await readAll(runner, input.threadId);
        const error = await readError(runner, input.threadId, all.length + 5);
        expect(error.code).toBe("ahead");
        expect(error.details.newestId).toBe(all.length);
        const info = await runner.thread(input.threadId);
        expect(info).toMatchObject({
          agentId: "tokens",
          runId: input.runId,
          running: false,
          newestId: all.length,
        });
      }));

    it("detached: a run nobody reads is stopped after detachedRunMs ('no reader')", () =>
      withRunner({ detachedRunMs: 80 }, async (runner) => {
        const { input } = await start(runner, tokens(100_000, 5));
        await new Promise((r) => setTimeout(r, 30));
        expect(await runner.isRunning({ threadId: input.threadId })).toBe(true);
        expect(await waitFor(() => finallyAt.has(input.runId), 2_000)).toBe(true);
        const events = await readAll(runner, input.threadId);
        const interrupted = events.find((e) => e.event.type === "CUSTOM")?.event as unknown as {
          value: { reason: string };
        };
        expect(interrupted.value.reason).toBe("no reader");
      }));

    it("detached: the run's status row ends on 'interrupted', also in what /connect replays", () =>
      withRunner({ detachedRunMs: 60 }, async (runner) => {
        const working = defineAgent({
          name: "working",
          description: "test",
          async *run(_input, ctx) {
            yield { type: "status", status: "observing", iteration: 1 };
            for (let i = 0; ; i++) {
              yield `w${i} `;
              await ctx.sleep(5);
            }
          },
        });
        const { input } = await start(runner, working);
        await waitFor(async () => !(await runner.isRunning({ threadId: input.threadId })), 2_000);
        const replayed = await lastValueFrom(runner.connect({ threadId: input.threadId }).pipe(toArray()));
        const rows = replayed
          .filter((e) => e.type === "ACTIVITY_SNAPSHOT")
          .map((e) => (e as unknown as { content: { status: string; final?: true } }).content);
        expect(rows.at(-1)).toEqual({ status: "interrupted", iteration: 1, final: true });
        expect(replayed.at(-1)?.type).toBe("RUN_FINISHED");
      }));

    it("detached: a reader that comes back before the timeout keeps the run alive and gets the rest", () =>
      withRunner({ detachedRunMs: 300 }, async (runner) => {
        const { input } = await start(runner, tokens(40, 10));
        const controller = new AbortController();
        const seen: LoggedEvent[] = [];
        for await (const batch of runner.read({ threadId: input.threadId, signal: controller.signal })) {
          seen.push(...batch);
          if (seen.length >= 5) break;
        }
        // Gone for 150 ms (under the 300 ms timeout), then back from where it left off.
        await new Promise((r) => setTimeout(r, 150));
        expect(finallyAt.has(input.runId)).toBe(false);
        const last = seen.at(-1)?.id ?? 0;
        const rest = await readAll(runner, input.threadId, last);
        expect(ids([...seen, ...rest])).toEqual(range(1, last + rest.length));
        expect(rest.at(-1)?.event.type).toBe("RUN_FINISHED");
        expect((rest.at(-1)?.event as unknown as { result?: unknown } | undefined)?.result).toEqual({
          count: 40,
        });
      }));

    it("stop while detached ends the run at once", () =>
      withRunner({ detachedRunMs: 10_000 }, async (runner) => {
        const { input } = await start(runner, tokens(100_000, 5));
        for await (const batch of runner.read({ threadId: input.threadId })) if (batch.length > 0) break;
        await new Promise((r) => setTimeout(r, 30));
        expect(await runner.isRunning({ threadId: input.threadId })).toBe(true);
        const stoppedAt = performance.now();
        expect(await runner.stopRun({ threadId: input.threadId })).toBe(true);
        expect(await waitFor(() => finallyAt.has(input.runId), 1_000, 1)).toBe(true);
        expect((finallyAt.get(input.runId) ?? Infinity) - stoppedAt).toBeLessThan(100);
      }));

    it("limits: the log keeps a bounded window; an id before it is gone; a reader left behind is told", () =>
      withRunner({ maxThreadBytes: 20_000 }, async (runner) => {
        let open = () => {};
        const gate = new Promise<void>((resolve) => {
          open = resolve;
        });
        const { input } = await start(runner, gated(gate, 3_000));
        // A reader that stops reading after its first batch while the run goes on. The run waits
        // at its gate until that batch is read, so the reader is behind by the whole run.
        const iterator = runner.read({ threadId: input.threadId })[Symbol.asyncIterator]();
        const first = await iterator.next();
        expect(first.done).toBe(false);
        expect(first.value?.[0]?.id).toBe(1);
        open();
        expect(
          await waitFor(async () => !(await runner.isRunning({ threadId: input.threadId })), 5_000),
        ).toBe(true);
        const info = await runner.thread(input.threadId);
        expect(info?.oldestId).toBeGreaterThan(1);
        const gone = await readError(runner, input.threadId, 1);
        expect(gone.code).toBe("gone");
        expect(gone.details.oldestId).toBe(info?.oldestId);
        await expect(
          (async () => {
            for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
              // drain
            }
          })(),
        ).rejects.toMatchObject({ code: "slow_reader" });
        // What is retained can still be read from its start to the end.
        const oldest = info?.oldestId ?? 1;
        const tail = await readAll(runner, input.threadId, oldest - 1);
        expect(tail[0]?.id).toBe(oldest);
        expect(tail.at(-1)?.event.type).toBe("RUN_FINISHED");
      }));

    it("ask: answer() hands the value to the waiting generator; a second answer is closed; unknown ids", () =>
      withRunner({}, async (runner) => {
        const asking = defineAgent({
          name: "asking",
          description: "test",
          async *run(_input, ctx) {
            yield "before ";
            const choice = await ctx.ask({ prompt: "Which?", choices: ["a", "b"] });
            yield `chose ${String(choice)}`;
          },
        });
        const { input } = await start(runner, asking);
        const seen: LoggedEvent[] = [];
        let askId: string | undefined;
        const reading = (async () => {
          for await (const batch of runner.read({ threadId: input.threadId })) {
            seen.push(...batch);
            for (const e of batch) {
              const content = (e.event as unknown as { activityType?: string; content?: { id?: string } })
                .activityType;
              if (content === "agentstream.ask")
                askId ??= (e.event as unknown as { content: { id: string } }).content.id;
            }
          }
        })();
        expect(await waitFor(() => askId !== undefined, 2_000)).toBe(true);
        expect(await runner.answer({ threadId: input.threadId, askId: "nope", value: "a" })).toEqual({
          status: "unknown",
        });
        expect(
          (await runner.answer({ threadId: input.threadId, askId: askId as string, value: "c" })).status,
        ).toBe("invalid");
        expect(await runner.answer({ threadId: input.threadId, askId: askId as string, value: "b" })).toEqual(
          {
            status: "answered",
          },
        );
        await reading;
        const text = seen
          .filter((e) => e.event.type === "TEXT_MESSAGE_CONTENT")
          .map((e) => (e.event as unknown as { delta: string }).delta)
          .join("");
        expect(text).toBe("before chose b");
        expect(
          (await runner.answer({ threadId: input.threadId, askId: askId as string, value: "a" })).status,
        ).toBe("closed");
      }));

    it("CopilotKit contract: run() streams the run; connect() replays the thread, then follows a live run", () =>
      withRunner({}, async (runner) => {
        const def = tokens(5);
        const input = runInput("first");
        const agent = new GeneratorAgent(def).clone();
        agent.agentId = "tokens";
        const events = await lastValueFrom(
          runner.run({ threadId: input.threadId, agent, input }).pipe(toArray()),
        );
        expect(types(events)[0]).toBe("RUN_STARTED");
        expect(types(events).at(-1)).toBe("RUN_FINISHED");
        const started = events[0] as BaseEvent & { input?: { messages: unknown[] } };
        expect(started.input?.messages).toHaveLength(1);

        const replay = await lastValueFrom(runner.connect({ threadId: input.threadId }).pipe(toArray()));
        // Compacted: one TEXT_MESSAGE_CONTENT carrying the whole text.
        const contents = replay.filter((e) => e.type === "TEXT_MESSAGE_CONTENT");
        expect(contents).toHaveLength(1);
        expect((contents[0] as unknown as { delta: string }).delta).toBe("t0 t1 t2 t3 t4 ");
        expect(types(replay)).toContain("RUN_STARTED");

        // A live run: connect gives the history, then this run's events as they come.
        const live = runInput("second", { threadId: input.threadId });
        await runner.start({
          threadId: input.threadId,
          agentId: "tokens",
          input: live,
          execute: executorFor(new GeneratorAgent(tokens(20, 5)), live),
        });
        const followed = await lastValueFrom(runner.connect({ threadId: input.threadId }).pipe(toArray()));
        const runStarts = followed.filter((e) => e.type === "RUN_STARTED");
        expect(runStarts).toHaveLength(2);
        expect(types(followed).at(-1)).toBe("RUN_FINISHED");
        // The second run's RUN_STARTED carries only its new message.
        const second = runStarts[1] as BaseEvent & { input?: { messages: { id: string }[] } };
        expect(second.input?.messages.map((m) => m.id)).toEqual([live.messages[0]?.id]);
        expect(await firstValueFrom(runner.connect({ threadId: "unknown" }).pipe(toArray()))).toEqual([]);
        expect(await runner.isRunning({ threadId: input.threadId })).toBe(false);
      }));
  });
}
