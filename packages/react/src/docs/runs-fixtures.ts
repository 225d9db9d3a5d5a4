/**
 * A fixture data set for the dashboard's stories (Storybook only): one hour of 10 s buckets with a
 * morning's load (a burst, a slow spell, a few failures and slow readers), recent runs of every
 * status and the connections that read them. Deterministic: no clock, no randomness.
 */
import type { RunsApiBucket, RunsApiConnection, RunsApiRun, RunsApiSnapshot } from "@agentstream/core";

/** The snapshot's clock: 2026-12-08 09:30 UTC. */
export const RUNS_NOW = Date.UTC(2026, 11, 8, 9, 30, 0);
const BUCKET = 10_000;

/** A smooth, repeatable wave in 0..1. */
const wave = (i: number, period: number) => (Math.sin((i / period) * Math.PI * 2) + 1) / 2;

function bucket(i: number): RunsApiBucket {
  const t = RUNS_NOW - (359 - i) * BUCKET;
  const busy = i > 250 && i < 300 ? 2 : 1; // a burst twenty minutes ago
  const started = Math.round((wave(i, 37) * 3 + (i % 7 === 0 ? 1 : 0)) * busy);
  const failed = i % 53 === 0 ? 1 : 0;
  const interrupted = i % 71 === 0 ? 1 : 0;
  const completed = Math.max(0, started - failed - interrupted);
  const slow = i === 280 || i === 281 ? 1 : 0;
  const ttfe = 180 + wave(i, 60) * 220 + (busy > 1 ? 300 : 0);
  const duration = 3200 + wave(i, 45) * 2600 + (busy > 1 ? 2500 : 0);
  return {
    t,
    started,
    completed,
    failed,
    interrupted,
    tokens: started * 140 + Math.round(wave(i, 23) * 90),
    slowReaders: slow,
    active: Math.round(wave(i, 37) * 4 * busy),
    ...(started > 0
      ? {
          ttfeP50: Math.round(ttfe),
          ttfeP95: Math.round(ttfe * 2.1),
          durationP50: Math.round(duration),
          durationP95: Math.round(duration * 1.8),
        }
      : {}),
  };
}

const AGENTS = ["research", "analyst", "calculator", "team", "graph", "llm"] as const;
const STATUSES = [
  "running",
  "completed",
  "completed",
  "failed",
  "completed",
  "interrupted",
  "completed",
] as const;

function run(i: number): RunsApiRun {
  const status = i < 2 ? "running" : (STATUSES[i % STATUSES.length] ?? "completed");
  const startedAt = RUNS_NOW - i * 47_000 - 1_500;
  const durationMs = status === "running" ? RUNS_NOW - startedAt : 2_100 + ((i * 733) % 6_000);
  const tokens = status === "failed" ? 12 + i : 60 + ((i * 37) % 180);
  return {
    agentId: AGENTS[i % AGENTS.length] ?? "research",
    threadId: `thread-${(0x3f2a91 + i * 7919).toString(16)}-${i}`,
    runId: `run-${i}`,
    route: i % 3 === 0 ? "copilotkit" : i % 5 === 0 ? "stream" : "plain",
    status,
    startedAt,
    ...(status === "running" ? {} : { endedAt: startedAt + durationMs }),
    durationMs,
    timeToFirstEventMs: 120 + ((i * 53) % 400),
    chunks: tokens + 9,
    tokens,
    readers: status === "running" ? 1 + (i % 2) : 0,
    ...(status === "failed" ? { message: "Provider returned HTTP 429: rate limited" } : {}),
    ...(status === "interrupted" ? { message: "stopped by the user" } : {}),
  };
}

const CLIENTS = [
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:138.0) Gecko/20100101 Firefox/138.0",
  "node",
  "curl/8.5.0",
];

function connection(i: number, runs: readonly RunsApiRun[]): RunsApiConnection {
  const r = runs[Math.floor(i / 2)] ?? runs[0];
  const open = r?.status === "running";
  const startedAt = (r?.startedAt ?? RUNS_NOW) + (i % 2) * 900;
  const durationMs = open ? RUNS_NOW - startedAt : Math.max(200, (r?.durationMs ?? 1000) - (i % 2) * 900);
  return {
    id: String(100 - i),
    route: r?.route ?? "plain",
    agentId: r?.agentId ?? "research",
    threadId: r?.threadId ?? "thread",
    client: `10.0.${i % 3}.${20 + i}`,
    userAgent: CLIENTS[i % CLIENTS.length] ?? "",
    startedAt,
    ...(open ? {} : { endedAt: startedAt + durationMs }),
    durationMs,
    events: (r?.chunks ?? 10) + 14,
    bytes: ((r?.chunks ?? 10) + 14) * 148,
    reconnect: i % 2 === 1,
    slow: i === 9,
  };
}

/** The whole data set, as `GET /api/runs` would answer it. */
export function runsFixture(): RunsApiSnapshot {
  const series = Array.from({ length: 360 }, (_, i) => bucket(i));
  const runs = Array.from({ length: 14 }, (_, i) => run(i));
  const connections = Array.from({ length: 12 }, (_, i) => connection(i, runs));
  const lastMinute = series.slice(-6);
  return {
    now: RUNS_NOW,
    bucketMs: BUCKET,
    summary: {
      activeStreams: 2,
      readers: 3,
      runsPerMinute: lastMinute.reduce((n, b) => n + b.started, 0),
      tokensPerSecond: Math.round((lastMinute.reduce((n, b) => n + b.tokens, 0) / 60) * 10) / 10,
      timeToFirstEvent: { p50: 212, p95: 640, p99: 910 },
      duration: { p50: 4_180, p95: 9_650, p99: 12_400 },
      errors: series.reduce((n, b) => n + b.failed, 0),
      slowReaders: series.reduce((n, b) => n + b.slowReaders, 0),
      reconnects: connections.filter((c) => c.reconnect).length,
      totalRuns: 1_284,
    },
    series,
    runs,
    connections,
  };
}

/** The same server before any run: empty tables, zero series. */
export function emptyRunsFixture(): RunsApiSnapshot {
  const full = runsFixture();
  return {
    ...full,
    summary: {
      activeStreams: 0,
      readers: 0,
      runsPerMinute: 0,
      tokensPerSecond: 0,
      timeToFirstEvent: {},
      duration: {},
      errors: 0,
      slowReaders: 0,
      reconnects: 0,
      totalRuns: 0,
    },
    series: full.series.map((b) => ({
      t: b.t,
      started: 0,
      completed: 0,
      failed: 0,
      interrupted: 0,
      tokens: 0,
      slowReaders: 0,
      active: 0,
    })),
    runs: [],
    connections: [],
  };
}
