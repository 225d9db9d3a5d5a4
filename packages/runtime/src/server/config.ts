/**
 * Server configuration, from options or from the environment.
 *
 * @packageDocumentation
 */

import { BUSY_POLICIES, type BusyPolicy, isBusyPolicy } from "../handler/busy-policy.js";
import { parseCorsOrigins, type TrustProxy } from "../handler/cors.js";
import type { DashboardPage } from "../handler/dashboard-routes.js";
import type { AgentStreamRunner } from "../runner/agent-stream-runner.js";
import type { AgentsInput } from "./agent-table.js";
import type { Authorize } from "./authorize.js";
import type { Logger, LogLevel } from "./logging.js";
import type { RunLimitsOptions } from "./run-limits.js";
import type { ThreadAccessMode } from "./thread-access.js";

/** Options of `createAgentServer`. Every field has a default. */
export interface AgentServerOptions {
  /**
   * Agents to serve (required): agents made by `defineAgent`, or any AG-UI `AbstractAgent`, by id
   * or as a list. There is no default (the embedded demo agents live in `@agentstream/agents`).
   */
  agents: AgentsInput;
  /** Port for {@link AgentServer.listen}. Default 4000 (`PORT`); 0 picks a free port. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1 (`HOST`). */
  host?: string;
  /** When set, every `/api` route requires `Authorization: Bearer <token>` (`AGENTSTREAM_AUTH_TOKEN`). */
  authToken?: string;
  /** Browser origins allowed to call the API (`CORS_ORIGINS`, comma-separated; `*` for any). Default: none (same-origin only). */
  corsOrigins?: string[];
  /**
   * The server runs behind a reverse proxy (nginx, a load balancer, a container platform) whose
   * forwarded headers say what the browser addressed (`AGENTSTREAM_TRUST_PROXY`). When the peer is
   * trusted, the same-origin check of `POST`s takes the server's origin from the standard
   * `Forwarded: host=…;proto=…` header (first element), else from `X-Forwarded-Host` (first value)
   * and `X-Forwarded-Proto`, instead of `Host`; a stated protocol must match the `Origin`'s scheme.
   * Express's `trust proxy` setting gets the same value, so `req.ip`, `req.protocol` and
   * `req.hostname` (e.g. in `authorize`) agree.
   *
   * Values as Express's: `true` trusts any peer; a number trusts that many hops (`1`: the proxy
   * right in front); addresses or subnets (`"loopback"`, `"10.0.0.0/8"`, a list) trust only those
   * peers. Default `false`: forwarded headers are ignored, so a client talking to the server
   * directly cannot pass the check by sending `X-Forwarded-Host` itself. Set it only when every
   * request arrives through the proxy (or name the proxy's addresses).
   */
  trustProxy?: TrustProxy;
  /** Milliseconds the embedded agents wait between tokens (`AGENTSTREAM_PACE_MS`). Default 30; 0 for tests and benchmarks. */
  paceMs?: number;
  /** Directory of the built demo app served at `/` with an SPA fallback; `null` serves none. Default: none. */
  staticDir?: string | null;
  /** Where CopilotKit's runtime is mounted. Default `/api/copilotkit`. */
  copilotBasePath?: string;
  /**
   * Lets CopilotKit's runtime send its usage telemetry (and print its `telemetry enabled` notice).
   * Default `false`: the server sends none and prints no notice, whatever the environment says.
   * (CopilotKit's `/info` still reports `telemetryDisabled` from `COPILOTKIT_TELEMETRY_DISABLED`,
   * which only CopilotKit's optional web inspector in the browser reads.)
   */
  copilotKitTelemetry?: boolean;
  /** Largest accepted request body in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Milliseconds between SSE heartbeat comments (`AGENTSTREAM_HEARTBEAT_MS`). Default 15 000. */
  heartbeatMs?: number;
  /** How long SIGTERM waits for running streams before ending them (`AGENTSTREAM_SHUTDOWN_TIMEOUT_MS`). Default 10 000. */
  shutdownTimeoutMs?: number;
  /** Logger. Default: JSON lines on stdout at `logLevel`. */
  logger?: Logger;
  /** Level of the default logger (`AGENTSTREAM_LOG_LEVEL`: debug, info, warn, error, silent). Default info. */
  logLevel?: LogLevel | "silent";
  /**
   * Where runs live; both routes read from it. Default: a {@link MemoryRunner} (one process).
   * Pass a Redis runner (`@agentstream/runner-redis`) to share runs between instances.
   */
  runner?: AgentStreamRunner;
  /**
   * With the default runner: how long a run with no reader keeps running so a client can come
   * back (`AGENTSTREAM_DETACHED_RUN_MS`). Default 30 000; 0 stops a run as soon as its last
   * reader leaves.
   */
  detachedRunMs?: number;
  /**
   * Decides whether a request may run, follow, stop or answer a thread (after the bearer token
   * check), instead of the thread capabilities (`threadAccess`). Bind threads to your users here.
   */
  authorize?: Authorize;
  /**
   * Who may use a thread when there is no `authorize` (`AGENTSTREAM_THREAD_ACCESS`):
   * `"capability"` (default) — the client that created it, by its thread token (`X-Thread-Token`)
   * or the browser session cookie it got; anyone else gets 404. `"open"` — anyone who knows the
   * thread id (trusted networks only).
   */
  threadAccess?: ThreadAccessMode;
  /**
   * What thread tokens and session cookies are signed with (`AGENTSTREAM_THREAD_SECRET`, at least
   * 32 characters). Default: the secret the runner's shared store keeps (Redis), else a random
   * one per process. Set it when tokens must outlive a restart or be shared without Redis.
   */
  threadSecret?: string;
  /**
   * Limits on what one client may start: runs per minute and runs at once, per client key (see
   * `RunLimitsOptions`; `AGENTSTREAM_RUNS_PER_MINUTE`, `AGENTSTREAM_CONCURRENT_RUNS`). Over one,
   * a run request gets 429 with `Retry-After`. Default: none. Node handler only.
   */
  limits?: RunLimitsOptions;
  /**
   * The output rate of each stream, in events per second (`AGENTSTREAM_EVENTS_PER_SECOND`): beyond
   * it, consecutive token deltas of the same message (and reasoning deltas) merge into one event
   * before they enter the thread's log, so a resume replays exactly what a live reader saw.
   * Nothing is dropped, the order is kept, other events are never merged; a burst of one second's
   * worth passes unchanged. An agent's own `eventsPerSecond` (`defineAgent`) overrides it.
   * Counted in `/metrics` (`agentstream_events_coalesced_total`). Default: no limit.
   */
  eventsPerSecond?: number;
  /**
   * Admission control: runs this instance serves at once (`AGENTSTREAM_MAX_RUNS`). Beyond it a
   * new run, on any route, gets 503 `overloaded` with `Retry-After: 1` at once (a load balancer or
   * the client tries another instance, or later) instead of slowing every stream down; following,
   * stopping and answering are never refused, and `/healthz` keeps answering (`overloaded: true`).
   * Counts the generator runs of this process. Default: no limit.
   */
  maxRuns?: number;
  /**
   * What a run on a thread that already runs does, for agents that do not say (`reject`: 409,
   * the default; `interrupt`; `enqueue`; see `defineAgent`'s `busy`). `AGENTSTREAM_BUSY`.
   */
  busy?: BusyPolicy;
  /**
   * Compress event streams for clients that send `Accept-Encoding` (gzip, deflate, brotli),
   * flushing after every event. `AGENTSTREAM_COMPRESSION=off` turns it off. Default true.
   */
  compression?: boolean;
  /** Serve `GET /metrics` (Prometheus text format). `AGENTSTREAM_METRICS=off` removes it. Default true. */
  metrics?: boolean;
  /**
   * Bearer token of `GET /metrics` (`AGENTSTREAM_METRICS_TOKEN`). Default: `authToken` (none:
   * open, like `/healthz`).
   */
  metricsToken?: string;
  /**
   * The live dashboard, protected like `/metrics`: `GET /api/runs` (JSON) and its live feed
   * `GET /api/runs/events` (SSE), on by default where `/metrics` is; and `GET /dashboard` when
   * given a page (`dashboardPage` from `@agentstream/react/dashboard-page`: the runtime never
   * imports the kit). `false` (`AGENTSTREAM_DASHBOARD=off`) removes all three.
   */
  dashboard?: boolean | DashboardPage;
}

function onOff(value: string | undefined, name: string): boolean | undefined {
  const v = value?.trim().toLowerCase();
  if (!v) return undefined;
  if (["off", "false", "0", "no"].includes(v)) return false;
  if (["on", "true", "1", "yes"].includes(v)) return true;
  throw new Error(`${name} must be on or off (got ${JSON.stringify(value)})`);
}

function int(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name} must be an integer >= ${min} (got ${JSON.stringify(value)})`);
  return n;
}

const TRUST_ADDRESS = /^(loopback|linklocal|uniquelocal|[0-9a-f:.]*[.:][0-9a-f:.]*(\/[0-9.]+)?)$/i;

/** `AGENTSTREAM_TRUST_PROXY`: on/off, a hop count, or a comma-separated list of addresses or subnets. */
function trustProxy(value: string | undefined): AgentServerOptions["trustProxy"] {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const lower = v.toLowerCase();
  if (["off", "false", "no"].includes(lower)) return false;
  if (["on", "true", "yes"].includes(lower)) return true;
  const list = v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length > 0 && list.every((s) => TRUST_ADDRESS.test(s))) return list;
  throw new Error(
    `AGENTSTREAM_TRUST_PROXY must be on, off, a hop count, or proxy addresses/subnets such as "loopback, 10.0.0.0/8" (got ${JSON.stringify(value)})`,
  );
}

/** `AGENTSTREAM_RUNS_PER_MINUTE` and `AGENTSTREAM_CONCURRENT_RUNS` (positive integers), when set. */
function limitsFromEnv(env: Readonly<Record<string, string | undefined>>): RunLimitsOptions | undefined {
  const runsPerMinute = int(env.AGENTSTREAM_RUNS_PER_MINUTE, "AGENTSTREAM_RUNS_PER_MINUTE", 1);
  const concurrentRuns = int(env.AGENTSTREAM_CONCURRENT_RUNS, "AGENTSTREAM_CONCURRENT_RUNS", 1);
  if (runsPerMinute === undefined && concurrentRuns === undefined) return undefined;
  return {
    ...(runsPerMinute === undefined ? {} : { runsPerMinute }),
    ...(concurrentRuns === undefined ? {} : { concurrentRuns }),
  };
}

function threadAccessFromEnv(value: string | undefined): ThreadAccessMode | undefined {
  const v = value?.trim().toLowerCase();
  if (!v) return undefined;
  if (v !== "capability" && v !== "open")
    throw new Error(`AGENTSTREAM_THREAD_ACCESS must be capability or open (got ${JSON.stringify(value)})`);
  return v;
}

/** A thread secret long enough to sign with; throws naming where it came from otherwise. */
export function checkThreadSecret(secret: string | undefined, name = "threadSecret"): string | undefined {
  if (secret === undefined) return undefined;
  if (secret.length < 32) throw new Error(`${name} must be at least 32 characters (got ${secret.length})`);
  return secret;
}

function busyFromEnv(value: string | undefined): BusyPolicy | undefined {
  const v = value?.trim().toLowerCase();
  if (!v) return undefined;
  if (!isBusyPolicy(v)) throw new Error(`AGENTSTREAM_BUSY must be one of ${BUSY_POLICIES.join(", ")}`);
  return v;
}

const LEVELS = new Set(["debug", "info", "warn", "error", "silent"]);

/**
 * Reads {@link AgentServerOptions} from environment variables:
 * `PORT`, `HOST`, `AGENTSTREAM_AUTH_TOKEN`, `CORS_ORIGINS`, `AGENTSTREAM_TRUST_PROXY`, `AGENTSTREAM_PACE_MS`,
 * `AGENTSTREAM_STATIC_DIR`, `AGENTSTREAM_HEARTBEAT_MS`, `AGENTSTREAM_SHUTDOWN_TIMEOUT_MS`,
 * `AGENTSTREAM_LOG_LEVEL`, `AGENTSTREAM_DETACHED_RUN_MS`, `AGENTSTREAM_COMPRESSION`, `AGENTSTREAM_METRICS`,
 * `AGENTSTREAM_METRICS_TOKEN`, `AGENTSTREAM_RUNS_PER_MINUTE`, `AGENTSTREAM_CONCURRENT_RUNS`,
 * `AGENTSTREAM_EVENTS_PER_SECOND`, `AGENTSTREAM_BUSY`, `AGENTSTREAM_MAX_RUNS`, `AGENTSTREAM_THREAD_ACCESS`, `AGENTSTREAM_THREAD_SECRET`.
 * Everything but `agents`: pass those yourself.
 *
 * @throws on malformed numbers, naming the variable
 *
 * Also `AGENTSTREAM_DASHBOARD` (on/off: the dashboard's routes).
 */
export function serverOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Omit<AgentServerOptions, "agents"> {
  const level = env.AGENTSTREAM_LOG_LEVEL?.trim().toLowerCase();
  if (level && !LEVELS.has(level))
    throw new Error(`AGENTSTREAM_LOG_LEVEL must be one of ${[...LEVELS].join(", ")}`);
  const options: Omit<AgentServerOptions, "agents"> = {
    port: int(env.PORT, "PORT", 0),
    host: env.HOST?.trim() || undefined,
    authToken: env.AGENTSTREAM_AUTH_TOKEN?.trim() || undefined,
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
    trustProxy: trustProxy(env.AGENTSTREAM_TRUST_PROXY),
    paceMs: int(env.AGENTSTREAM_PACE_MS, "AGENTSTREAM_PACE_MS", 0),
    staticDir: env.AGENTSTREAM_STATIC_DIR?.trim() || undefined,
    heartbeatMs: int(env.AGENTSTREAM_HEARTBEAT_MS, "AGENTSTREAM_HEARTBEAT_MS", 0),
    shutdownTimeoutMs: int(env.AGENTSTREAM_SHUTDOWN_TIMEOUT_MS, "AGENTSTREAM_SHUTDOWN_TIMEOUT_MS", 0),
    detachedRunMs: int(env.AGENTSTREAM_DETACHED_RUN_MS, "AGENTSTREAM_DETACHED_RUN_MS", 0),
    logLevel: level as AgentServerOptions["logLevel"],
    compression: onOff(env.AGENTSTREAM_COMPRESSION, "AGENTSTREAM_COMPRESSION"),
    metrics: onOff(env.AGENTSTREAM_METRICS, "AGENTSTREAM_METRICS"),
    dashboard: onOff(env.AGENTSTREAM_DASHBOARD, "AGENTSTREAM_DASHBOARD"),
    metricsToken: env.AGENTSTREAM_METRICS_TOKEN?.trim() || undefined,
    limits: limitsFromEnv(env),
    eventsPerSecond: int(env.AGENTSTREAM_EVENTS_PER_SECOND, "AGENTSTREAM_EVENTS_PER_SECOND", 1),
    busy: busyFromEnv(env.AGENTSTREAM_BUSY),
    maxRuns: int(env.AGENTSTREAM_MAX_RUNS, "AGENTSTREAM_MAX_RUNS", 1),
    threadAccess: threadAccessFromEnv(env.AGENTSTREAM_THREAD_ACCESS),
    threadSecret: checkThreadSecret(
      env.AGENTSTREAM_THREAD_SECRET?.trim() || undefined,
      "AGENTSTREAM_THREAD_SECRET",
    ),
  };
  for (const key of Object.keys(options) as (keyof typeof options)[]) {
    if (options[key] === undefined) delete options[key];
  }
  return options;
}

/** Options with defaults applied. */
export type ResolvedServerOptions = Required<
  Omit<
    AgentServerOptions,
    | "agents"
    | "logger"
    | "staticDir"
    | "authToken"
    | "logLevel"
    | "dashboard"
    | "runner"
    | "authorize"
    | "metricsToken"
    | "limits"
    | "eventsPerSecond"
    | "busy"
    | "maxRuns"
    | "threadAccess"
    | "threadSecret"
  >
> & {
  staticDir: string | null;
  authToken: string | undefined;
  logger: Logger;
};

/** Defaults of the server options. */
export const SERVER_DEFAULTS = {
  port: 4000,
  host: "127.0.0.1",
  paceMs: 30,
  copilotBasePath: "/api/copilotkit",
  maxBodyBytes: 1024 * 1024,
  heartbeatMs: 15_000,
  shutdownTimeoutMs: 10_000,
  detachedRunMs: 30_000,
} as const;
