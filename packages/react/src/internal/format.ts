/**
 * Formats a duration in milliseconds for people: "850 ms", "3 s", "12.4 s", "2 min 5 s", "1 h 3 min".
 * Returns an empty string for values that are not finite or are negative.
 */
export function formatDuration(ms: number | undefined | null): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) {
    const r = Math.round(s * 10) / 10;
    return `${Number.isInteger(r) ? r.toFixed(0) : r.toFixed(1)} s`;
  }
  if (s < 60) return `${Math.round(s)} s`;
  const totalSeconds = Math.round(s);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const sec = totalSeconds % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return sec > 0 ? `${m} min ${sec} s` : `${m} min`;
}

/** Formats a number with at most `digits` fraction digits ("12.5", "1,024"). */
export function formatNumber(n: number | undefined | null, digits = 1): string {
  if (n == null || !Number.isFinite(n)) return "";
  return n.toLocaleString("en-US", { maximumFractionDigits: digits });
}

/** Formats a byte count ("812 B", "12.3 kB"). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${formatNumber(n / 1000)} kB`;
  return `${formatNumber(n / 1_000_000)} MB`;
}

/**
 * Renders any value as inert, readable text: strings as they are, everything else as indented
 * JSON. Never throws (cycles, BigInt and functions degrade to `String(value)`).
 */
export function toDisplayText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  try {
    const json = JSON.stringify(
      value,
      (_key, v: unknown) => (typeof v === "bigint" ? `${v.toString()}n` : v),
      2,
    );
    return json ?? String(value);
  } catch {
    try {
      return String(value);
    } catch {
      return "[unprintable value]";
    }
  }
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? "" : "s"}`;

/**
 * A duration in words, for sentences like "Thought for 12 seconds": whole seconds (at least 1),
 * then minutes and hours ("1 second", "12 seconds", "2 minutes 5 seconds", "1 hour 3 minutes").
 * Returns an empty string when the duration is unknown (not finite, or negative).
 */
export function formatDurationWords(ms: number | undefined | null): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return "";
  const total = Math.max(1, Math.round(ms / 1000));
  if (total < 60) return plural(total, "second");
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  if (h > 0) return m > 0 ? `${plural(h, "hour")} ${plural(m, "minute")}` : plural(h, "hour");
  return sec > 0 ? `${plural(m, "minute")} ${plural(sec, "second")}` : plural(m, "minute");
}
