/**
 * A thread's event log in memory: events numbered 1, 2, 3…, appended and read in O(1) amortized,
 * bounded in bytes (the oldest events are dropped first), with one shared wake-up for readers
 * waiting on the next append.
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import type { LoggedEvent } from "./types.js";

interface Entry extends LoggedEvent {
  /** The event's JSON (also what the plain route writes). */
  readonly json: string;
}

/** An append-only, byte-bounded log of one thread's events. */
export class EventLog {
  private entries: Entry[] = [];
  /** Index of the oldest retained entry in `entries`. */
  private head = 0;
  private nextId = 1;
  private wakeup: { promise: Promise<void>; resolve: () => void } | undefined;
  /** Approximate bytes retained (JSON length of the events). */
  bytes = 0;
  /** Increases at every {@link notify}. */
  version = 0;

  /** @param maxBytes - bytes retained; the newest event is always kept */
  constructor(private readonly maxBytes: number) {}

  /** Id of the oldest retained event (`newestId + 1` when empty). */
  get oldestId(): number {
    const entry = this.entries[this.head];
    return entry ? entry.id : this.nextId;
  }

  /** Id of the newest event (0 before any). */
  get newestId(): number {
    return this.nextId - 1;
  }

  /** The id the next append gets. */
  get upcomingId(): number {
    return this.nextId;
  }

  /** Appends one event (readers are woken by {@link notify}); `json` when it is stringified already. */
  append(event: BaseEvent, json: string = JSON.stringify(event)): LoggedEvent {
    const entry: Entry = { id: this.nextId++, event, json };
    this.entries.push(entry);
    this.bytes += json.length;
    this.trim();
    return entry;
  }

  /** Up to `max` events with ids after `afterId`, from the oldest retained one when `afterId` is older. */
  slice(afterId: number, max: number): LoggedEvent[] {
    const from = Math.max(this.head + (afterId + 1 - this.oldestId), this.head);
    return this.entries.slice(from, Math.min(from + max, this.entries.length));
  }

  /** Events from `fromId` (clamped to the retained window) to the newest. */
  eventsFrom(fromId: number): BaseEvent[] {
    const from = this.head + Math.max(0, fromId - this.oldestId);
    const out: BaseEvent[] = [];
    for (let i = from; i < this.entries.length; i++) out.push((this.entries[i] as Entry).event);
    return out;
  }

  /** Resolves at the next {@link notify}. All waiting readers share one promise. */
  changed(): Promise<void> {
    if (!this.wakeup) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      this.wakeup = { promise, resolve };
    }
    return this.wakeup.promise;
  }

  /** Wakes the readers waiting in {@link changed}. */
  notify(): void {
    this.version++;
    const wakeup = this.wakeup;
    this.wakeup = undefined;
    wakeup?.resolve();
  }

  private trim(): void {
    const entries = this.entries;
    while (this.bytes > this.maxBytes && entries.length - this.head > 1) {
      this.bytes -= (entries[this.head] as Entry).json.length;
      (entries as (Entry | undefined)[])[this.head] = undefined;
      this.head++;
    }
    // Drop the dead prefix once it is most of the array (amortized O(1) per event).
    if (this.head > 1024 && this.head * 2 > entries.length) {
      this.entries = entries.slice(this.head);
      this.head = 0;
    }
  }
}
