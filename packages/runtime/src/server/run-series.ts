/**
 * Time-bucketed figures of the runs (the dashboard's charts): a fixed ring of buckets (default 360
 * of 10 s: the last hour), each with counts and a bounded sample of first-event times and
 * durations for its percentiles. Memory is bounded by `buckets × sampleCap`, whatever the load.
 *
 * @packageDocumentation
 */
import type { RunsApiBucket, RunsApiPercentiles } from "@agentstream/core";

/** Options of {@link RunSeries}. */
export interface RunSeriesOptions {
  /** Milliseconds per bucket. Default 10 000. */
  bucketMs?: number;
  /** Buckets kept (the window is `bucketMs × buckets`). Default 360 (one hour of 10 s). */
  buckets?: number;
  /** Samples kept per bucket for each percentile (later ones replace earlier at random). Default 256. */
  sampleCap?: number;
  /** The clock (tests). Default `Date.now`. */
  now?: () => number;
}

interface Bucket {
  t: number;
  started: number;
  completed: number;
  failed: number;
  interrupted: number;
  tokens: number;
  slowReaders: number;
  active: number;
  /** Runs active at the bucket's last change (an empty bucket after it had as many). */
  activeEnd: number;
  ttfe: number[];
  ttfeSeen: number;
  duration: number[];
  durationSeen: number;
}

/** The `q` quantile (0..1) of `sorted` (ascending), nearest rank; undefined when empty. */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** p50, p95, p99 of `values` (any order), rounded to 0.1 ms. */
export function percentiles(values: readonly number[]): RunsApiPercentiles {
  if (values.length === 0) return {};
  const sorted = [...values].sort((a, b) => a - b);
  const r = (v: number | undefined) => (v === undefined ? undefined : Math.round(v * 10) / 10);
  return { p50: r(quantile(sorted, 0.5)), p95: r(quantile(sorted, 0.95)), p99: r(quantile(sorted, 0.99)) };
}

/** Keeps at most `cap` samples: once full, a new one replaces a random one (reservoir sampling). */
function sample(into: number[], seen: number, value: number, cap: number): void {
  if (into.length < cap) into.push(value);
  else {
    const i = Math.floor(Math.random() * (seen + 1));
    if (i < cap) into[i] = value;
  }
}

/** The ring of buckets. Every method is O(1) but {@link buckets}, which is O(window). */
export class RunSeries {
  readonly bucketMs: number;
  readonly size: number;
  private readonly cap: number;
  private readonly now: () => number;
  private readonly ring: (Bucket | undefined)[];
  /** Runs active now (the bucket's `active` is the most at once). */
  private activeNow = 0;

  constructor(options: RunSeriesOptions = {}) {
    this.bucketMs = options.bucketMs ?? 10_000;
    this.size = options.buckets ?? 360;
    this.cap = options.sampleCap ?? 256;
    this.now = options.now ?? Date.now;
    if (!(this.bucketMs > 0) || !Number.isInteger(this.size) || this.size < 1)
      throw new RangeError("RunSeries: bucketMs must be > 0 and buckets a positive integer");
    this.ring = new Array(this.size);
  }

  /** The bucket of the current time (created, and the stale one it replaces dropped, on first use). */
  private current(): Bucket {
    const t = Math.floor(this.now() / this.bucketMs) * this.bucketMs;
    const i = Math.floor(t / this.bucketMs) % this.size;
    let b = this.ring[i];
    if (!b || b.t !== t) {
      b = {
        t,
        started: 0,
        completed: 0,
        failed: 0,
        interrupted: 0,
        tokens: 0,
        slowReaders: 0,
        active: this.activeNow,
        activeEnd: this.activeNow,
        ttfe: [],
        ttfeSeen: 0,
        duration: [],
        durationSeen: 0,
      };
      this.ring[i] = b;
    }
    return b;
  }

  /** A run started. */
  started(): void {
    const b = this.current();
    b.started++;
    this.activeNow++;
    b.active = Math.max(b.active, this.activeNow);
    b.activeEnd = this.activeNow;
  }

  /** A run had its first event after `ms`. */
  firstEvent(ms: number): void {
    const b = this.current();
    sample(b.ttfe, b.ttfeSeen++, ms, this.cap);
  }

  /** `count` token chunks were produced. */
  tokens(count: number): void {
    if (count > 0) this.current().tokens += count;
  }

  /** A run ended. */
  ended(outcome: "completed" | "failed" | "interrupted", durationMs: number): void {
    const b = this.current();
    b[outcome]++;
    this.activeNow = Math.max(0, this.activeNow - 1);
    b.activeEnd = this.activeNow;
    sample(b.duration, b.durationSeen++, durationMs, this.cap);
  }

  /** A reader was ended for falling behind. */
  slowReader(): void {
    this.current().slowReaders++;
  }

  /** The window's buckets, oldest first, empty ones as zeros; `last` limits it to the newest few. */
  buckets(last = this.size): RunsApiBucket[] {
    const end = Math.floor(this.now() / this.bucketMs) * this.bucketMs;
    const n = Math.min(last, this.size);
    const out: RunsApiBucket[] = [];
    // An empty bucket had as many runs active as the bucket before it ended with.
    let carry = this.olderActive(end - n * this.bucketMs);
    for (let k = n - 1; k >= 0; k--) {
      const t = end - k * this.bucketMs;
      const b = this.ring[Math.floor(t / this.bucketMs) % this.size];
      if (b && b.t === t) {
        out.push(view(b));
        carry = b.activeEnd;
      } else out.push(empty(t, k === 0 ? this.activeNow : carry));
    }
    return out;
  }

  /** `activeEnd` of the newest bucket at or before `t` still in the ring (0 when none). */
  private olderActive(t: number): number {
    let best: Bucket | undefined;
    for (const b of this.ring) if (b && b.t <= t && (!best || b.t > best.t)) best = b;
    return best?.activeEnd ?? 0;
  }

  /** Sums over the newest `ms` of the window (whole buckets). */
  sum(ms: number, field: "started" | "tokens" | "failed" | "slowReaders"): number {
    let total = 0;
    for (const b of this.buckets(Math.max(1, Math.ceil(ms / this.bucketMs)))) total += b[field];
    return total;
  }
}

function empty(t: number, active: number): RunsApiBucket {
  return { t, started: 0, completed: 0, failed: 0, interrupted: 0, tokens: 0, slowReaders: 0, active };
}

function view(b: Bucket): RunsApiBucket {
  const ttfe = percentiles(b.ttfe);
  const duration = percentiles(b.duration);
  return {
    t: b.t,
    started: b.started,
    completed: b.completed,
    failed: b.failed,
    interrupted: b.interrupted,
    tokens: b.tokens,
    slowReaders: b.slowReaders,
    active: b.active,
    ...(ttfe.p50 === undefined ? {} : { ttfeP50: ttfe.p50, ttfeP95: ttfe.p95 }),
    ...(duration.p50 === undefined ? {} : { durationP50: duration.p50, durationP95: duration.p95 }),
  };
}
