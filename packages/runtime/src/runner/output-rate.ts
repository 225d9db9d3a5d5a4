/**
 * The per-stream output rate (issue 25, "Limits"; issue 22's merged token deltas): a token bucket
 * of `eventsPerSecond` (a burst of one second's worth) in front of a run's log. Within the rate
 * every event enters the log as it comes; beyond it, consecutive deltas of the same message
 * (TEXT_MESSAGE_CONTENT, REASONING_MESSAGE_CONTENT, THINKING_TEXT_MESSAGE_CONTENT) are held and
 * merged into one event, which enters the log when the bucket has room again (one timer per
 * stream) or at once when any other event comes (it goes first: order is kept). Nothing is
 * dropped; events other than deltas are never merged, held or delayed. Because the merging
 * happens before the log, a live reader and a resume read the same events.
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";

/** The delta events that may merge. */
const DELTAS = new Set([
  "TEXT_MESSAGE_CONTENT",
  "REASONING_MESSAGE_CONTENT",
  "THINKING_TEXT_MESSAGE_CONTENT",
]);
/** The fields a mergeable delta may have (anything else would be lost by a merge). */
const PLAIN_FIELDS = new Set(["type", "messageId", "delta", "timestamp", "metadata"]);

interface Delta extends BaseEvent {
  messageId?: string;
  delta: string;
  metadata?: { agentstream?: { seq?: number; agent?: string } };
}

/**
 * The delta `event` is, when it can merge with a neighbour: a delta with text and nothing beyond
 * the message, the text, the time and core's envelope (its `seq` and lane). A delta that carries
 * the chunk's own metadata, or fields of a foreign agent, is never merged.
 */
function mergeable(event: BaseEvent): Delta | undefined {
  if (!DELTAS.has(event.type)) return undefined;
  const e = event as Delta;
  if (typeof e.delta !== "string") return undefined;
  for (const key in e) if (!PLAIN_FIELDS.has(key)) return undefined;
  const meta = e.metadata;
  if (meta !== undefined) {
    for (const key in meta) if (key !== "agentstream") return undefined;
    const env = meta.agentstream;
    if (env !== undefined) for (const key in env) if (key !== "seq" && key !== "agent") return undefined;
  }
  return e;
}

/** Two mergeable deltas of the same message (and lane). */
const sameMessage = (a: Delta, b: Delta) =>
  a.type === b.type &&
  a.messageId === b.messageId &&
  a.metadata?.agentstream?.agent === b.metadata?.agentstream?.agent;

/**
 * Checks an `eventsPerSecond` setting: undefined (no limit) or a positive finite number.
 *
 * @throws TypeError naming `where` otherwise
 */
export function checkEventsPerSecond(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
    throw new TypeError(`${where} must be a positive number of events per second (got ${String(value)})`);
  return value;
}

/**
 * One stream's output rate. {@link take} is called for each event in order; what it does not keep
 * the caller logs at once; what it keeps it hands to `commit` later (before the next event that
 * it does not keep, or from its timer, after which `wake` lets the caller flush).
 */
export class OutputRate {
  /** Input events merged into an earlier one so far. */
  coalesced = 0;
  private tokens: number;
  private readonly capacity: number;
  private refilledAt = performance.now();
  private held: Delta | undefined;
  /** Deltas merged into the held one. */
  private heldMerged = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The timer's callback, made once (no closure per event). */
  private readonly onTimer = () => {
    this.timer = undefined;
    if (!this.held) return;
    this.refill();
    this.tokens = Math.max(0, this.tokens - 1);
    this.release();
    this.wake();
  };

  constructor(
    private readonly eventsPerSecond: number,
    private readonly commit: (event: BaseEvent) => void,
    private readonly wake: () => void,
    private readonly onCoalesced: (events: number) => void = () => {},
  ) {
    this.capacity = Math.max(1, eventsPerSecond);
    this.tokens = this.capacity;
  }

  /**
   * Takes the next event of the stream. True: it is held (or merged into the held delta) and
   * will be committed later. False: the caller logs it now (a held delta went to `commit` first).
   */
  take(event: BaseEvent): boolean {
    this.refill();
    const delta = mergeable(event);
    const held = this.held;
    if (delta && held && sameMessage(held, delta)) {
      held.delta += delta.delta;
      this.heldMerged++;
      return true;
    }
    if (held) this.release();
    if (this.tokens >= 1) {
      this.tokens--;
      return false;
    }
    if (!delta) return false; // only deltas wait; the rest goes as it comes
    this.held = { ...delta };
    this.timer ??= setTimeout(this.onTimer, Math.ceil(((1 - this.tokens) * 1000) / this.eventsPerSecond));
    return true;
  }

  /** Nothing more comes (the run ended or lost its log): the timer goes, a held delta is dropped with the run. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.held = undefined;
  }

  /** Commits the held delta. */
  private release(): void {
    const held = this.held as Delta;
    const merged = this.heldMerged;
    this.held = undefined;
    this.heldMerged = 0;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (merged > 0) {
      this.coalesced += merged;
      this.onCoalesced(merged);
    }
    this.commit(held);
  }

  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(
      this.capacity,
      this.tokens + ((now - this.refilledAt) * this.eventsPerSecond) / 1000,
    );
    this.refilledAt = now;
  }
}
