/**
 * `createAgentServer`: the Express adapter of the fetch handler. An Express app that hands `/api`,
 * `/healthz` and `/metrics` to {@link createAgentHandler} (through the Node adapter: compressed,
 * backpressured event streams), serves a static app (`staticDir`, e.g. the built demo) with an SPA
 * fallback, and listens, with a graceful shutdown.
 *
 * @packageDocumentation
 */
import { existsSync, statSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import express, { type Express } from "express";
import type { Registry } from "prom-client";
import type { StreamRegistry } from "../agent/registry.js";
import { type AgentHandler, type AgentInfo, createAgentHandler } from "../handler/create-handler.js";
import type { AgentStreamRunner } from "../runner/agent-stream-runner.js";
import { type AgentServerOptions, SERVER_DEFAULTS } from "../server/config.js";
import type { Logger } from "../server/logging.js";
import type { StreamEventListener, StreamEventName } from "../server/stream-events.js";
import { answerClientErrors } from "./client-errors.js";
import { toNodeListener } from "./node-listener.js";

export type { AgentInfo } from "../handler/create-handler.js";

/** A running (or ready to run) agent server. */
export interface AgentServer {
  /** The Express app (mount it elsewhere, or call {@link listen}). */
  readonly app: Express;
  /** The fetch handler the app hands the API to. */
  readonly handler: AgentHandler;
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
 * Creates the agent server: the fetch handler's routes (CopilotKit v2 at `/api/copilotkit`, the
 * plain AG-UI routes, the thread routes, seed 004's EventSource route, `GET /api/agents`,
 * `GET /healthz`, `GET /metrics`) on Express, and the files of `staticDir` at `/` when it is set
 * (nothing at `/` otherwise: a JSON 404 like any unknown path).
 *
 * CopilotKit's telemetry is off unless `copilotKitTelemetry: true`. The runtime never changes
 * `process.env`.
 *
 * @throws TypeError when `agents` is missing
 */
export function createAgentServer(options: AgentServerOptions): AgentServer {
  const handler = createAgentHandler(options);
  const { registry, runner, logger } = handler;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? SERVER_DEFAULTS.shutdownTimeoutMs;
  const listener = toNodeListener(handler, { compression: options.compression !== false });

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use((req, res, next) => {
    const path = req.path;
    if (
      path === "/healthz" ||
      path === "/metrics" ||
      path === "/dashboard" ||
      path === "/dashboard/" ||
      path === "/api" ||
      path.startsWith("/api/")
    )
      return listener(req, res);
    next();
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
  // Everything else: the handler's JSON 404.
  app.use((req, res) => listener(req, res));

  let httpServer: Server | undefined;
  let url: string | undefined;

  const server: AgentServer = {
    app,
    handler,
    registry,
    runner,
    agents: handler.agents,
    logger,
    metrics: handler.metrics?.registry,
    on: (name, listener) => handler.on(name, listener),
    off: (name, listener) => handler.off(name, listener),
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
        answerClientErrors(s);
        httpServer = s;
      });
    },
    async shutdown(timeoutMs = shutdownTimeoutMs) {
      if (handler.shuttingDown) return;
      handler.beginShutdown();
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
      await handler.close("server shutting down");
      logger.info("shutdown_complete", {});
    },
    async close() {
      await handler.close("server closed");
      const s = httpServer;
      if (!s) return;
      const closed = new Promise<void>((r) => s.close(() => r()));
      s.closeAllConnections();
      await closed;
    },
  };
  return server;
}

function resolveStaticDir(dir: string | null | undefined): string | null {
  if (!dir) return null;
  const full = resolve(dir);
  return existsSync(join(full, "index.html")) && statSync(full).isDirectory() ? full : null;
}
