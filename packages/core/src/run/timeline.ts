/**
 * A scope's timeline as the reducer builds it: text and thinking deltas appended to their live
 * segment in O(1) (each delta kept once), other segments pushed or updated in place (progress by
 * key), and an immutable snapshot materialized only for what changed since the last one.
 *
 * @packageDocumentation
 */
import type { TimelineSegment } from "../state.js";
import { TextBuffer } from "./text-buffer.js";

interface LiveText {
  kind: "text" | "thinking";
  index: number;
  id: string;
  agent: string | undefined;
  buf: TextBuffer;
  startedAt: number;
  endedAt: number | undefined;
  queued: boolean;
}

export class IdSource {
  private n = 0;
  next(kind: string): string {
    return `${kind}-${++this.n}`;
  }
}

/**
 * The concatenated text of one kind of a timeline's segments (a scope's `text` or `thinking`):
 * each delta is kept once, in its segment's buffer; this joins the segments at read time, each
 * finished one once (only the newest segment can still grow).
 */
class SegmentsText {
  private joined = "";
  private readonly finished: LiveText[] = [];
  private open: LiveText | undefined;

  /** A new segment of this kind: the previous one can no longer grow. */
  add(live: LiveText): void {
    if (this.open !== undefined) this.finished.push(this.open);
    this.open = live;
  }

  get value(): string {
    if (this.finished.length > 0) {
      for (const t of this.finished) this.joined += t.buf.value;
      this.finished.length = 0;
    }
    return this.open === undefined ? this.joined : this.joined + this.open.buf.value;
  }
}

/** A timeline draft: text/thinking tails grow in place and are materialized on snapshot. */
export class Timeline {
  /** All text segments' text joined: the scope's `text`. */
  readonly text = new SegmentsText();
  /** All thinking segments' text joined: the scope's `thinking`. */
  readonly thinking = new SegmentsText();
  private readonly segs: TimelineSegment[] = [];
  private tail: LiveText | undefined;
  private readonly dirtyTexts: LiveText[] = [];
  private readonly progressIndex = new Map<string, number>();
  private changed = false;
  private cached: readonly TimelineSegment[] = [];

  constructor(private readonly ids: IdSource) {}

  appendText(kind: "text" | "thinking", agent: string | undefined, text: string, at: number): void {
    const t = this.tail;
    if (text === "") return; // an empty delta neither grows nor starts a segment
    if (t !== undefined && t.kind === kind && t.agent === agent && t.index === this.segs.length - 1) {
      t.buf.append(text);
      this.queue(t);
      return;
    }
    this.closeTail(at);
    const live: LiveText = {
      kind,
      index: this.segs.length,
      id: this.ids.next(kind),
      agent,
      buf: new TextBuffer(text),
      startedAt: at,
      endedAt: undefined,
      queued: false,
    };
    this.segs.push(undefined as unknown as TimelineSegment); // materialized on snapshot
    (kind === "text" ? this.text : this.thinking).add(live);
    this.tail = live;
    this.queue(live);
  }

  /** Appends a finished segment (built by `make` with a fresh id). */
  push(make: (id: string) => TimelineSegment, kind: string, at: number): void {
    this.closeTail(at);
    this.tail = undefined;
    this.segs.push(make(this.ids.next(kind)));
    this.changed = true;
  }

  /** One progress segment per agent: replaced where it first appeared. */
  upsertProgress(key: string, make: (id: string) => TimelineSegment, at: number, kind = "progress"): void {
    const i = this.progressIndex.get(key);
    if (i === undefined) {
      this.progressIndex.set(key, this.segs.length);
      this.push(make, kind, at);
      return;
    }
    const prev = this.segs[i] as TimelineSegment;
    this.segs[i] = make(prev.id);
    this.changed = true;
  }

  /** Consecutive status segments of one agent collapse into the last one. */
  pushStatus(agent: string | undefined, make: (id: string) => TimelineSegment, at: number): void {
    const last = this.segs[this.segs.length - 1];
    if (last !== undefined && last.kind === "status" && last.agent === agent && this.tail === undefined) {
      this.segs[this.segs.length - 1] = make(last.id);
      this.changed = true;
      return;
    }
    this.push(make, "status", at);
  }

  /** Ends an open thinking segment (the run ended or something followed it). */
  closeTail(at: number): void {
    const t = this.tail;
    if (t !== undefined && t.kind === "thinking" && t.endedAt === undefined) {
      t.endedAt = at;
      this.queue(t);
    }
  }

  private queue(t: LiveText): void {
    this.changed = true;
    if (!t.queued) {
      t.queued = true;
      this.dirtyTexts.push(t);
    }
  }

  snapshot(): readonly TimelineSegment[] {
    if (!this.changed) return this.cached;
    for (const t of this.dirtyTexts) {
      t.queued = false;
      const text = t.buf.value;
      let seg: TimelineSegment;
      if (t.kind === "text") {
        seg =
          t.agent === undefined
            ? { kind: "text", id: t.id, text }
            : { kind: "text", id: t.id, agent: t.agent, text };
      } else {
        seg = { kind: "thinking", id: t.id, text, startedAt: t.startedAt };
        if (t.agent !== undefined) seg.agent = t.agent;
        if (t.endedAt !== undefined) seg.endedAt = t.endedAt;
      }
      this.segs[t.index] = seg;
    }
    this.dirtyTexts.length = 0;
    this.changed = false;
    this.cached = this.segs.slice();
    return this.cached;
  }
}
