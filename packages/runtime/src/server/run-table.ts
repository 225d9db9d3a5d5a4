/**
 * The run table behind the dashboard: a {@link RunObserver} that keeps the recent runs (a bounded
 * ring, default 200), the recent event-stream connections (default 200) and time-bucketed series
 * ({@link RunSeries}, default the last hour in 10 s buckets), and tells subscribers what changed.
 * Memory is bounded whatever the load. Nothing runs until someone subscribes: the flush timer
 * (changed runs every 500 ms, series every 2 s) starts with the first subscriber and stops with
 * the last.
 *
 * @packageDocumentation
 */
import type {
  RunsApiConnection,
  RunsApiEvent,
  RunsApiRun,
  RunsApiSnapshot,
  RunsApiStatus,
  RunsApiSummary,
} from "@agentstream/core";
import { type ObservedReader, type RunObserver, runKey } from "../runner/observe.js";
import type { StreamConnection } from "./connections.js";
import { percentiles, RunSeries, type RunSeriesOptions } from "./run-series.js";

/** Options of {@link createRunTable}. */
export interface RunTableOptions extends RunSeriesOptions {
  /** Runs kept (newest). Default 200. */
  maxRuns?: number;
  /** Connections kept (newest). Default 200. */
  maxConnections?: number;
  /** Milliseconds between pushes of changed runs and connections to subscribers. Default 500. */
  flushMs?: number;
  /** Milliseconds between pushes of the series. Default 2 000. */
  seriesMs?: number;
}

/** The run table of one server. */
export interface RunTable {
  /** Feeds the table from the runner (see `observeRunner`). */
  readonly observer: RunObserver;
  /** Everything now: summary, series, runs and connections (newest first, at most `limit` of each). */
  snapshot(limit?: number): RunsApiSnapshot;
  /** The headline figures now. */
  summary(): RunsApiSummary;
  /** Calls `listener` with every change (runs, connections, then series) until the returned function is called. */
  subscribe(listener: (event: RunsApiEvent) => void): () => void;
}

interface RunRecord {
  agentId: string;
  threadId: string;
  runId: string;
  route: string;
  status: RunsApiStatus;
  startedAt: number;
  endedAt?: number;
  durationMs?: number;
  timeToFirstEventMs?: number;
  chunks: number;
  tokens: number;
  readers: number;
  message?: string;
}

interface ConnectionRecord {
  id: string;
  route: string;
  agentId: string;
  threadId: string;
  client: string;
  userAgent: string;
  startedAt: number;
  endedAt?: number;
  events: number;
  reconnect: boolean;
  slow: boolean;
  wire?: StreamConnection;
  run?: RunRecord;
}

/** A bounded, insertion-ordered table: the oldest entry goes when a new one would exceed `max`. */
class Ring<V> {
  readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  add(key: string, value: V): V | undefined {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size <= this.max) return undefined;
    const [oldKey, old] = this.map.entries().next().value as [string, V];
    this.map.delete(oldKey);
    return old;
  }
  /** Newest first, at most `limit`. */
  newest(limit: number): V[] {
    const all = [...this.map.values()];
    return all.slice(Math.max(0, all.length - limit)).reverse();
  }
}

/** Creates a run table (see the module documentation). */
export function createRunTable(options: RunTableOptions = {}): RunTable {
  const now = options.now ?? Date.now;
  const series = new RunSeries(options);
  const maxRuns = options.maxRuns ?? 200;
  const runs = new Ring<RunRecord>(maxRuns);
  const connections = new Ring<ConnectionRecord>(options.maxConnections ?? 200);
  /** The record of the run a thread runs now. */
  const running = new Map<string, RunRecord>();
  const readers = new WeakMap<ObservedReader, ConnectionRecord>();
  const listeners = new Set<(event: RunsApiEvent) => void>();
  const dirtyRuns = new Set<RunRecord>();
  const dirtyConnections = new Set<ConnectionRecord>();
  let seriesDirty = false;
  let openReaders = 0;
  let totalRuns = 0;
  let nextConnection = 1;
  let flushTimer: ReturnType<typeof setInterval> | undefined;
  let seriesTimer: ReturnType<typeof setInterval> | undefined;

  const runView = (r: RunRecord): RunsApiRun => ({
    agentId: r.agentId,
    threadId: r.threadId,
    runId: r.runId,
    route: r.route,
    status: r.status,
    startedAt: r.startedAt,
    ...(r.endedAt === undefined ? {} : { endedAt: r.endedAt }),
    durationMs: Math.round(r.durationMs ?? Math.max(0, now() - r.startedAt)),
    ...(r.timeToFirstEventMs === undefined
      ? {}
      : { timeToFirstEventMs: Math.round(r.timeToFirstEventMs * 10) / 10 }),
    chunks: r.chunks,
    tokens: r.tokens,
    readers: r.readers,
    ...(r.message === undefined ? {} : { message: r.message }),
  });

  const connectionView = (c: ConnectionRecord): RunsApiConnection => ({
    id: c.id,
    route: c.route,
    agentId: c.agentId,
    threadId: c.threadId,
    client: c.client,
    userAgent: c.userAgent,
    startedAt: c.startedAt,
    ...(c.endedAt === undefined ? {} : { endedAt: c.endedAt }),
    durationMs: Math.max(0, (c.endedAt ?? now()) - c.startedAt),
    events: c.events,
    bytes: c.wire?.bytes ?? 0,
    reconnect: c.reconnect,
    slow: c.slow,
  });

  const emit = (event: RunsApiEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // a subscriber's failure is its own (the route closes its stream)
      }
    }
  };

  const flush = () => {
    for (const r of dirtyRuns) emit({ type: "run", run: runView(r) });
    dirtyRuns.clear();
    for (const c of dirtyConnections) emit({ type: "connection", connection: connectionView(c) });
    dirtyConnections.clear();
  };
  /** The bucket the last `series` push ended with: a new bucket is pushed even when idle (the charts move on). */
  let pushedBucket = 0;
  const pushSeries = () => {
    const openBytes = [...connections.map.values()].some((c) => c.endedAt === undefined);
    const bucket = Math.floor(now() / series.bucketMs);
    if (!seriesDirty && running.size === 0 && !openBytes && bucket === pushedBucket) return;
    seriesDirty = false;
    pushedBucket = bucket;
    flush();
    emit({ type: "series", buckets: series.buckets(2), summary: summary() });
  };
  /** Marks `r` changed; `now` pushes it at once (start and end), otherwise with the next flush. */
  const touchRun = (r: RunRecord, immediate = false) => {
    seriesDirty = true;
    if (listeners.size === 0) return;
    if (immediate) {
      dirtyRuns.delete(r);
      emit({ type: "run", run: runView(r) });
    } else dirtyRuns.add(r);
  };
  const touchConnection = (c: ConnectionRecord, immediate = false) => {
    if (listeners.size === 0) return;
    if (immediate) {
      dirtyConnections.delete(c);
      emit({ type: "connection", connection: connectionView(c) });
    } else dirtyConnections.add(c);
  };

  const summary = (): RunsApiSummary => {
    const recent = [...runs.map.values()];
    const ttfe: number[] = [];
    const duration: number[] = [];
    for (const r of recent) {
      if (r.timeToFirstEventMs !== undefined) ttfe.push(r.timeToFirstEventMs);
      if (r.durationMs !== undefined) duration.push(r.durationMs);
    }
    let reconnects = 0;
    for (const c of connections.map.values()) if (c.reconnect) reconnects++;
    const window = series.bucketMs * series.size;
    return {
      activeStreams: running.size,
      readers: openReaders,
      runsPerMinute: series.sum(60_000, "started"),
      tokensPerSecond: Math.round((series.sum(60_000, "tokens") / 60) * 10) / 10,
      timeToFirstEvent: percentiles(ttfe),
      duration: percentiles(duration),
      errors: series.sum(window, "failed"),
      slowReaders: series.sum(window, "slowReaders"),
      reconnects,
      totalRuns,
    };
  };

  const recordOf = (threadId: string, runId: string) => runs.map.get(runKey(threadId, runId));

  const observer: RunObserver = {
    runStarted(run) {
      totalRuns++;
      series.started();
      const r: RunRecord = {
        agentId: run.agentId,
        threadId: run.threadId,
        runId: run.runId,
        route: run.route,
        status: "running",
        startedAt: run.startedAt,
        chunks: 0,
        tokens: 0,
        readers: 0,
      };
      const evicted = runs.add(runKey(run.threadId, run.runId), r);
      if (evicted) dirtyRuns.delete(evicted);
      running.set(run.threadId, r);
      touchRun(r, true);
    },
    firstEvent(run, ms) {
      series.firstEvent(ms);
      const r = recordOf(run.threadId, run.runId);
      if (!r) return;
      r.timeToFirstEventMs = ms;
      touchRun(r);
    },
    chunks(run, batch) {
      let tokens = 0;
      for (const chunk of batch) if (chunk.type === "token") tokens++;
      series.tokens(tokens);
      const r = recordOf(run.threadId, run.runId);
      if (!r) return;
      r.chunks += batch.length;
      r.tokens += tokens;
      touchRun(r);
    },
    runEnded(end) {
      series.ended(end.outcome, end.durationMs);
      const r = recordOf(end.threadId, end.runId);
      if (running.get(end.threadId)?.runId === end.runId) running.delete(end.threadId);
      if (!r) return;
      r.status = end.outcome;
      r.endedAt = r.startedAt + Math.round(end.durationMs);
      r.durationMs = end.durationMs;
      r.chunks = end.chunks;
      r.tokens = end.tokens;
      if (end.timeToFirstEventMs !== undefined) r.timeToFirstEventMs = end.timeToFirstEventMs;
      if (end.message !== undefined) r.message = end.message.slice(0, 500);
      touchRun(r, true);
    },
    readerAttached(reader) {
      openReaders++;
      const wire = reader.connection as StreamConnection | undefined;
      const run = running.get(reader.threadId);
      const c: ConnectionRecord = {
        id: String(nextConnection++),
        route: reader.route,
        agentId: reader.agentId,
        threadId: reader.threadId,
        client: wire?.client ?? "",
        userAgent: wire?.userAgent ?? "",
        startedAt: now(),
        events: 0,
        reconnect: reader.resumed || (wire?.resume ?? false),
        slow: false,
        ...(wire ? { wire } : {}),
        ...(run ? { run } : {}),
      };
      readers.set(reader, c);
      connections.add(c.id, c);
      if (run) {
        run.readers++;
        touchRun(run);
      }
      touchConnection(c, true);
    },
    readerEvents(reader, count) {
      const c = readers.get(reader);
      if (!c) return;
      c.events += count;
      touchConnection(c);
    },
    readerDetached(reader) {
      openReaders = Math.max(0, openReaders - 1);
      const c = readers.get(reader);
      if (!c) return;
      c.endedAt = now();
      if (c.run) {
        c.run.readers = Math.max(0, c.run.readers - 1);
        touchRun(c.run);
      }
      touchConnection(c, true);
      // Once more with the next flush: the last bytes (compressed ones come later) are written after the read ends.
      touchConnection(c);
    },
    slowReader(reader) {
      series.slowReader();
      seriesDirty = true;
      const c = readers.get(reader);
      if (c) c.slow = true;
    },
  };

  return {
    observer,
    summary,
    snapshot(limit = maxRuns) {
      return {
        now: now(),
        bucketMs: series.bucketMs,
        summary: summary(),
        series: series.buckets(),
        runs: runs.newest(limit).map(runView),
        connections: connections.newest(limit).map(connectionView),
      };
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!flushTimer) {
        flushTimer = setInterval(flush, options.flushMs ?? 500);
        seriesTimer = setInterval(pushSeries, options.seriesMs ?? 2_000);
        (flushTimer as { unref?: () => void }).unref?.();
        (seriesTimer as { unref?: () => void }).unref?.();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          clearInterval(flushTimer);
          clearInterval(seriesTimer);
          flushTimer = seriesTimer = undefined;
          dirtyRuns.clear();
          dirtyConnections.clear();
        }
      };
    },
  };
}
