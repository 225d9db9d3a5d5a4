/**
 * The wire types of the runs API (`GET /api/runs`, `GET /api/runs/events`): what the runtime's
 * run table reports and what the kit's `RunsDashboard` reads. Types only (no code), so the one
 * shape lives in core and both sides compile against it.
 *
 * @packageDocumentation
 */

/** Where a run stands: `running`, or how it ended. */
export type RunsApiStatus = "running" | "completed" | "failed" | "interrupted";

/** One run in the table of recent runs. */
export interface RunsApiRun {
  readonly agentId: string;
  readonly threadId: string;
  readonly runId: string;
  /** The route that started it (`plain`, `copilotkit`, `stream`, `other`). */
  readonly route: string;
  readonly status: RunsApiStatus;
  /** Epoch milliseconds when the run started. */
  readonly startedAt: number;
  /** Epoch milliseconds when it ended (absent while running). */
  readonly endedAt?: number;
  /** Milliseconds from start to end (so far, while running). */
  readonly durationMs: number;
  /** Milliseconds from start to the agent's first output, once there was one. */
  readonly timeToFirstEventMs?: number;
  /** Chunks produced so far. */
  readonly chunks: number;
  /** Token chunks among them. */
  readonly tokens: number;
  /** Readers attached now. */
  readonly readers: number;
  /** The error message (failed) or the interruption reason (interrupted). */
  readonly message?: string;
}

/** One event-stream connection (a reader of a thread). */
export interface RunsApiConnection {
  /** Unique within the server's lifetime. */
  readonly id: string;
  /** The transport: the route it came by (`plain`, `copilotkit`, `stream`, `other`). */
  readonly route: string;
  readonly agentId: string;
  readonly threadId: string;
  /** The client's address (the forwarded one behind a trusted proxy, when the host says so). */
  readonly client: string;
  /** The client's `User-Agent`, shortened. */
  readonly userAgent: string;
  /** Epoch milliseconds when the reader attached. */
  readonly startedAt: number;
  /** Epoch milliseconds when it left (absent while open). */
  readonly endedAt?: number;
  /** Milliseconds attached (so far, while open). */
  readonly durationMs: number;
  /** Events handed to it. */
  readonly events: number;
  /** Bytes written to it on the wire (after compression); 0 where the host does not count (edge). */
  readonly bytes: number;
  /** True when it resumed a run another reader had read (`Last-Event-ID`, attach, connect). */
  readonly reconnect: boolean;
  /** True when it was ended for falling behind the retained window. */
  readonly slow: boolean;
}

/** The figures of one time bucket. */
export interface RunsApiBucket {
  /** Epoch milliseconds of the bucket's start. */
  readonly t: number;
  /** Runs started in the bucket. */
  readonly started: number;
  readonly completed: number;
  readonly failed: number;
  readonly interrupted: number;
  /** Token chunks produced in the bucket. */
  readonly tokens: number;
  /** Readers ended for falling behind. */
  readonly slowReaders: number;
  /** The most runs active at once in the bucket. */
  readonly active: number;
  /** Median and 95th percentile of time to first event of the runs that had it in the bucket (ms). */
  readonly ttfeP50?: number;
  readonly ttfeP95?: number;
  /** Median and 95th percentile of the durations of the runs that ended in the bucket (ms). */
  readonly durationP50?: number;
  readonly durationP95?: number;
}

/** Percentiles in milliseconds (absent when there is no sample). */
export interface RunsApiPercentiles {
  readonly p50?: number;
  readonly p95?: number;
  readonly p99?: number;
}

/** The headline figures. */
export interface RunsApiSummary {
  /** Runs running now. */
  readonly activeStreams: number;
  /** Readers attached now. */
  readonly readers: number;
  /** Runs started in the last 60 s. */
  readonly runsPerMinute: number;
  /** Token chunks per second over the last 60 s. */
  readonly tokensPerSecond: number;
  /** Time to first event over the recent runs. */
  readonly timeToFirstEvent: RunsApiPercentiles;
  /** Durations of the recent runs that ended. */
  readonly duration: RunsApiPercentiles;
  /** Failed runs in the series' window. */
  readonly errors: number;
  /** Slow-reader terminations in the series' window. */
  readonly slowReaders: number;
  /** Readers that resumed a run, in the table of recent connections. */
  readonly reconnects: number;
  /** Runs started since the server started. */
  readonly totalRuns: number;
}

/** `GET /api/runs`: everything the dashboard shows. */
export interface RunsApiSnapshot {
  /** Epoch milliseconds of the snapshot. */
  readonly now: number;
  /** Milliseconds per bucket of `series`. */
  readonly bucketMs: number;
  readonly summary: RunsApiSummary;
  /** Oldest first; buckets with nothing in them are included (zeros), up to the window. */
  readonly series: readonly RunsApiBucket[];
  /** Newest first. */
  readonly runs: readonly RunsApiRun[];
  /** Newest first. */
  readonly connections: readonly RunsApiConnection[];
}

/**
 * One message of `GET /api/runs/events` (SSE: the `event:` line is `type`, `data:` the JSON of
 * the message). The first is always a `snapshot`; then upserts of runs and connections as they
 * change, and the latest buckets with the summary every couple of seconds while anything moves.
 */
export type RunsApiEvent =
  | { readonly type: "snapshot"; readonly snapshot: RunsApiSnapshot }
  | { readonly type: "run"; readonly run: RunsApiRun }
  | { readonly type: "connection"; readonly connection: RunsApiConnection }
  | {
      readonly type: "series";
      readonly buckets: readonly RunsApiBucket[];
      readonly summary: RunsApiSummary;
    };
