/**
 * A run this instance drives: its claim on the thread, the sink its agent writes to, the batches
 * it hands the log store (one append in flight, the next batch collecting meanwhile; beyond the
 * stream's output rate, token deltas merged on their way in), the events
 * kept for its compacted history, its questions and its readers.
 *
 * @packageDocumentation
 */
import { compactEvents } from "@ag-ui/client";
import type { BaseEvent, RunAgentInput } from "@ag-ui/core";
import type { Span } from "@opentelemetry/api";
import { AskBox } from "../agent/asks.js";
import type { EventSink } from "../agent/pump.js";
import { EventLog } from "./event-log.js";
import type { LogEntry, LogStore, RunClaim, RunEnd } from "./log-store.js";
import { OutputRate } from "./output-rate.js";
import type { ReaderPresence } from "./reader-presence.js";
import { endRunnerSpan } from "./spans.js";
import { isRunEnd, RunnerError } from "./types.js";

/** Events per append, at most. */
const APPEND_BATCH = 1000;
/** Events waiting for the store beyond which the agent waits for the append (backpressure). */
const HIGH_WATER = 4096;

/** How a run's output enters its log (see {@link OutputRate}). */
export interface OutputOptions {
  /** Events per second beyond which consecutive deltas of a message merge. Default: no limit. */
  eventsPerSecond?: number;
  /** Called with the number of deltas merged into an earlier one (for `/metrics`). */
  onCoalesced?: (events: number) => void;
}

/** See the module documentation. */
export class OwnedRun {
  readonly controller = new AbortController();
  /** The run's questions (`ctx.ask`); answers arrive through the engine. */
  readonly asks = new AskBox();
  /** Its readers and the detached-run timer (set by the engine). */
  presence!: ReaderPresence;
  /** Settles when the agent has returned and the log has its events. */
  done: Promise<void> = Promise.resolve();
  /** The end event has been taken (nothing more is accepted). */
  ended = false;
  /** The store no longer takes this run's events (lease lost, store unreachable). */
  closed = false;
  /** The span of the stop that is ending the run (see `runner/spans.ts`), until its end is taken. */
  stopSpan: Span | undefined;
  private pending: LogEntry[] = [];
  private pendingFirstId: number;
  private end: RunEnd | undefined;
  private flushing: Promise<void> | undefined;
  /** The run's events within the thread's byte budget (for its compacted history). */
  private readonly record: EventLog;
  private readonly seen = new Set<string>();
  private readonly logged: Promise<void>;
  private resolveLogged!: () => void;
  private rejectLogged!: (error: unknown) => void;
  private firstLogged = false;
  /** The stream's output rate, when it has one (deltas beyond it merge before the log). */
  private readonly rate: OutputRate | undefined;

  constructor(
    readonly claim: RunClaim,
    /** Id of the run's first event. */
    readonly firstId: number,
    private readonly store: LogStore,
    maxThreadBytes: number,
    output: OutputOptions = {},
  ) {
    this.pendingFirstId = firstId;
    this.record = new EventLog(maxThreadBytes);
    this.rate =
      output.eventsPerSecond === undefined
        ? undefined
        : new OutputRate(
            output.eventsPerSecond,
            (event) => this.log(event),
            () => void this.flush(),
            output.onCoalesced,
          );
    this.logged = new Promise<void>((resolve, reject) => {
      this.resolveLogged = resolve;
      this.rejectLogged = reject;
    });
    this.logged.catch(() => {});
  }

  get threadId(): string {
    return this.claim.threadId;
  }

  get runId(): string {
    return this.claim.runId;
  }

  /** Resolves once the run's first event is in the log; rejects when it cannot be logged. */
  firstEventLogged(): Promise<void> {
    return this.logged;
  }

  /**
   * The sink the agent writes to. `fresh`: the input's messages the thread has not seen (what
   * RUN_STARTED carries, so that `connect` replays each message once).
   */
  sink(input: RunAgentInput, fresh: RunAgentInput["messages"]): EventSink {
    let first = true;
    return (events) => {
      if (this.closed || this.ended) return false;
      for (const event of events) {
        if (first) {
          first = false;
          const started = event as BaseEvent & { input?: RunAgentInput };
          if (event.type === "RUN_STARTED" && started.input === undefined)
            started.input = { ...input, messages: fresh };
        }
        const messageId = (event as { messageId?: unknown }).messageId;
        if (typeof messageId === "string") this.seen.add(messageId);
        if (this.rate?.take(event)) continue; // held: it enters the log merged, or before the next event
        this.log(event);
        if (isRunEnd(event)) {
          this.ended = true;
          this.rate?.close();
          this.stopped();
          this.presence.cancel();
          const history = compactEvents(this.record.eventsFrom(1));
          this.end = { history, historyJson: JSON.stringify(history), seen: [...this.seen] };
          break;
        }
      }
      const flushing = this.flush();
      if (flushing && (this.ended || this.pending.length > HIGH_WATER))
        return flushing.then(() => !this.closed);
      return !this.closed;
    };
  }

  /** The store can no longer take this run's events: its agent is stopped. */
  lose(error: RunnerError, reason: string): void {
    this.closed = true;
    this.rate?.close();
    this.pending = [];
    if (!this.firstLogged) this.rejectLogged(error);
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  /** The agent returned: waits for the last append, then nothing more is logged. */
  async settle(): Promise<void> {
    await this.flushing;
    this.rate?.close();
    this.stopped();
    if (!this.firstLogged) this.rejectLogged(new RunnerError("unavailable", "The run could not be logged"));
  }

  /** A stop in progress has done its work (the run ended). */
  stopped(): void {
    const span = this.stopSpan;
    this.stopSpan = undefined;
    endRunnerSpan(span);
  }

  /** One event enters the run's log (pending for the store, and in the run's record). */
  private log(event: BaseEvent): void {
    const json = JSON.stringify(event);
    this.pending.push({ event, json });
    this.record.append(event, json);
  }

  /** Hands the pending events to the store: synchronously for a store that can, else one append in flight. */
  private flush(): Promise<void> | undefined {
    if (this.flushing) return this.flushing;
    while (this.pending.length > 0 && !this.closed) {
      const entries =
        this.pending.length > APPEND_BATCH ? this.pending.splice(0, APPEND_BATCH) : this.pending;
      if (entries === this.pending) this.pending = [];
      const firstId = this.pendingFirstId;
      this.pendingFirstId += entries.length;
      const end = this.ended && this.pending.length === 0 ? this.end : undefined;
      let appended: void | Promise<void>;
      try {
        appended = this.store.append(this.claim, firstId, entries, end);
      } catch (error) {
        this.failed(error);
        return undefined;
      }
      if (appended) {
        const flushing = appended.then(
          () => {
            this.flushing = undefined;
            this.wasLogged();
            return this.flush();
          },
          (error: unknown) => {
            this.flushing = undefined;
            this.failed(error);
          },
        );
        this.flushing = flushing;
        return flushing;
      }
      this.wasLogged();
    }
    return undefined;
  }

  private wasLogged(): void {
    if (this.firstLogged) return;
    this.firstLogged = true;
    this.resolveLogged();
  }

  private failed(error: unknown): void {
    const lost = error instanceof RunnerError && error.code === "runner_lost";
    const reason = lost ? "run taken over" : "store unavailable";
    this.lose(
      error instanceof RunnerError
        ? error
        : new RunnerError("unavailable", `The log store is unavailable (${String(error)})`),
      reason,
    );
  }
}
