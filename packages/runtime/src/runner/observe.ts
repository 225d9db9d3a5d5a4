/**
 * Watching a runner without changing it: {@link observeRunner} wraps one runner instance's
 * `start` and `read` so that an observer sees every run begin and end (with its outcome, chunk
 * and token counts) and every reader attach, read and leave. Works for any
 * {@link AgentStreamRunner} (memory, Redis): both routes and CopilotKit's `run`/`connect` go
 * through `start` and `read`, so nothing escapes it. The server uses it for `/metrics` and for
 * `server.on("stream.*")`.
 *
 * Outcomes are decided where a run ends, from its terminal event: RUN_ERROR is `failed`,
 * RUN_FINISHED is `completed`, or `interrupted` when the `agentstream.interrupted` CUSTOM event
 * came before it; an executor that throws or returns without a terminal event is `failed`.
 *
 * The route a run or read came from is the request's `origin` (the server's routes pass it), else
 * {@link streamRoute} when code calling the runner set it, else `"other"`.
 *
 * @packageDocumentation
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { BaseEvent } from "@ag-ui/core";
import { ChunkDecoder, INTERRUPTED_EVENT, type StreamChunk } from "@agentstream/core";
import type { EventSink } from "../agent/pump.js";
import type { AgentStreamRunner } from "./agent-stream-runner.js";
import { type LoggedEvent, type ReadRequest, type RunExecutor, RunnerError } from "./types.js";

/**
 * The route of runner calls made inside `streamRoute.run(label, …)`, for code that calls the
 * runner itself and wants its runs labelled. The server's own routes pass `origin` instead (an
 * AsyncLocalStorage in use turns promise hooks on for the whole process on Node 20).
 */
export const streamRoute = new AsyncLocalStorage<string>();

/** The key of one run of a thread (the observers' tables of runs use it). */
export const runKey = (threadId: string, runId: string): string => `${threadId}\n${runId}`;

/** How a run ended. */
export type RunOutcome = "completed" | "failed" | "interrupted";

/** A run, as the observer sees it when it starts. */
export interface ObservedRun {
  readonly agentId: string;
  readonly threadId: string;
  readonly runId: string;
  /** The route that started it (`"other"` when unknown). */
  readonly route: string;
  /** `Date.now()` when the run was asked for (`start` called: the thread's claim is part of the run). */
  readonly startedAt: number;
}

/** A run that ended. */
export interface ObservedRunEnd extends ObservedRun {
  readonly outcome: RunOutcome;
  /** Milliseconds from start to the terminal event. */
  readonly durationMs: number;
  /** Chunks the run produced (as the pump hands them; a foreign agent's events decoded by core's ChunkDecoder). */
  readonly chunks: number;
  /** Token chunks among them. */
  readonly tokens: number;
  /** Milliseconds from start to the first event after RUN_STARTED (the agent's first output), when there was one. */
  readonly timeToFirstEventMs: number | undefined;
  /** The RUN_ERROR message (failed) or the interruption reason (interrupted). */
  readonly message: string | undefined;
  /** Deltas merged into an earlier event by the stream's output rate (`eventsPerSecond`). */
  readonly coalesced: number;
}

/** A reader of a thread, as the observer sees it. */
export interface ObservedReader {
  readonly agentId: string;
  readonly threadId: string;
  readonly route: string;
  /** True when it joined a running run that already had a reader (Last-Event-ID resume, attach, connect). */
  readonly resumed: boolean;
  /** The connection behind the reader, when the route named one (`RequestOrigin.connection`). */
  readonly connection?: object;
}

/** What {@link observeRunner} reports. Every callback is optional; a throwing callback is caught and handed to `onError`. */
export interface RunObserver {
  runStarted?(run: ObservedRun): void;
  /** The run's first event after RUN_STARTED. */
  firstEvent?(run: ObservedRun, ms: number): void;
  /** The chunks of one batch of the run, as they are produced (tool calls, asks…). */
  chunks?(run: ObservedRun, chunks: readonly StreamChunk[]): void;
  runEnded?(end: ObservedRunEnd): void;
  /** `count` deltas of the run merged into an earlier event (the output rate, `eventsPerSecond`). */
  coalesced?(run: ObservedRun, count: number): void;
  readerAttached?(reader: ObservedReader): void;
  /** A batch of `count` events handed to a reader. */
  readerEvents?(reader: ObservedReader, count: number): void;
  readerDetached?(reader: ObservedReader): void;
  /** A reader ended because it fell out of the retained window. */
  slowReader?(reader: ObservedReader): void;
  /** A callback threw (the run goes on). */
  onError?(error: unknown, where: string): void;
}

/** Events that open or close a message and carry no chunk of their own. */
const LIFECYCLE = new Set(["RUN_STARTED"]);

/**
 * Wraps `runner.start` and `runner.read` (on this instance only) so `observer` sees runs and
 * readers. Returns a function that removes the wrapping.
 */
export function observeRunner(runner: AgentStreamRunner, observer: RunObserver): () => void {
  const ownStart = Object.hasOwn(runner, "start");
  const ownRead = Object.hasOwn(runner, "read");
  const start = runner.start;
  const read = runner.read;
  /** Runs that have had a reader (thread id + run id), so later readers count as resumed. */
  const readRuns = new Set<string>();

  const call = <A extends unknown[]>(
    where: string,
    fn: ((...args: A) => void) | undefined,
    ...args: A
  ): void => {
    if (!fn) return;
    try {
      fn.apply(observer, args);
    } catch (error) {
      try {
        observer.onError?.(error, where);
      } catch {
        // nothing more to do
      }
    }
  };

  runner.start = function observedStart(request) {
    const route = request.origin?.route ?? streamRoute.getStore() ?? "other";
    // The run starts when it is asked for: claiming the thread is part of it.
    const run: ObservedRun = {
      agentId: request.agentId,
      threadId: request.threadId,
      runId: request.input.runId,
      route,
      startedAt: Date.now(),
    };
    let coalesced = 0;
    const onCoalesced = (count: number) => {
      coalesced += count;
      call("coalesced", observer.coalesced, run, count);
      request.onCoalesced?.(count);
    };
    const execute: RunExecutor = async (sink, signal, hooks) => {
      const t0 = performance.now();
      const decoder = new ChunkDecoder();
      let chunks = 0;
      let tokens = 0;
      let firstAt: number | undefined;
      let interruptedReason: string | undefined;
      let interrupted = false;
      let ended = false;
      const end = (outcome: RunOutcome, message: string | undefined) => {
        if (ended) return;
        ended = true;
        readRuns.delete(runKey(run.threadId, run.runId));
        call("runEnded", observer.runEnded, {
          ...run,
          outcome,
          durationMs: performance.now() - t0,
          chunks,
          tokens,
          timeToFirstEventMs: firstAt,
          message,
          coalesced,
        });
      };
      const observe = (event: BaseEvent) => {
        if (ended) return;
        if (firstAt === undefined && !LIFECYCLE.has(event.type)) {
          firstAt = performance.now() - t0;
          call("firstEvent", observer.firstEvent, run, firstAt);
        }
        if (event.type === "CUSTOM" && (event as { name?: unknown }).name === INTERRUPTED_EVENT) {
          interrupted = true;
          const value = (event as { value?: { reason?: unknown } }).value;
          if (typeof value?.reason === "string") interruptedReason = value.reason;
        } else if (event.type === "RUN_FINISHED") {
          end(interrupted ? "interrupted" : "completed", interrupted ? interruptedReason : undefined);
        } else if (event.type === "RUN_ERROR") {
          const message = (event as { message?: unknown }).message;
          end("failed", typeof message === "string" ? message : undefined);
        }
      };
      /** Counts the chunks the pump names; a foreign agent's events are decoded to find them. */
      const count = (events: readonly BaseEvent[], produced: readonly StreamChunk[] | undefined) => {
        let batch: readonly StreamChunk[];
        try {
          batch = produced ?? events.flatMap((event) => decoder.decode(event));
        } catch {
          return; // counting only: a malformed event is the reader's business
        }
        for (const chunk of batch) {
          chunks++;
          if (chunk.type === "token") tokens++;
        }
        if (batch.length > 0) call("chunks", observer.chunks, run, batch);
      };
      const observedSink: EventSink = (events, produced) => {
        if (!ended) count(events, produced);
        for (const event of events) observe(event);
        return sink(events, produced);
      };
      call("runStarted", observer.runStarted, run);
      try {
        // The hooks (the run's AskBox) go through: without them `ctx.ask` could not get its answer.
        await request.execute(observedSink, signal, hooks);
      } catch (error) {
        end("failed", error instanceof Error ? error.message : String(error));
        throw error;
      } finally {
        end("failed", "The run ended without RUN_FINISHED");
      }
    };
    return start.call(this, { ...request, execute, onCoalesced });
  };

  runner.read = function observedRead(request: ReadRequest): AsyncIterable<readonly LoggedEvent[]> {
    const route = request.origin?.route ?? streamRoute.getStore() ?? "other";
    const connection = request.origin?.connection;
    const self = this as AgentStreamRunner;
    return {
      async *[Symbol.asyncIterator]() {
        const thread = await self.thread(request.threadId).catch(() => undefined);
        let resumed = false;
        if (thread?.running) {
          const key = runKey(thread.threadId, thread.runId);
          resumed = readRuns.has(key);
          readRuns.add(key);
        }
        const reader: ObservedReader = {
          agentId: thread?.agentId ?? "unknown",
          threadId: request.threadId,
          route,
          resumed,
          ...(connection ? { connection } : {}),
        };
        let attached = false;
        try {
          for await (const batch of read.call(self, request)) {
            if (!attached) {
              attached = true;
              call("readerAttached", observer.readerAttached, reader);
            }
            call("readerEvents", observer.readerEvents, reader, batch.length);
            yield batch;
          }
        } catch (error) {
          if (error instanceof RunnerError && error.code === "slow_reader")
            call("slowReader", observer.slowReader, reader);
          throw error;
        } finally {
          if (attached) call("readerDetached", observer.readerDetached, reader);
        }
      },
    };
  };

  return () => {
    if (ownStart) runner.start = start;
    else delete (runner as { start?: unknown }).start;
    if (ownRead) runner.read = read;
    else delete (runner as { read?: unknown }).read;
  };
}

/** One observer that calls each of `observers` in turn (undefined ones are skipped). */
export function combineObservers(...observers: (RunObserver | undefined)[]): RunObserver {
  const list = observers.filter((o): o is RunObserver => o !== undefined);
  const each =
    <K extends Exclude<keyof RunObserver, "onError">>(key: K) =>
    (...args: Parameters<NonNullable<RunObserver[K]>>) => {
      for (const o of list) {
        const fn = o[key] as ((...a: typeof args) => void) | undefined;
        if (!fn) continue;
        try {
          fn.apply(o, args);
        } catch (error) {
          for (const e of list) e.onError?.(error, key);
        }
      }
    };
  return {
    runStarted: each("runStarted"),
    firstEvent: each("firstEvent"),
    chunks: each("chunks"),
    runEnded: each("runEnded"),
    coalesced: each("coalesced"),
    readerAttached: each("readerAttached"),
    readerEvents: each("readerEvents"),
    readerDetached: each("readerDetached"),
    slowReader: each("slowReader"),
    onError: (error, where) => {
      for (const e of list) e.onError?.(error, where);
    },
  };
}
