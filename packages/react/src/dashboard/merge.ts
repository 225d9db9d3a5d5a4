/**
 * Folds the messages of `GET /api/runs/events` into the dashboard's snapshot: a `snapshot`
 * replaces it, `run` and `connection` upsert one row (newest first, bounded), `series` replaces
 * the buckets it names (and appends newer ones, dropping the oldest) and the summary.
 *
 * @packageDocumentation
 */
import type { RunsApiBucket, RunsApiEvent, RunsApiSnapshot } from "@agentstream/core";

/** Rows kept per table (the server keeps as many). */
export const MAX_ROWS = 200;

function upsert<T>(rows: readonly T[], row: T, same: (a: T) => boolean): T[] {
  const i = rows.findIndex(same);
  if (i >= 0) {
    const next = rows.slice();
    next[i] = row;
    return next;
  }
  return [row, ...rows].slice(0, MAX_ROWS);
}

function mergeBuckets(series: readonly RunsApiBucket[], fresh: readonly RunsApiBucket[]): RunsApiBucket[] {
  const size = Math.max(series.length, fresh.length);
  const byT = new Map(series.map((b) => [b.t, b]));
  for (const b of fresh) byT.set(b.t, b);
  return [...byT.values()].sort((a, b) => a.t - b.t).slice(-size);
}

/** The snapshot after `event` (undefined until the first snapshot arrived). */
export function applyRunsEvent(
  state: RunsApiSnapshot | undefined,
  event: RunsApiEvent,
): RunsApiSnapshot | undefined {
  if (event.type === "snapshot") return event.snapshot;
  if (!state) return state;
  switch (event.type) {
    case "run": {
      const r = event.run;
      return {
        ...state,
        runs: upsert(state.runs, r, (x) => x.runId === r.runId && x.threadId === r.threadId),
      };
    }
    case "connection": {
      const c = event.connection;
      return { ...state, connections: upsert(state.connections, c, (x) => x.id === c.id) };
    }
    case "series": {
      const last = event.buckets.at(-1);
      return {
        ...state,
        now: last ? Math.max(state.now, last.t) : state.now,
        series: mergeBuckets(state.series, event.buckets),
        summary: event.summary,
      };
    }
    default:
      return state;
  }
}
