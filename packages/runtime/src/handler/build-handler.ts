/**
 * The API as one fetch handler, `(Request) => Promise<Response>`, built from its parts (see
 * `create-handler.ts` for Node hosts, `edge.ts` for the edge): for
 * any host that speaks web requests (a Next.js route file, Hono, Bun, Deno, a service worker
 * test) and, through the Node adapter, for `node:http` and Express (`createAgentServer` is that
 * adapter plus the static demo and `listen`).
 *
 * Routes (same paths and answers as `createAgentServer`): `GET /healthz`, `GET /metrics`, and under
 * `/api`: `GET /agents`, the plain AG-UI routes (`POST /agents/:agentId/run`, the thread routes
 * `events`, `stop`, `answer`), seed 004's `GET /agents/:agentId/stream`, and CopilotKit v2 at
 * `copilotBasePath` (through CopilotKit's own fetch handler). Every error is the JSON envelope;
 * every API request passes the CORS step, the bearer token and the shutdown gate first.
 *
 * Creating a handler does no I/O and starts no timer (a host may evaluate it at build time).
 *
 * @packageDocumentation
 */
import { StreamRegistry } from "../agent/registry.js";
import type { AgentStreamRunner } from "../runner/agent-stream-runner.js";
import { MemoryRunner } from "../runner/memory-runner.js";
import { combineObservers, observeRunner } from "../runner/observe.js";
import { checkEventsPerSecond } from "../runner/output-rate.js";
import { seedStream } from "../seed/seed-route.js";
import { buildAgentTable, type ServedAgent } from "../server/agent-table.js";
import { type AgentServerOptions, checkThreadSecret, SERVER_DEFAULTS } from "../server/config.js";
import { bindConnection, openConnection } from "../server/connections.js";
import { HttpError } from "../server/errors.js";
import { createLogger, type Logger } from "../server/logging.js";
import type { createServerMetrics, ServerMetrics } from "../server/metrics.js";
import type { createRunLimiter } from "../server/run-limits.js";
import { createRunTable, type RunTable } from "../server/run-table.js";
import { type StreamEventListener, type StreamEventName, StreamEvents } from "../server/stream-events.js";
import { randomSecret, ThreadAccess } from "../server/thread-access.js";
import { tracingObserver } from "../server/tracing.js";
import { bearerAuth } from "./auth.js";
import type { HandlerContext, RouteDeps, RouteRequest } from "./context.js";
import type { createCopilotRoutes } from "./copilot-routes.js";
import { corsAllowlist } from "./cors.js";
import { dashboardAuth, dashboardPageResponse, runsEvents, runsSnapshot } from "./dashboard-routes.js";
import { decodeSegment, errorResponse, json, readJson, requireJson, toHttpError } from "./http.js";
import { plainRun, threadAnswer, threadEvents, threadStop } from "./plain-routes.js";

/** One entry of `GET /api/agents`. */
export interface AgentInfo {
  id: string;
  description: string;
  /** `generator` for agents made with defineAgent, `agui` for other AG-UI agents. */
  kind: "generator" | "agui";
  /** `stream`: the seed 004 route for EventSource (`GET …/stream?command=`). */
  routes: { copilotkit: string; plain: string; stream: string };
}

/** Options of {@link createAgentHandler}: those of `createAgentServer` but what only a listening server has. */
export type AgentHandlerOptions = Omit<
  AgentServerOptions,
  "port" | "host" | "staticDir" | "compression" | "shutdownTimeoutMs"
>;

/** The API as a fetch handler. */
export interface AgentHandler {
  /**
   * Answers one request. A plain function (no `this`): `export const GET = handler.fetch`
   * works. `context` is what an adapter knows of the connection (the peer's address for
   * `trustProxy`, the host's own request for `authorize`).
   */
  readonly fetch: (request: Request, context?: HandlerContext) => Promise<Response>;
  /** Where runs live (every route reads from it). */
  readonly runner: AgentStreamRunner;
  /** The served agents. */
  readonly agents: readonly AgentInfo[];
  /** Runs in flight. */
  readonly registry: StreamRegistry;
  /** The logger in use. */
  readonly logger: Logger;
  /** The metrics behind `GET /metrics` (undefined when metrics are off). */
  readonly metrics: ServerMetrics | undefined;
  /** The run table behind `GET /api/runs` and the dashboard (undefined when the dashboard is off). */
  readonly runs: RunTable | undefined;
  /** Listens to `stream.started`, `stream.completed`, `stream.failed`, `stream.interrupted`. Returns a function that removes the listener. */
  on<N extends StreamEventName>(name: N, listener: StreamEventListener<N>): () => void;
  /** Removes a listener added with {@link on}. */
  off<N extends StreamEventName>(name: N, listener: StreamEventListener<N>): void;
  /** From now on API requests get 503 `shutting_down` and `/healthz` says so (a graceful stop's first step). */
  beginShutdown(): void;
  /** True once {@link beginShutdown} or {@link close} was called. */
  readonly shuttingDown: boolean;
  /** Stops every run in flight and closes the runner when the handler made it. */
  close(reason?: string): Promise<void>;
}

type Route = (deps: RouteDeps, req: RouteRequest) => Promise<Response>;

/** The route label of a response (`plain`, `copilotkit`, `stream`), for the bytes a transport counts. */
const routeLabels = new WeakMap<Response, string>();

/** The label of the route that made `response` (undefined for responses outside the API's routes). */
export function routeOf(response: Response): string | undefined {
  return routeLabels.get(response);
}

/**
 * Runs `route` with its label and its connection on the request (`origin`: the routes hand it to
 * the runner, whose observers read it) and puts both on its response (the Node adapter counts
 * bytes by them).
 */
async function labelled(
  label: string,
  req: RouteRequest,
  route: (req: RouteRequest) => Promise<Response>,
): Promise<Response> {
  const connection = openConnection(req.request, label, req.context.remoteAddress ?? "");
  const response = await route({ ...req, origin: { route: label, connection } });
  routeLabels.set(response, label);
  bindConnection(response, connection);
  return response;
}

/** The routes under `/api/agents`, by method and shape; `label` names the route in metrics and events. */
const AGENT_ROUTES: { method: string; pattern: RegExp; keys: string[]; label: string; route: Route }[] = [
  {
    method: "POST",
    pattern: /^\/agents\/([^/]+)\/run\/?$/,
    keys: ["agentId"],
    label: "plain",
    route: plainRun,
  },
  {
    method: "GET",
    pattern: /^\/agents\/([^/]+)\/threads\/([^/]+)\/events\/?$/,
    keys: ["agentId", "threadId"],
    label: "plain",
    route: threadEvents,
  },
  {
    method: "POST",
    pattern: /^\/agents\/([^/]+)\/threads\/([^/]+)\/stop\/?$/,
    keys: ["agentId", "threadId"],
    label: "plain",
    route: threadStop,
  },
  {
    method: "POST",
    pattern: /^\/agents\/([^/]+)\/threads\/([^/]+)\/answer\/?$/,
    keys: ["agentId", "threadId"],
    label: "plain",
    route: threadAnswer,
  },
  {
    method: "GET",
    pattern: /^\/agents\/([^/]+)\/stream\/?$/,
    keys: ["agentId"],
    label: "stream",
    route: seedStream,
  },
];

/**
 * What a handler is built with beyond the plain routes: CopilotKit's route and Prometheus metrics
 * (both Node-only; an edge handler goes without them).
 */
export interface HandlerParts {
  readonly copilot?: typeof createCopilotRoutes;
  readonly metrics?: typeof createServerMetrics;
  /** The run limiter (rate-limiter-flexible; Node only: an edge handler has no limits). */
  readonly limits?: typeof createRunLimiter;
  /** Why the CopilotKit route is not served (its 404's message), when `copilot` is absent. */
  readonly withoutCopilot?: string;
}

/**
 * Builds the fetch handler from its parts (see `createAgentHandler`, `createEdgeHandler`).
 *
 * @throws TypeError when `agents` is missing
 */
export function buildAgentHandler(options: AgentHandlerOptions, parts: HandlerParts): AgentHandler {
  if (options?.agents === undefined || options.agents === null) {
    throw new TypeError(
      "createAgentServer: the `agents` option is required: pass the agents to serve, e.g. `createAgentServer({ agents: { echo } })` with agents made by defineAgent (or any AG-UI AbstractAgent). The embedded demo agents are in @agentstream/agents (`createEmbeddedAgents()`).",
    );
  }
  const logger = options.logger ?? createLogger({ level: options.logLevel ?? "info" });
  const heartbeatMs = options.heartbeatMs ?? SERVER_DEFAULTS.heartbeatMs;
  const maxBodyBytes = options.maxBodyBytes ?? SERVER_DEFAULTS.maxBodyBytes;
  const basePath = normaliseBase(options.copilotBasePath ?? SERVER_DEFAULTS.copilotBasePath);
  if (!basePath.startsWith("/api/")) throw new Error(`copilotBasePath must be under /api (got ${basePath})`);
  const registry = new StreamRegistry();
  const agents = buildAgentTable(options.agents, {
    paceMs: options.paceMs ?? SERVER_DEFAULTS.paceMs,
    registry,
    eventsPerSecond: checkEventsPerSecond(options.eventsPerSecond, "eventsPerSecond"),
  });
  const ownRunner = options.runner === undefined;
  const runner =
    options.runner ??
    new MemoryRunner({ detachedRunMs: options.detachedRunMs ?? SERVER_DEFAULTS.detachedRunMs });
  const events = new StreamEvents(logger);
  const metrics =
    options.metrics === false || !parts.metrics
      ? undefined
      : parts.metrics({
          retainedBytes: () => (runner instanceof MemoryRunner ? runner.retainedBytes : undefined),
        });
  // The dashboard is on where the metrics are, unless said otherwise (a page turns it on).
  const dashboard = options.dashboard ?? options.metrics !== false;
  const runTable = dashboard === false ? undefined : createRunTable();
  const dashboardPage = typeof dashboard === "object" ? dashboard : undefined;
  const unobserve = observeRunner(
    runner,
    combineObservers(events.observer(), metrics?.observer, runTable?.observer, tracingObserver(), {
      onError: (error, where) =>
        logger.error("observer_error", {
          where,
          message: error instanceof Error ? error.message : String(error),
        }),
    }),
  );
  const limiter = parts.limits?.(options.limits, options.trustProxy, (limit) =>
    metrics?.countRateLimited(limit),
  );
  if (options.limits && !parts.limits)
    logger.warn("limits_unsupported", { message: "run limits need the Node handler (createAgentHandler)" });
  const deps: RouteDeps = {
    agents,
    runner,
    heartbeatMs,
    logger,
    authorize: options.authorize,
    access: threadAccessOf(options, runner),
    maxBodyBytes,
    busy: options.busy ?? "reject",
    overloaded: overloadCheck(options.maxRuns, registry, () => metrics?.countRateLimited("instance")),
    admit: limiter && ((req) => limiter.admit(req.request, req.context.remoteAddress ?? "")),
  };
  const copilot = parts.copilot?.(deps, {
    basePath,
    copilotKitTelemetry: options.copilotKitTelemetry ?? false,
  });
  const cors = corsAllowlist(options.corsOrigins ?? [], options.trustProxy);
  const apiAuth = bearerAuth(options.authToken);
  const metricsAuth = bearerAuth(options.metricsToken ?? options.authToken);
  const runsAuth = dashboardAuth(options.metricsToken ?? options.authToken);
  const infos = [...agents.values()].map((served) => agentInfo(served, basePath));
  const started = Date.now();
  let shuttingDown = false;

  const healthz = () => {
    // A degraded runner (e.g. Redis away) keeps answering 200: the process is alive and recovers by itself.
    const health = runner.health();
    return json(
      {
        status: shuttingDown ? "shutting_down" : health.status,
        runner: health,
        activeStreams: registry.active,
        ...(options.maxRuns !== undefined
          ? { maxRuns: options.maxRuns, overloaded: registry.active >= options.maxRuns }
          : {}),
        totalStreams: registry.total,
        agents: agents.size,
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
      },
      shuttingDown ? 503 : 200,
      { "Cache-Control": "no-store" },
    );
  };

  /** The API below `/api`: `path` is what follows it. */
  const api = async (req: RouteRequest, path: string): Promise<Response> => {
    const method = req.request.method;
    if (method === "GET" && /^\/agents\/?$/.test(path)) return json({ agents: infos });
    if (path === basePath.slice(4) || path.startsWith(`${basePath.slice(4)}/`)) {
      if (!copilot)
        throw new HttpError(
          404,
          "not_found",
          parts.withoutCopilot ?? "The CopilotKit route is not served here",
        );
      return labelled("copilotkit", req, (r) => copilot.serve(r, path.slice(basePath.length - 4)));
    }
    for (const r of AGENT_ROUTES) {
      const match = r.pattern.exec(path);
      if (!match || r.method !== method) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((key, i) => {
        params[key] = decodeSegment(match[i + 1] ?? "");
      });
      return labelled(r.label, req, (labelledReq) => r.route(deps, { ...labelledReq, params }));
    }
    throw new HttpError(404, "not_found", `No route ${method} /api${path}`);
  };

  const handle = async (request: Request, context: HandlerContext, req: RouteRequest): Promise<Response> => {
    const path = req.url.pathname;
    if (path === "/healthz" && request.method === "GET") return healthz();
    if (path === "/metrics" && request.method === "GET" && metrics) {
      await metricsAuth(request);
      return new Response(await metrics.render(), {
        headers: { "Content-Type": metrics.registry.contentType, "Cache-Control": "no-store" },
      });
    }
    if (runTable && /^\/dashboard\/?$/.test(path)) {
      if (request.method !== "GET" && request.method !== "HEAD")
        throw new HttpError(405, "method_not_allowed", `${request.method} /dashboard: only GET`);
      await runsAuth(request);
      return dashboardPageResponse(dashboardPage, request);
    }
    if (path !== "/api" && !path.startsWith("/api/"))
      throw new HttpError(404, "not_found", `No route ${request.method} ${path}`);
    const decision = cors(request, context.remoteAddress ?? "");
    if (decision.preflight) return decision.preflight;
    const withCors = (response: Response) => {
      for (const [name, value] of Object.entries(decision.headers)) response.headers.set(name, value);
      return response;
    };
    try {
      const runsRoute = runTable && /^\/api\/runs(\/events)?\/?$/.exec(path);
      if (runsRoute) {
        // Protected like /metrics (its token, not the API's), for operators.
        await runsAuth(request);
        if (request.method !== "GET")
          throw new HttpError(405, "method_not_allowed", `${request.method} ${path}: only GET`);
        return withCors(
          runsRoute[1] ? runsEvents(runTable, request, heartbeatMs) : runsSnapshot(runTable, req.url),
        );
      }
      const replay = runTable && /^\/api\/runs\/agents\/([^/]+)\/threads\/([^/]+)\/events\/?$/.exec(path);
      if (replay) {
        // The operators' read-only copy of a thread's events route (the dashboard's replay): every
        // thread, protected like /metrics.
        await runsAuth(request);
        if (request.method !== "GET")
          throw new HttpError(405, "method_not_allowed", `${request.method} ${path}: only GET`);
        const params = { agentId: decodeSegment(replay[1] ?? ""), threadId: decodeSegment(replay[2] ?? "") };
        const operator = { ...deps, authorize: undefined, access: undefined };
        return withCors(await labelled("plain", req, (r) => threadEvents(operator, { ...r, params })));
      }
      await apiAuth(request);
      if (shuttingDown) throw new HttpError(503, "shutting_down", "The server is shutting down");
      requireJson(request);
      return withCors(await api({ ...req, untrustedOrigin: decision.untrustedOrigin }, path.slice(4)));
    } catch (error) {
      throw Object.assign(toHttpError(error), { corsHeaders: decision.headers, cause: error });
    }
  };

  const fetch = async (request: Request, context: HandlerContext = {}): Promise<Response> => {
    const t0 = performance.now();
    const incoming = request.headers.get("x-request-id");
    const reqId = incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : crypto.randomUUID();
    const url = new URL(request.url);
    let bodyRead: Promise<unknown> | undefined;
    const req: RouteRequest = {
      request,
      url,
      params: {},
      context,
      untrustedOrigin: false,
      body: () => {
        bodyRead ??= readJson(request, maxBodyBytes);
        return bodyRead;
      },
      log: {},
    };
    let response: Response;
    try {
      response = await handle(request, context, req);
    } catch (thrown) {
      const error = toHttpError(thrown);
      const cause = (thrown as { cause?: unknown }).cause ?? thrown;
      // Refusing a run because the instance is full is the server working as configured: a warning.
      const unexpected = error.status >= 500 && error.code !== "overloaded";
      const log = unexpected ? logger.error : logger.warn;
      log.call(logger, "request_error", {
        reqId,
        method: request.method,
        path: url.pathname,
        status: error.status,
        code: error.code,
        message: unexpected && cause instanceof Error ? cause.message : error.message,
        ...(unexpected && cause instanceof Error ? { stack: cause.stack } : {}),
      });
      response = errorResponse(error);
      const corsHeaders = (thrown as { corsHeaders?: Record<string, string> }).corsHeaders ?? {};
      for (const [name, value] of Object.entries(corsHeaders)) response.headers.set(name, value);
    }
    response.headers.set("X-Request-Id", reqId);
    const line = () =>
      logger.info("request", {
        reqId,
        method: request.method,
        path: url.pathname,
        status: response.status,
        durationMs: Math.round(performance.now() - t0),
        ...(req.log.agentId ? { agent: req.log.agentId } : {}),
        ...(req.log.events !== undefined ? { events: req.log.events } : {}),
        ...(req.log.aborted ? { aborted: true } : {}),
      });
    if (req.log.end) void req.log.end.then(line);
    else line();
    return response;
  };

  return {
    fetch,
    runner,
    agents: infos,
    registry,
    logger,
    metrics,
    runs: runTable,
    on: (name, listener) => events.on(name, listener),
    off: (name, listener) => events.off(name, listener),
    beginShutdown() {
      shuttingDown = true;
    },
    get shuttingDown() {
      return shuttingDown;
    },
    async close(reason = "server closed") {
      shuttingDown = true;
      registry.abortAll(reason);
      if (ownRunner) await runner.close();
      else unobserve();
    },
  };
}

/** The admission check of `maxRuns` (counting each refusal), or none without a limit. */
function overloadCheck(
  maxRuns: number | undefined,
  registry: StreamRegistry,
  refused: () => void,
): (() => boolean) | undefined {
  if (maxRuns === undefined) return undefined;
  if (!Number.isInteger(maxRuns) || maxRuns < 1)
    throw new TypeError(`maxRuns must be a positive integer (got ${JSON.stringify(maxRuns)})`);
  return () => {
    const over = registry.active >= maxRuns;
    if (over) refused();
    return over;
  };
}

/**
 * The thread capabilities of a handler: none when `authorize` decides or access is open; signed
 * with the configured secret, else the runner's shared one, else a random one of this process.
 */
function threadAccessOf(options: AgentHandlerOptions, runner: AgentStreamRunner): ThreadAccess | undefined {
  if (options.authorize || options.threadAccess === "open") return undefined;
  const configured = checkThreadSecret(options.threadSecret);
  let own: string | undefined;
  return new ThreadAccess(async () => {
    if (configured !== undefined) return configured;
    const shared = await runner.sharedSecret();
    own ??= randomSecret();
    return shared ?? own;
  });
}

function agentInfo(served: ServedAgent, basePath: string): AgentInfo {
  return {
    id: served.id,
    description: served.description,
    kind: served.definition ? "generator" : "agui",
    routes: {
      copilotkit: `${basePath}/agent/${encodeURIComponent(served.id)}/run`,
      plain: `/api/agents/${encodeURIComponent(served.id)}/run`,
      stream: `/api/agents/${encodeURIComponent(served.id)}/stream`,
    },
  };
}

function normaliseBase(path: string): string {
  const p = path.startsWith("/") ? path : `/${path}`;
  return p.length > 1 && p.endsWith("/") ? p.slice(0, -1) : p;
}
