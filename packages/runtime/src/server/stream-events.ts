/**
 * Server events for code that lives beside the server:
 * `server.on("stream.started" | "stream.completed" | "stream.failed" | "stream.interrupted", listener)`.
 *
 * Listeners are called synchronously where the run starts or ends (keep them quick; hand slow
 * work to a queue). A listener that throws, or returns a promise that rejects, is logged
 * (`stream_listener_error`) and never breaks the stream.
 *
 * @packageDocumentation
 */
import type { ObservedRun, ObservedRunEnd, RunObserver } from "../runner/observe.js";
import type { Logger } from "./logging.js";

/** What every stream event carries. */
export interface StreamEventBase {
  /** The agent id. */
  agent: string;
  /** The thread id. */
  thread: string;
  /** The run id. */
  run: string;
  /** The route that started the run: `plain`, `copilotkit`, `stream` (seed 004), or `other`. */
  route: string;
  /** `Date.now()` when the run started. */
  startedAt: number;
}

/** `stream.started`. */
export type StreamStartedEvent = StreamEventBase;

/** `stream.completed`, `stream.failed`, `stream.interrupted`. */
export interface StreamEndedEvent extends StreamEventBase {
  outcome: "completed" | "failed" | "interrupted";
  /** Milliseconds from start to end. */
  duration: number;
  /** Chunks the run produced. */
  chunks: number;
  /** Token chunks among them. */
  tokens: number;
  /** Milliseconds to the agent's first event after RUN_STARTED, when there was one. */
  timeToFirstEvent: number | undefined;
  /** The error message (failed) or the interruption reason (interrupted). */
  message: string | undefined;
}

/** The server's stream events and what their listeners receive. */
export interface StreamEventMap {
  "stream.started": StreamStartedEvent;
  "stream.completed": StreamEndedEvent;
  "stream.failed": StreamEndedEvent;
  "stream.interrupted": StreamEndedEvent;
}

/** A stream event name. */
export type StreamEventName = keyof StreamEventMap;

/** A listener of `name`. */
export type StreamEventListener<N extends StreamEventName> = (event: StreamEventMap[N]) => unknown;

const NAMES: readonly StreamEventName[] = [
  "stream.started",
  "stream.completed",
  "stream.failed",
  "stream.interrupted",
];

/** The listeners of one server, and the runner observer that feeds them. */
export class StreamEvents {
  private readonly listeners = new Map<StreamEventName, Set<(event: never) => unknown>>();

  constructor(private readonly logger: Logger) {}

  /** Adds a listener; returns a function that removes it. */
  on<N extends StreamEventName>(name: N, listener: StreamEventListener<N>): () => void {
    if (!NAMES.includes(name))
      throw new Error(`Unknown server event "${String(name)}" (known: ${NAMES.join(", ")})`);
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as (event: never) => unknown);
    return () => this.off(name, listener);
  }

  /** Removes a listener. */
  off<N extends StreamEventName>(name: N, listener: StreamEventListener<N>): void {
    this.listeners.get(name)?.delete(listener as (event: never) => unknown);
  }

  /** Calls the listeners of `name`; none of them can throw out of here. */
  emit<N extends StreamEventName>(name: N, event: StreamEventMap[N]): void {
    const set = this.listeners.get(name);
    if (!set || set.size === 0) return;
    for (const listener of [...set]) {
      try {
        const out = (listener as StreamEventListener<N>)(event);
        if (out && typeof (out as Promise<unknown>).then === "function")
          (out as Promise<unknown>).then(undefined, (error: unknown) => this.failed(name, error));
      } catch (error) {
        this.failed(name, error);
      }
    }
  }

  /** The runner observer that turns run starts and ends into these events. */
  observer(): RunObserver {
    return {
      runStarted: (run) => this.emit("stream.started", base(run)),
      runEnded: (end) => this.emit(`stream.${end.outcome}`, ended(end)),
    };
  }

  private failed(name: StreamEventName, error: unknown): void {
    this.logger.error("stream_listener_error", {
      event: name,
      message: error instanceof Error ? error.message : String(error),
    });
  }
}

function base(run: ObservedRun): StreamEventBase {
  return {
    agent: run.agentId,
    thread: run.threadId,
    run: run.runId,
    route: run.route,
    startedAt: run.startedAt,
  };
}

function ended(end: ObservedRunEnd): StreamEndedEvent {
  return {
    ...base(end),
    outcome: end.outcome,
    duration: end.durationMs,
    chunks: end.chunks,
    tokens: end.tokens,
    timeToFirstEvent: end.timeToFirstEventMs,
    message: end.message,
  };
}
