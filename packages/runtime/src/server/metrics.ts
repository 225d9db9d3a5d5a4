/**
 * The metrics behind `GET /metrics`: Prometheus text format through `prom-client`, on a registry of the server's
 * own (the process defaults included: `process_*`, `nodejs_*`).
 *
 * Stream counts (started, finished by outcome, active) live in one plain table updated where
 * runs start and end, and are copied into the prom-client metrics in one synchronous step at
 * each scrape, so every scrape satisfies
 * `started = completed + failed + interrupted + active` for every agent and route.
 *
 * @packageDocumentation
 */

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { RunObserver, RunOutcome } from "../runner/observe.js";
import type { RunLimitName } from "./run-limits.js";

/** Options of {@link createServerMetrics}. */
export interface ServerMetricsOptions {
  /** Bytes the runner retains now (memory runner: `retainedBytes`); undefined leaves the gauge out. */
  retainedBytes?: () => number | undefined;
  /** Also collect prom-client's process defaults. Default true. */
  defaults?: boolean;
}

/** The server's metrics. */
export interface ServerMetrics {
  /** The prom-client registry (add your own metrics to it). */
  readonly registry: Registry;
  /** Feeds the stream metrics from the runner (see `observeRunner`). */
  readonly observer: RunObserver;
  /** Counts `bytes` written on an event-stream response of `route` (on the wire: after compression in `encoding`). */
  countBytes(route: string, encoding: string, bytes: number): void;
  /** Counts a run request refused by a limit (`agentstream_runs_rate_limited_total`). */
  countRateLimited(limit: RunLimitName): void;
  /** Copies the stream table into the metrics and renders the text format. */
  render(): Promise<string>;
}

interface Row {
  agent: string;
  route: string;
  started: number;
  completed: number;
  failed: number;
  interrupted: number;
  active: number;
}

const OUTCOMES: readonly RunOutcome[] = ["completed", "failed", "interrupted"];

/** Creates the metrics of one server. */
export function createServerMetrics(options: ServerMetricsOptions = {}): ServerMetrics {
  const registry = new Registry();
  if (options.defaults !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const streamsStarted = new Counter({
    name: "agentstream_streams_started_total",
    help: "Runs started",
    labelNames: ["agent", "route"],
    registers,
  });
  const streamsFinished = new Counter({
    name: "agentstream_streams_finished_total",
    help: "Runs ended, by outcome (completed, failed, interrupted)",
    labelNames: ["agent", "route", "outcome"],
    registers,
  });
  const streamsActive = new Gauge({
    name: "agentstream_streams_active",
    help: "Runs in progress",
    labelNames: ["agent", "route"],
    registers,
  });
  const streamsResumed = new Counter({
    name: "agentstream_streams_resumed_total",
    help: "Readers that joined a running run after its first reader (Last-Event-ID resume, attach, connect)",
    labelNames: ["agent", "route"],
    registers,
  });
  const firstEvent = new Histogram({
    name: "agentstream_stream_first_event_seconds",
    help: "Time from a run's start to its first event after RUN_STARTED",
    labelNames: ["agent", "route"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const duration = new Histogram({
    name: "agentstream_stream_duration_seconds",
    help: "Run duration, by outcome",
    labelNames: ["agent", "route", "outcome"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers,
  });
  const chunks = new Counter({
    name: "agentstream_stream_chunks_total",
    help: "Chunks produced by runs",
    labelNames: ["agent", "route"],
    registers,
  });
  const tokens = new Counter({
    name: "agentstream_stream_tokens_total",
    help: "Token chunks produced by runs",
    labelNames: ["agent", "route"],
    registers,
  });
  const eventsWritten = new Counter({
    name: "agentstream_events_written_total",
    help: "Events handed to readers (each reader counts)",
    labelNames: ["agent", "route"],
    registers,
  });
  const bytesWritten = new Counter({
    name: "agentstream_bytes_written_total",
    help: "Bytes written on event-stream responses (on the wire: after compression), by content encoding",
    labelNames: ["route", "encoding"],
    registers,
  });
  const readers = new Gauge({
    name: "agentstream_readers_attached",
    help: "Readers attached to a thread now",
    labelNames: ["agent", "route"],
    registers,
  });
  const slowReaders = new Counter({
    name: "agentstream_slow_reader_terminations_total",
    help: "Readers ended because they fell behind the retained window",
    labelNames: ["agent", "route"],
    registers,
  });
  const observerErrors = new Counter({
    name: "agentstream_observer_errors_total",
    help: "Errors thrown by metric or event observers (the streams went on)",
    registers,
  });
  const coalesced = new Counter({
    name: "agentstream_events_coalesced_total",
    help: "Token and reasoning deltas merged into an earlier event by the per-stream output rate (eventsPerSecond)",
    labelNames: ["agent", "route"],
    registers,
  });
  const rateLimited = new Counter({
    name: "agentstream_runs_rate_limited_total",
    help: "Run requests refused by a limit (per_minute, concurrent: 429 for one client; instance: 503, the server's maxRuns)",
    labelNames: ["limit"],
    registers,
  });
  if (options.retainedBytes) {
    const read = options.retainedBytes;
    new Gauge({
      name: "agentstream_runner_retained_bytes",
      help: "Bytes of events the runner retains (logs and compacted histories)",
      registers,
      collect() {
        const value = read();
        if (value !== undefined) this.set(value);
      },
    });
  }

  const rows = new Map<string, Row>();
  const published = new Map<string, Row>();
  const row = (agent: string, route: string): Row => {
    const key = `${agent}\n${route}`;
    let r = rows.get(key);
    if (!r) {
      r = { agent, route, started: 0, completed: 0, failed: 0, interrupted: 0, active: 0 };
      rows.set(key, r);
    }
    return r;
  };

  const observer: RunObserver = {
    runStarted(run) {
      const r = row(run.agentId, run.route);
      r.started++;
      r.active++;
    },
    firstEvent(run, ms) {
      firstEvent.observe({ agent: run.agentId, route: run.route }, ms / 1000);
    },
    runEnded(end) {
      const r = row(end.agentId, end.route);
      r[end.outcome]++;
      r.active--;
      const labels = { agent: end.agentId, route: end.route };
      duration.observe({ ...labels, outcome: end.outcome }, end.durationMs / 1000);
      chunks.inc(labels, end.chunks);
      tokens.inc(labels, end.tokens);
    },
    coalesced(run, count) {
      coalesced.inc({ agent: run.agentId, route: run.route }, count);
    },
    readerAttached(reader) {
      readers.inc({ agent: reader.agentId, route: reader.route });
      if (reader.resumed) streamsResumed.inc({ agent: reader.agentId, route: reader.route });
    },
    readerEvents(reader, count) {
      eventsWritten.inc({ agent: reader.agentId, route: reader.route }, count);
    },
    readerDetached(reader) {
      readers.dec({ agent: reader.agentId, route: reader.route });
    },
    slowReader(reader) {
      slowReaders.inc({ agent: reader.agentId, route: reader.route });
    },
    onError() {
      observerErrors.inc();
    },
  };

  /** One synchronous copy of the table into the metrics: the scrape sees one consistent state. */
  const publish = () => {
    for (const [key, r] of rows) {
      let p = published.get(key);
      if (!p) {
        p = { ...r, started: 0, completed: 0, failed: 0, interrupted: 0, active: 0 };
        published.set(key, p);
      }
      const labels = { agent: r.agent, route: r.route };
      if (r.started > p.started) streamsStarted.inc(labels, r.started - p.started);
      else if (p.started === 0) streamsStarted.inc(labels, 0);
      for (const outcome of OUTCOMES) {
        if (r[outcome] > p[outcome]) streamsFinished.inc({ ...labels, outcome }, r[outcome] - p[outcome]);
        else if (p[outcome] === 0) streamsFinished.inc({ ...labels, outcome }, 0);
      }
      streamsActive.set(labels, r.active);
      Object.assign(p, r);
    }
  };

  return {
    registry,
    observer,
    countBytes(route, encoding, bytes) {
      bytesWritten.inc({ route, encoding }, bytes);
    },
    countRateLimited(limit) {
      rateLimited.inc({ limit });
    },
    async render() {
      publish();
      return registry.metrics();
    },
  };
}
