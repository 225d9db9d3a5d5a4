/**
 * The runner's vocabulary: what a logged event is, what a thread looks like from outside, the
 * errors every runner reports, and how a run is started.
 *
 * @packageDocumentation
 */
import type { BaseEvent, RunAgentInput } from "@ag-ui/core";
import type { AskBox } from "../agent/asks.js";
import type { EventSink } from "../agent/pump.js";

/** One event of a thread's log: its per-thread id (1, 2, 3…, increasing across runs) and the event. */
export interface LoggedEvent {
  readonly id: number;
  readonly event: BaseEvent;
  /** The event as JSON, when the runner has it already (saves the routes a stringify). */
  readonly json?: string;
}

/** A thread as the routes see it. */
export interface ThreadInfo {
  readonly threadId: string;
  /** The agent the thread belongs to. */
  readonly agentId: string;
  /** The current run, or the last one. */
  readonly runId: string;
  /** True while that run has not ended. */
  readonly running: boolean;
  /** Id of the current (or last) run's first event. */
  readonly runFirstId: number;
  /** Oldest id still in the retained log (`newestId + 1` when the log is empty). */
  readonly oldestId: number;
  /** Newest id appended (0 before any). */
  readonly newestId: number;
  /**
   * Who created the thread: the key of the browser session whose run created it (see the
   * handler's thread access), when it was created with one.
   */
  readonly creator?: string;
}

/** Codes of {@link RunnerError}. */
export type RunnerErrorCode =
  /** No such thread (never run here, or evicted). */
  | "unknown_thread"
  /** A resume id newer than the newest event. */
  | "ahead"
  /** A resume id older than the retained window. */
  | "gone"
  /** A reader fell further behind than the retained window while reading. */
  | "slow_reader"
  /** The thread already has a run in progress. */
  | "busy"
  /** A run meant to create the thread found it created by another run first. */
  | "thread_taken"
  /** The runner's store is unavailable (e.g. Redis down). */
  | "unavailable"
  /** The instance that owned the run went away mid-run. */
  | "runner_lost";

/** An error of a runner, with a code the routes turn into a status (404, 409, 410, 503). */
export class RunnerError extends Error {
  override readonly name = "RunnerError";
  constructor(
    readonly code: RunnerErrorCode,
    message: string,
    /** Extra facts (e.g. `newestId`, `oldestId`). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * The errors every runner raises in the same words: a busy thread, an unknown one, a resume id
 * outside the log (ahead, gone), and a reader left behind by the retained window.
 */
export const runnerErrors = {
  busy: (threadId: string, runId: string) =>
    new RunnerError("busy", `Thread "${threadId}" already has a run in progress`, { runId }),
  taken: (threadId: string) =>
    new RunnerError(
      "thread_taken",
      `Thread "${threadId}" was created by another run meanwhile: use a new thread id`,
    ),
  unknownThread: (threadId: string) => new RunnerError("unknown_thread", `Unknown thread "${threadId}"`),
  ahead: (threadId: string, id: number, newestId: number) =>
    new RunnerError(
      "ahead",
      `Event id ${id} is newer than the newest event of thread "${threadId}" (${newestId})`,
      { newestId },
    ),
  gone: (threadId: string, id: number, oldestId: number) =>
    new RunnerError(
      "gone",
      `Event id ${id} is older than the retained window of thread "${threadId}" (oldest kept: ${oldestId})`,
      { oldestId },
    ),
  slowReader: (threadId: string, windowBytes: number, oldestId: number) =>
    new RunnerError(
      "slow_reader",
      `Reader too slow: it fell more than the retained window (${windowBytes} bytes) behind thread "${threadId}"`,
      { oldestId },
    ),
};

/** What the runner hands a run besides its sink and signal. */
export interface RunHooks {
  /** The run's questions: `ctx.ask` registers here, {@link AgentStreamRunner.answer} delivers here. */
  readonly asks: AskBox;
}

/**
 * Runs an agent: hands its events to `sink` until it ends or `signal` aborts (then it must end
 * promptly with an interruption). Resolves when the run is over.
 */
export type RunExecutor = (sink: EventSink, signal: AbortSignal, hooks?: RunHooks) => Promise<void>;

/** What {@link AgentStreamRunner.answer} needs. */
export interface AnswerRequest {
  readonly threadId: string;
  /** The question's id (the `ask` chunk's `id`). */
  readonly askId: string;
  /** The answer: one of the choices' values, or free input that fits the question's schema. */
  readonly value: unknown;
}

/**
 * Where a start or a read came from, for the runner's observers (metrics, the dashboard): the
 * route's label (`plain`, `copilotkit`…) and the connection behind it (opaque to the runner).
 * Passed explicitly rather than through an AsyncLocalStorage: on Node 20 an AsyncLocalStorage in
 * use turns on promise hooks for every promise of the process (≈25 % of the CPU per streamed event).
 */
export interface RequestOrigin {
  readonly route: string;
  readonly connection?: object;
}

/** What {@link AgentStreamRunner.start} needs. */
export interface StartRunRequest {
  /** Where the request came from (see {@link RequestOrigin}). */
  readonly origin?: RequestOrigin;
  readonly threadId: string;
  readonly agentId: string;
  readonly input: RunAgentInput;
  readonly execute: RunExecutor;
  /**
   * The stream's output rate in events per second: beyond it, consecutive deltas of the same
   * message (text, reasoning) merge into one event before they enter the log; nothing is dropped,
   * the order is kept, other events never merge. Default: no limit.
   */
  readonly eventsPerSecond?: number;
  /** Called with the number of deltas merged into an earlier one (the run's `/metrics` counter). */
  readonly onCoalesced?: (events: number) => void;
  /**
   * Set when this run creates the thread: the creator's key, kept with the thread. The start is
   * refused (`thread_taken`) when the thread exists by then (another run created it first).
   */
  readonly creator?: string;
}

/** What a started run reports. */
export interface StartedRun {
  readonly runId: string;
  /** Id of the run's first event (RUN_STARTED). */
  readonly firstId: number;
}

/** What {@link AgentStreamRunner.read} needs. */
export interface ReadRequest {
  readonly threadId: string;
  /**
   * Read the events after this id. Undefined (or 0): from the start of the current (or last)
   * run, or from the oldest event retained when that start has been dropped.
   */
  readonly after?: number;
  /** Ends the read (the reader detaches; the run goes on). */
  readonly signal?: AbortSignal;
  /** Where the reader came from (see {@link RequestOrigin}). */
  readonly origin?: RequestOrigin;
}

/** What a stop names. */
export interface StopRunRequest {
  readonly threadId: string;
  /** Stop only this run. */
  readonly runId?: string;
  /** Why (ends up in the `interrupted` chunk). Default "stopped by user". */
  readonly reason?: string;
}

/** What a runner reports on `/healthz`. */
export interface RunnerHealth {
  /** `degraded`: the runner's store is unreachable (runs fail with `unavailable` until it is back). */
  readonly status: "ok" | "degraded";
  /** Which runner (`memory`, `redis`). */
  readonly runner: string;
  /** Why it is degraded. */
  readonly detail?: string;
}

/** Limits and timings shared by the runners. */
export interface RunnerOptions {
  /**
   * How long a run with no reader keeps running before it is stopped ("no reader"), in
   * milliseconds. 0 stops it as soon as its last reader leaves. Default 30 000.
   */
  detachedRunMs?: number;
  /** Bytes of events a thread's log retains (older events are dropped). Default 16 MiB. */
  maxThreadBytes?: number;
  /** Threads kept; the least recently used finished ones are evicted beyond it. Default 1000. */
  maxThreads?: number;
  /** Bytes kept over all threads; least recently used finished threads are evicted beyond it. Default 256 MiB. */
  maxTotalBytes?: number;
}

/** Default {@link RunnerOptions}. */
export const RUNNER_DEFAULTS = {
  detachedRunMs: 30_000,
  maxThreadBytes: 16 * 1024 * 1024,
  maxThreads: 1000,
  maxTotalBytes: 256 * 1024 * 1024,
} as const;

/** True for the events that end a run. */
export function isRunEnd(event: BaseEvent): boolean {
  return event.type === "RUN_FINISHED" || event.type === "RUN_ERROR";
}

/**
 * Where a read starts: after `after` when the reader names an id, else at the run's first event
 * (or the oldest event kept, when the run's start has been dropped). Throws
 * `RunnerError("ahead")` for an id newer than the newest event and `RunnerError("gone")` for one
 * older than the retained window. Every runner's `read` starts here.
 */
export function readCursor(
  threadId: string,
  after: number | undefined,
  log: { runFirstId: number; oldestId: number; newestId: number },
): number {
  const cursor = after !== undefined && after > 0 ? after : Math.max(log.runFirstId, log.oldestId) - 1;
  if (cursor > log.newestId) throw runnerErrors.ahead(threadId, cursor, log.newestId);
  if (cursor + 1 < log.oldestId) throw runnerErrors.gone(threadId, cursor, log.oldestId);
  return cursor;
}
