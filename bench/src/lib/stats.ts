/**
 * Summary statistics: every figure is reported as the median of repeated runs with its spread
 * (min–max), and every comparison as a ratio.
 *
 * @packageDocumentation
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** A figure measured over repeated runs. */
export interface Stat {
  /** Number of runs. */
  n: number;
  median: number;
  min: number;
  max: number;
  /** Every sample, in measurement order. */
  samples: number[];
}

/** The median of a list of numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The p-th percentile (0..100, nearest rank) of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Summarizes samples. */
export function stat(samples: readonly number[]): Stat {
  const finite = samples.filter((s) => Number.isFinite(s));
  return {
    n: finite.length,
    median: median(finite),
    min: finite.length ? Math.min(...finite) : Number.NaN,
    max: finite.length ? Math.max(...finite) : Number.NaN,
    samples: [...samples],
  };
}

/** Applies `f` to every sample (e.g. ms → events/s); min and max follow `f`'s direction. */
export function mapStat(s: Stat, f: (x: number) => number): Stat {
  return stat(s.samples.map(f));
}

/**
 * Ratio of two series measured in pairs (run i of `a` beside run i of `b`): the median and
 * spread of the per-pair ratios a[i] / b[i]. With unequal counts, the medians' ratio.
 */
export function pairedRatio(a: Stat, b: Stat): Stat {
  if (a.samples.length === b.samples.length && a.samples.length > 0) {
    return stat(a.samples.map((x, i) => x / (b.samples[i] as number)));
  }
  return stat([a.median / b.median]);
}

/** A single value as a Stat (n = 1). */
export function single(value: number): Stat {
  return stat([value]);
}

let gcFn: (() => void) | undefined;

/** Runs a full garbage collection, so one side's garbage is not collected on the other side's clock. */
export function fullGc(): void {
  if (gcFn === undefined) {
    const g = (globalThis as { gc?: () => void }).gc;
    if (typeof g === "function") gcFn = g;
    else {
      setFlagsFromString("--expose-gc");
      gcFn = runInNewContext("gc") as () => void;
    }
  }
  gcFn();
}

/** Waits for the next turn of the event loop (lets pending I/O and timers run). */
export function tick(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Formats a number with about three significant digits, with thin grouping for large values. */
export function num(x: number, digits?: number): string {
  if (!Number.isFinite(x)) return "–";
  const abs = Math.abs(x);
  const d = digits ?? (Number.isInteger(x) || abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
  const s = x.toFixed(d);
  if (abs < 10_000) return s;
  const [int, frac] = s.split(".");
  const grouped = (int as string).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** `median (min–max)` with a unit; a single run shows just its value. */
export function fmt(s: Stat, unit = "", digits?: number): string {
  const u = unit ? ` ${unit}` : "";
  if (s.n === 0) return "–";
  if (s.n === 1 || s.min === s.max) return `${num(s.median, digits)}${u}`;
  return `${num(s.median, digits)}${u} (${num(s.min, digits)}–${num(s.max, digits)})`;
}

/** A ratio as `123×` with its spread. */
export function fmtRatio(s: Stat): string {
  if (s.n === 0) return "–";
  const f = (x: number) => (Math.abs(x) >= 100 ? num(x, 0) : Math.abs(x) >= 10 ? num(x, 1) : num(x, 2));
  if (s.n === 1 || s.min === s.max) return `${f(s.median)}×`;
  return `${f(s.median)}× (${f(s.min)}–${f(s.max)})`;
}

/** Bytes as KiB/MiB. */
export function fmtBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "–";
  if (Math.abs(bytes) >= 1024 * 1024) return `${num(bytes / 1024 / 1024, 1)} MiB`;
  if (Math.abs(bytes) >= 1024) return `${num(bytes / 1024, 1)} KiB`;
  return `${Math.round(bytes)} B`;
}

/** Times an async function in milliseconds. */
export async function timeAsync<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}

/**
 * Ratio of two independently repeated figures: the medians' ratio, with the widest spread the
 * samples allow (a.min / b.max … a.max / b.min).
 */
export function ratioOf(a: Stat, b: Stat): Stat {
  const med = a.median / b.median;
  const lo = a.min / b.max;
  const hi = a.max / b.min;
  return {
    n: Math.min(a.n, b.n),
    median: med,
    min: Math.min(lo, med),
    max: Math.max(hi, med),
    samples: [med],
  };
}

/** Wall-clock and process CPU time (user + system, all threads) of one measured section. */
export interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Starts a wall + CPU stopwatch; call the result to read it. */
export function stopwatch(): () => Timing {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    return { wallMs, cpuMs: (c.user + c.system) / 1000 };
  };
}
