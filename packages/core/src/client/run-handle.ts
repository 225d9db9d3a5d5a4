/**
 * One run seen from the client: its status, its store, its events as an async iterable, stop.
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import type { StreamChunk } from "../chunk.js";
import { createRunStore, type RunStore } from "../run/store.js";
import type { MalformedEventError } from "../sse.js";
import type { RunState } from "../state.js";
import type { ReconnectPolicy } from "./backoff.js";
import { RunClientError } from "./errors.js";
import { resumableEvents, type StreamStart } from "./event-stream.js";
import type { AgentRoutes, TransportOptions } from "./http.js";
import { linkedController } from "./link-signal.js";

/**
 * Where a run handle is: `idle` (not started: nothing is sent before the first read),
 * `running` (connected, or connecting), `reconnecting` (the connection dropped; waiting to
 * resume), then `done`, `error` or `stopped` (stop(), an aborted signal, or the reader left).
 */
export type RunConnectionStatus = "idle" | "running" | "reconnecting" | "done" | "error" | "stopped";

/** A run (or an attachment to a thread) of the run client. */
export interface AgentRunHandle extends AsyncIterable<BaseEvent> {
  /** The agent. */
  readonly agentId: string;
  /** The thread the run belongs to. */
  readonly threadId: string;
  /** The run's id (the one sent for a new run; from RUN_STARTED when attaching). */
  readonly runId: string | undefined;
  /**
   * The thread's token once the server handed it out (the run that created the thread), else
   * the one the client was given: what another client needs to attach to or stop the thread.
   */
  readonly threadToken: string | undefined;
  /** The store every event is folded into, as it arrives: render it, or read `getSnapshot()`. */
  readonly store: RunStore;
  /** See {@link RunConnectionStatus}. */
  readonly status: RunConnectionStatus;
  /** Why the run failed: a {@link RunClientError} (HTTP, network, retries exhausted) or the agent's RUN_ERROR. */
  readonly error: Error | undefined;
  /** The id of the last event received (what a reconnect resumes after). */
  readonly lastEventId: number | undefined;
  /** Reconnects so far. */
  readonly reconnects: number;
  /** Frames skipped because they were not AG-UI events. */
  readonly malformed: number;
  /** Calls `listener` when `status`, `error` or `reconnects` change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /**
   * The run's events, each delivered once, in order. Starts the request on the first read.
   * Leaving the loop early closes the connection (the run goes on on the server: use `stop` to
   * end it). Throws a {@link RunClientError} when the transport fails for good; an agent's
   * RUN_ERROR is an event, not a throw. One reader per handle.
   */
  [Symbol.asyncIterator](): AsyncIterator<BaseEvent>;
  /** The run as chunks (the events decoded by the store's decoder); same rules as iterating events. */
  chunks(): AsyncIterable<StreamChunk>;
  /**
   * Reads the run to its end if nobody iterates it, and resolves with the final state. Never
   * rejects: read `status` and `error`.
   */
  result(): Promise<RunState>;
  /**
   * Stops the run: closes the connection at once (no reconnect follows), marks the store
   * `interrupted` and asks the server to stop the thread's run (`POST …/stop`, not retried).
   * Resolves when the server answered (or could not be reached).
   */
  stop(): Promise<void>;
  /** Closes the connection without stopping the run on the server (it can be attached to again). */
  detach(reason?: unknown): void;
}

/** What a handle needs from its client. */
export interface RunHandlePlan {
  agentId: string;
  threadId: string;
  runId: string | undefined;
  start: StreamStart;
  transport: TransportOptions;
  routes: AgentRoutes;
  policy: ReconnectPolicy;
  store: RunStore | undefined;
  signal: AbortSignal | undefined;
  /** `POST …/stop` of the thread. */
  stopThread: () => Promise<unknown>;
}

interface Step {
  event: BaseEvent;
  chunk: StreamChunk | undefined;
}

/** The {@link AgentRunHandle} implementation. */
export class RunHandle implements AgentRunHandle {
  readonly agentId: string;
  readonly threadId: string;
  readonly store: RunStore;
  runId: string | undefined;
  status: RunConnectionStatus = "idle";
  error: Error | undefined;
  lastEventId: number | undefined;
  reconnects = 0;
  malformed = 0;
  private readonly plan: RunHandlePlan;
  private readonly listeners = new Set<() => void>();
  private readonly local: AbortController;
  private readonly unlink: () => void;
  private started = false;
  private stopped = false;
  private settle!: (state: RunState) => void;
  private readonly settled: Promise<RunState>;

  constructor(plan: RunHandlePlan) {
    this.plan = plan;
    this.agentId = plan.agentId;
    this.threadId = plan.threadId;
    this.runId = plan.runId;
    this.store = plan.store ?? createRunStore();
    const { controller, dispose } = linkedController(plan.signal);
    this.local = controller;
    this.unlink = dispose;
    this.settled = new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  get threadToken(): string | undefined {
    return this.plan.transport.threadTokens?.get(this.threadId);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private set(status: RunConnectionStatus, error?: Error): void {
    if (this.status === status && error === undefined) return;
    if (this.status === "reconnecting" && status === "running") this.reconnects++;
    this.status = status;
    if (error !== undefined) this.error = error;
    for (const l of Array.from(this.listeners)) l();
  }

  private get ended(): boolean {
    return this.status === "done" || this.status === "error" || this.status === "stopped";
  }

  private finish(status: RunConnectionStatus, error?: Error): void {
    if (this.ended) return;
    this.unlink();
    this.set(status, error);
    this.settle(this.store.getSnapshot());
  }

  /** The one loop: events from the network, folded into the store, handed to the reader. */
  private async *steps(): AsyncGenerator<Step> {
    if (this.started) throw new Error("This run is already being read: a run handle has one reader.");
    this.started = true;
    if (this.local.signal.aborted) {
      this.finish("stopped");
      return;
    }
    if (this.plan.start.kind === "run") this.store.reset();
    this.set("running");
    const source = resumableEvents(
      {
        transport: this.plan.transport,
        routes: this.plan.routes,
        threadId: this.threadId,
        start: this.plan.start,
        policy: this.plan.policy,
        signal: this.local.signal,
      },
      {
        onStatus: (status) => this.set(status),
        onMalformed: (error: MalformedEventError) => {
          this.malformed++;
          if (this.malformed === 1) console.warn(`[agentstream] ${error.message}`);
        },
        onEventId: (id) => {
          this.lastEventId = id;
        },
      },
    );
    try {
      for await (const event of source) {
        if (this.local.signal.aborted) break;
        if (event.type === "RUN_STARTED" && this.plan.start.kind === "attach") {
          const runId = (event as { runId?: unknown }).runId;
          if (typeof runId === "string") {
            if (this.runId !== undefined && this.runId !== runId) this.store.reset();
            this.runId = runId;
          }
        }
        const chunk = this.store.pushEvent(event);
        yield { event, chunk };
      }
    } catch (error) {
      const failure = error instanceof Error ? error : new RunClientError("network", String(error));
      this.finish("error", failure);
      throw failure;
    } finally {
      if (!this.ended) {
        if (this.local.signal.aborted || this.stopped) this.finish("stopped");
        else {
          const state = this.store.getSnapshot();
          if (state.error !== undefined) this.finish("error", new Error(state.error.message));
          else if (state.done) this.finish("done");
          else if (state.interruption !== undefined) this.finish("stopped");
          // The reader left before the end: close the connection, the run goes on on the server.
          else this.finish("stopped");
        }
      }
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<BaseEvent> {
    for await (const step of this.steps()) yield step.event;
  }

  async *chunks(): AsyncGenerator<StreamChunk> {
    for await (const step of this.steps()) if (step.chunk !== undefined) yield step.chunk;
  }

  async result(): Promise<RunState> {
    if (!this.started) {
      try {
        for await (const _ of this.steps()) {
          // the store folds every event
        }
      } catch {
        // recorded in status and error
      }
    }
    return this.settled;
  }

  async stop(): Promise<void> {
    // Once is enough: a second stop (a Stop click, then unmounting) would ask the server to stop
    // a run that no longer runs (a 404 in the browser's console). A detached handle still can.
    if (this.stopped || (this.ended && this.status !== "stopped")) return;
    this.stopped = true;
    const state = this.store.getSnapshot();
    if (this.started && !state.done && state.status !== "idle") {
      this.store.push({
        type: "interrupted",
        reason: "stopped",
        ...(state.text ? { partial: state.text } : {}),
        seq: state.metrics.chunkCount,
        timestamp: Date.now(),
      });
    }
    this.local.abort(new RunClientError("stopped", "The run was stopped"));
    this.finish("stopped");
    try {
      await this.plan.stopThread();
    } catch {
      // nothing runs any more, or the server cannot be reached: the connection is closed either way
    }
  }

  detach(reason?: unknown): void {
    this.local.abort(reason);
    if (!this.started) this.finish("stopped");
  }
}
