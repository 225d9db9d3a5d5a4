/**
 * `createAgentServer`: Express 5 around the CopilotKit runtime, the plain AG-UI endpoint, the
 * agent list, health, and the built demo app.
 *
 * @packageDocumentation
 */
import { existsSync, statSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import express, { type Express, type RequestHandler } from "express";
import type { Registry } from "prom-client";
import { StreamRegistry } from "../agent/registry.js";
import type { AgentStreamRunner } from "../runner/agent-stream-runner.js";
import { MemoryRunner } from "../runner/memory-runner.js";
import { combineObservers, observeRunner, streamRoute } from "../runner/observe.js";
import { buildAgentTable, type ServedAgent } from "./agent-table.js";
import { bearerAuth } from "./auth.js";
import { streamCompression } from "./compression.js";
import { type AgentServerOptions, SERVER_DEFAULTS } from "./config.js";
import { createCopilotRoutes } from "./copilot-route.js";
import { corsAllowlist } from "./cors.js";
import { errorHandler, HttpError } from "./errors.js";
import { createLogger, type Logger, requestLogger } from "./logging.js";
import { createServerMetrics, metricsHandler } from "./metrics.js";
import {
  plainRunHandler,
  threadAnswerHandler,
  threadEventsHandler,
  threadStopHandler,
} from "./plain-route.js";
import { seedStreamHandler } from "./seed-route.js";
import { type StreamEventListener, type StreamEventName, StreamEvents } from "./stream-events.js";
import { requireJson } from "./validate.js";

/** One entry of `GET /api/agents`. */
export interface AgentInfo {
  id: string;
  description: string;
  /** `generator` for agents made with defineAgent, `agui` for other AG-UI agents. */
  kind: "generator" | "agui";
  /** `stream`: the seed 004 route for EventSource (`GET …/stream?command=`). */
  routes: { copilotkit: string; plain: string; stream: string };
}

/** A running (or ready to run) agent server. */
export interface AgentServer {
  /** The Express app (mount it elsewhere, or call {@link listen}). */
  readonly app: Express;
  /** Runs in flight. */
  readonly registry: StreamRegistry;
  /** Where runs live (both routes read from it). */
  readonly runner: AgentStreamRunner;
  /** The served agents. */
  readonly agents: readonly AgentInfo[];
  /** The logger in use. */
  readonly logger: Logger;
  /** The Prometheus registry behind `GET /metrics` (undefined when metrics are off). */
  readonly metrics: Registry | undefined;
  /**
   * Listens to `stream.started`, `stream.completed`, `stream.failed`, `stream.interrupted`
   * (agent, thread, run, route, duration, chunks, tokens). A listener that throws is logged and
   * never breaks a stream. Returns a function that removes the listener.
   */
  on<N extends StreamEventName>(name: N, listener: StreamEventListener<N>): () => void;
  /** Removes a listener added with {@link on}. */
  off<N extends StreamEventName>(name: N, listener: StreamEventListener<N>): void;
  /** The HTTP server once {@link listen} resolved. */
  readonly httpServer: Server | undefined;
  /** `http://host:port` once listening. */
  readonly url: string | undefined;
  /** Starts listening (port 0 picks a free one); resolves with the URL. */
  listen(port?: number, host?: string): Promise<string>;
  /**
   * Graceful stop: stops accepting connections, lets running streams finish for up to
   * `timeoutMs` (default `shutdownTimeoutMs`), ends the rest (as interrupted), then closes.
   */
  shutdown(timeoutMs?: number): Promise<void>;
  /** Immediate stop: aborts every stream and closes every connection. */
  close(): Promise<void>;
}

/**
 * Creates the agent server.
 *
 * Routes: CopilotKit v2 at `/api/copilotkit` (`/info`, `/agent/:agentId/run`, `/connect`,
 * `/stop/:threadId`); `POST /api/agents/:agentId/run` (plain AG-UI over SSE); the thread routes;
 * `GET /api/agents/:agentId/stream` (seed 004's named events, for EventSource); `GET /api/agents`;
 * `GET /healthz`; and the files of `staticDir` at `/` when it is set (nothing at `/` otherwise:
 * a JSON 404 like any unknown path).
 *
 * CopilotKit's telemetry is off unless `copilotKitTelemetry: true`. The runtime never changes
 * `process.env`.
 *
 * @throws TypeError when `agents` is missing
 */
export function createAgentServer(options: AgentServerOptions): AgentServer {
  if (options?.agents === undefined || options.agents === null) {
    throw new TypeError(
      "createAgentServer: the `agents` option is required: pass the agents to serve, e.g. `createAgentServer({ agents: { echo } })` with agents made by defineAgent (or any AG-UI AbstractAgent). The embedded demo agents are in @agentstream/agents (`createEmbeddedAgents()`).",
    );
  }
  const logger = options.logger ?? createLogger({ level: options.logLevel ?? "info" });
  const paceMs = options.paceMs ?? SERVER_DEFAULTS.paceMs;
  const heartbeatMs = options.heartbeatMs ?? SERVER_DEFAULTS.heartbeatMs;
  const maxBodyBytes = options.maxBodyBytes ?? SERVER_DEFAULTS.maxBodyBytes;
  const basePath = normaliseBase(options.copilotBasePath ?? SERVER_DEFAULTS.copilotBasePath);
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? SERVER_DEFAULTS.shutdownTimeoutMs;
  const registry = new StreamRegistry();
  const agents = buildAgentTable(options.agents, {
    paceMs,
    registry,
  });
  const runner =
    options.runner ??
    new MemoryRunner({ detachedRunMs: options.detachedRunMs ?? SERVER_DEFAULTS.detachedRunMs });
  const authorize = options.authorize;
  const events = new StreamEvents(logger);
  const metrics =
    options.metrics === false
      ? undefined
      : createServerMetrics({
          retainedBytes: () => (runner instanceof MemoryRunner ? runner.retainedBytes : undefined),
        });
  const unobserve = observeRunner(
    runner,
    combineObservers(events.observer(), metrics?.observer, {
      onError: (error, where) =>
        logger.error("observer_error", {
          where,
          message: error instanceof Error ? error.message : String(error),
        }),
    }),
  );
  const compress = options.compression === false ? [] : [streamCompression()];
  /** Labels a streaming route (metrics, events), counts its bytes, compresses it. */
  const streaming = (route: string): RequestHandler[] => [
    (_req, _res, next) => streamRoute.run(route, () => next()),
    ...(metrics ? [metrics.countBytes(route)] : []),
    ...compress,
  ];
  const started = Date.now();
  let shuttingDown = false;

  const app = express();
  app.disable("x-powered-by");
  // Also read by the same-origin check (cors.ts): forwarded headers count only from trusted peers.
  app.set("trust proxy", options.trustProxy ?? false);
  app.set("etag", false);
  app.use(requestLogger(logger));

  app.get("/healthz", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    // A degraded runner (e.g. Redis away) keeps answering 200: the process is alive and recovers by itself.
    const runnerHealth = runner.health();
    res.status(shuttingDown ? 503 : 200).json({
      status: shuttingDown ? "shutting_down" : runnerHealth.status,
      runner: runnerHealth,
      activeStreams: registry.active,
      totalStreams: registry.total,
      agents: agents.size,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
    });
  });

  if (metrics)
    app.get("/metrics", bearerAuth(options.metricsToken ?? options.authToken), metricsHandler(metrics));

  const api = express.Router();
  api.use(corsAllowlist(options.corsOrigins ?? []));
  api.use(bearerAuth(options.authToken));
  api.use((_req, res, next) => {
    if (!shuttingDown) return next();
    res.setHeader("Connection", "close");
    next(new HttpError(503, "shutting_down", "The server is shutting down"));
  });
  api.use(requireJson());
  api.use(
    express.json({ limit: maxBodyBytes, strict: true, type: ["application/json", "application/*+json"] }),
  );

  const infos = [...agents.values()].map((served) => agentInfo(served, basePath));
  api.get("/agents", (_req, res) => {
    res.json({ agents: infos });
  });
  const plain = { agents, runner, heartbeatMs, logger, authorize };
  api.post("/agents/:agentId/run", ...streaming("plain"), plainRunHandler(plain));
  api.get("/agents/:agentId/threads/:threadId/events", ...streaming("plain"), threadEventsHandler(plain));
  api.post("/agents/:agentId/threads/:threadId/stop", threadStopHandler(plain));
  api.post("/agents/:agentId/threads/:threadId/answer", threadAnswerHandler(plain));
  api.get(
    "/agents/:agentId/stream",
    ...streaming("stream"),
    seedStreamHandler({ ...plain, maxCommandBytes: maxBodyBytes }),
  );

  const copilot = createCopilotRoutes({
    agents,
    basePath,
    heartbeatMs,
    logger,
    runner,
    authorize,
    copilotKitTelemetry: options.copilotKitTelemetry ?? false,
  });
  const apiPrefix = "/api";
  if (!basePath.startsWith(`${apiPrefix}/`))
    throw new Error(`copilotBasePath must be under /api (got ${basePath})`);
  // The answer to a question, next to CopilotKit's routes: the chat's AskCard posts here.
  api.post(`${basePath.slice(apiPrefix.length)}/agent/:agentId/answer/:threadId`, threadAnswerHandler(plain));
  api.use(basePath.slice(apiPrefix.length), ...streaming("copilotkit"), copilot.guard);
  app.use(apiPrefix, api);
  app.use(copilot.handler);
  app.use(apiPrefix, (req, _res, next) => {
    next(new HttpError(404, "not_found", `No route ${req.method} ${req.originalUrl.split("?")[0]}`));
  });

  const staticDir = resolveStaticDir(options.staticDir);
  if (staticDir) {
    app.use(
      express.static(staticDir, {
        index: ["index.html"],
        fallthrough: true,
        setHeaders(res, path) {
          // index.html must be revalidated (it names the current bundles); hashed bundles never change.
          if (path.endsWith(".html")) res.setHeader("Cache-Control", "no-cache");
          else if (/[\\/]assets[\\/]/.test(path))
            res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
          else res.setHeader("Cache-Control", "public, max-age=3600");
        },
      }),
    );
    app.get("/{*path}", (req, res, next) => {
      if (!req.accepts("html")) return next();
      res.setHeader("Cache-Control", "no-cache");
      res.sendFile(join(staticDir, "index.html"));
    });
  }
  app.use((req, _res, next) => next(new HttpError(404, "not_found", `No route ${req.method} ${req.path}`)));
  app.use(errorHandler(logger, maxBodyBytes));

  let httpServer: Server | undefined;
  let url: string | undefined;

  const server: AgentServer = {
    app,
    registry,
    runner,
    agents: infos,
    logger,
    metrics: metrics?.registry,
    on: (name, listener) => events.on(name, listener),
    off: (name, listener) => events.off(name, listener),
    get httpServer() {
      return httpServer;
    },
    get url() {
      return url;
    },
    listen(port = options.port ?? SERVER_DEFAULTS.port, host = options.host ?? SERVER_DEFAULTS.host) {
      return new Promise((resolvePromise, reject) => {
        const s = app.listen(port, host, (error?: Error) => {
          if (error) return reject(error);
          const address = s.address() as AddressInfo;
          const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
          url = `http://${shownHost}:${address.port}`;
          resolvePromise(url);
        });
        s.once("error", reject);
        s.keepAliveTimeout = 5_000;
        s.headersTimeout = 10_000;
        s.requestTimeout = 0; // streams may run long; heartbeats keep them alive
        httpServer = s;
      });
    },
    async shutdown(timeoutMs = shutdownTimeoutMs) {
      if (shuttingDown) return;
      shuttingDown = true;
      const s = httpServer;
      const closed = s ? new Promise<void>((r) => s.close(() => r())) : Promise.resolve();
      s?.closeIdleConnections();
      logger.info("shutdown", { activeStreams: registry.active, timeoutMs });
      const drained = await registry.idle(timeoutMs);
      if (!drained) {
        logger.warn("shutdown_abort_streams", { activeStreams: registry.active });
        registry.abortAll("server shutting down");
        await registry.idle(1_000);
      }
      // Let the last frames flush, then drop connections that are still open.
      await new Promise((r) => setTimeout(r, 100));
      s?.closeAllConnections();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
      if (!options.runner) await runner.close();
      else unobserve();
      logger.info("shutdown_complete", {});
    },
    async close() {
      shuttingDown = true;
      registry.abortAll("server closed");
      if (!options.runner) await runner.close();
      else unobserve();
      const s = httpServer;
      if (!s) return;
      const closed = new Promise<void>((r) => s.close(() => r()));
      s.closeAllConnections();
      await closed;
    },
  };
  return server;
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

function resolveStaticDir(dir: string | null | undefined): string | null {
  if (!dir) return null;
  const full = resolve(dir);
  return existsSync(join(full, "index.html")) && statSync(full).isDirectory() ? full : null;
}
