/**
 * What a run engine needs from storage, and nothing more: a thread's log (append a batch, ids 1,
 * 2, 3…; read after an id; a wake-up when entries arrive), the thread's metadata, the compacted
 * history of its finished runs and the message ids it has seen. A store shared by several
 * instances (Redis) adds a lease per run with its renewal, the end of a run whose owner went away,
 * readers registered from other instances, and a control channel to a run's owner.
 *
 * The lifecycle of a run (busy threads, the detached-run timer, readers, stop, asks and answers,
 * slow readers, lost owners) is the engine's ({@link RunEngine}); a store only keeps what it is
 * given. The memory store ({@link MemoryLogStore}) and `@agentstream/runner-redis`'s store
 * implement this; a third store is one file.
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import type { AnswerResult } from "../agent/asks.js";
import type { LoggedEvent, RunnerHealth, ThreadInfo } from "./types.js";

/** One event as the engine appends it: the event and its JSON (stringified once). */
export interface LogEntry {
  readonly event: BaseEvent;
  readonly json: string;
}

/** The run a thread's log is claimed for. */
export interface RunClaim {
  readonly threadId: string;
  readonly agentId: string;
  readonly runId: string;
  /** Who holds it: the owner instance and the run (`<instanceId>|<runId>`). */
  readonly token: string;
  /**
   * Set when the run creates the thread: kept as the thread's `creator`. The claim is refused
   * when the thread already exists.
   */
  readonly creator?: string;
}

/** The ids of a run's events in the log (first and last). */
export interface LogSpan {
  readonly firstId: number;
  readonly lastId: number;
}

/** What {@link LogStore.claim} answers. */
export type ClaimResult =
  | {
      readonly claimed: true;
      /** Id the run's first event gets. */
      readonly firstId: number;
      /** A run whose owner had gone away, ended by the store before this claim (its history is due). */
      readonly lost?: LogSpan;
    }
  | { readonly claimed: false /** The run in progress. */; readonly runId: string };

/** What the append that ends a run records besides its events. */
export interface RunEnd {
  /** The run's compacted events (what `connect` replays). */
  readonly history: readonly BaseEvent[];
  /** The same, as JSON. */
  readonly historyJson: string;
  /** Message ids of the run, added to the thread's seen set. */
  readonly seen: readonly string[];
}

/** One read of a thread's log and its state at that moment. */
export interface LogPage {
  /** Entries from the id asked for (or the oldest kept, when it was trimmed), in id order. */
  readonly entries: readonly LoggedEvent[];
  /** The thread's run has not ended. */
  readonly running: boolean;
  /** The run's owner still holds its lease (always true for a store of one instance). */
  readonly leased: boolean;
  /** The thread is still stored (false once it expired). */
  readonly exists: boolean;
}

/** A thread as stored: what the routes see, and who owns its run. */
export interface StoredThread extends ThreadInfo {
  /** Instance that owns (or owned) the run. */
  readonly owner: string;
  /** The owner still holds the run's lease. */
  readonly leased: boolean;
}

/** Wake-ups of one thread's readers on this instance. */
export interface LogTail {
  /** Increases at every wake-up. */
  readonly version: number;
  /** Resolves at the next wake-up after `version` (at once when it already happened). */
  changed(version: number): Promise<void>;
  /** This reader is done with the tail. */
  close(): void;
}

/** What reaches a run's owner on the control channel. */
export type ControlMessage =
  | { readonly type: "stop"; readonly threadId: string; readonly runId?: string; readonly reason: string }
  | { readonly type: "answer"; readonly threadId: string; readonly askId: string; readonly value: unknown }
  /** Readers of the thread changed on another instance. */
  | { readonly type: "readers"; readonly threadId: string };

/** Handles a control message; `reply` sends an answer's verdict back to the sender. */
export type ControlHandler = (message: ControlMessage, reply: (result: AnswerResult) => void) => void;

/** The parts of a store that several instances share. */
export interface SharedLog {
  /** This instance's id (the owner of the runs it starts). */
  readonly instanceId: string;
  /** How long a run survives its owner going silent (ms). */
  readonly leaseMs: number;
  /** How often a caught-up reader looks again without a wake-up (ms). */
  readonly pollMs: number;
  /** Renews the leases of runs owned here; false where a lease was lost. */
  renew(claims: readonly RunClaim[]): Promise<boolean[]>;
  /**
   * Ends the thread's run with `event` when its owner is gone (no lease) or is `token`, and only
   * run `runId` when given; the span of the run's events when it did.
   */
  endLost(threadId: string, event: BaseEvent, token?: string, runId?: string): Promise<LogSpan | undefined>;
  /** Events with ids from `span.firstId` to `span.lastId`. */
  range(threadId: string, span: LogSpan): Promise<BaseEvent[]>;
  /** Adds a run's compacted events (JSON) to the thread's history. */
  addHistory(threadId: string, history: string): Promise<void>;
  /** Registers (or renews, until `expiresAt`) readers on this instance of runs owned elsewhere. */
  addReaders(readers: readonly { threadId: string; member: string }[], expiresAt: number): Promise<void>;
  removeReader(threadId: string, member: string): Promise<void>;
  /** Readers registered from other instances, expired ones dropped. */
  readerCount(threadId: string): Promise<number>;
  /** Sends a control message to instance `owner`. */
  send(owner: string, message: ControlMessage): Promise<void>;
  /** Sends an answer to instance `owner` and waits for its verdict (undefined after `timeoutMs`). */
  request(owner: string, message: ControlMessage, timeoutMs: number): Promise<AnswerResult | undefined>;
  /** Where control messages for this instance go. */
  onControl(handler: ControlHandler): void;
  /** Called when the store's connection is lost (runs owned here can no longer append). */
  onDisconnect(handler: () => void): void;
  /**
   * A random secret every instance sharing the store gets the same (the first to ask creates
   * it): what thread tokens and session cookies are signed with when no secret is configured.
   */
  secret(): Promise<string>;
}

/** Storage of threads' logs. See the module documentation. */
export interface LogStore {
  /** The store's name on `/healthz` (`memory`, `redis`). */
  readonly name: string;
  /** Present when several instances share the store. */
  readonly shared?: SharedLog;
  /**
   * Claims the thread for a run (refused while another run holds it). A shared store that finds
   * the thread's run without an owner ends it with `lostEvent` first.
   */
  claim(claim: RunClaim, lostEvent: BaseEvent): ClaimResult | Promise<ClaimResult>;
  /**
   * Appends a batch of the claimed run's events (the ids follow on); `end` when the batch ends the
   * run. Throws `RunnerError` `runner_lost` when the claim is no longer held, `unavailable` when
   * the store cannot be reached.
   */
  append(claim: RunClaim, firstId: number, entries: readonly LogEntry[], end?: RunEnd): void | Promise<void>;
  /** Up to `max` entries from id `fromId`, and the thread's state. */
  read(threadId: string, fromId: number, max: number): LogPage | Promise<LogPage>;
  /** The thread, or undefined when unknown. */
  thread(threadId: string): StoredThread | undefined | Promise<StoredThread | undefined>;
  /** The compacted events of the thread's finished runs, oldest first. */
  history(threadId: string): Promise<readonly BaseEvent[]>;
  /** For each id, whether the thread has seen that message (and records them all as seen). */
  seen(threadId: string, messageIds: readonly string[]): boolean[] | Promise<boolean[]>;
  /** A wake-up for this instance's readers of the thread. */
  tail(threadId: string): LogTail | Promise<LogTail>;
  /** Whether the store can serve now. */
  health(): RunnerHealth;
  /** Releases connections. */
  close(): Promise<void>;
}
