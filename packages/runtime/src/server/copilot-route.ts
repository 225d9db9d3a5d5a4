/**
 * The CopilotKit runtime (v2, multi-route) mounted on Express at a base path (default
 * `/api/copilotkit`): `GET /info`, `POST /agent/:agentId/run`, `POST /agent/:agentId/connect`,
 * `POST /agent/:agentId/stop/:threadId`.
 *
 * Around CopilotKit's own handler, this adds what the server promises on every route: the JSON
 * error envelope (422 naming the field for a bad RunAgentInput, 404 listing the known agents,
 * 409 when the thread already runs), `X-Accel-Buffering: no`, and the `authorize` check. Runs
 * live in the AgentStream runner, shared with the plain routes: a client that disconnects only
 * detaches from its run, and a reloaded page reattaches through `/connect`.
 *
 * @packageDocumentation
 */
import { CopilotRuntime } from "@copilotkit/runtime/v2";
import { createCopilotExpressHandler } from "@copilotkit/runtime/v2/express";
import type { Request, RequestHandler, Response, Router } from "express";
import type { AgentStreamRunner } from "../runner/agent-stream-runner.js";
import { readerPressure, responsePressure } from "../runner/pressure.js";
import type { ServedAgent } from "./agent-table.js";
import { type Authorize, checkAccess } from "./authorize.js";
import { HttpError } from "./errors.js";
import type { Logger } from "./logging.js";
import { readOptions, startRun } from "./plain-route.js";
import { streamRead } from "./runner-stream.js";
import { parseRunInput, unknownAgent } from "./validate.js";

/** What {@link createCopilotRoutes} needs. */
export interface CopilotRouteDeps {
  agents: ReadonlyMap<string, ServedAgent>;
  basePath: string;
  heartbeatMs: number;
  logger: Logger;
  runner: AgentStreamRunner;
  authorize: Authorize | undefined;
  /** See `AgentServerOptions.copilotKitTelemetry`. */
  copilotKitTelemetry: boolean;
}

/** A telemetry scope that sends nothing (CopilotKit's runtime accepts one in place of its own). */
const NO_TELEMETRY = { capture: async () => {} };

/** The CopilotKit runtime and the Express middleware around it. */
export interface CopilotRoutes {
  runtime: InstanceType<typeof CopilotRuntime>;
  /** Checks run/connect requests before CopilotKit sees them (mount after the JSON body parser). */
  guard: RequestHandler;
  /** CopilotKit's Express router (mount at the app root: it matches the full base path). */
  handler: RequestHandler;
}

/** Builds the CopilotKit runtime for the served agents. */
export function createCopilotRoutes(deps: CopilotRouteDeps): CopilotRoutes {
  const agents = Object.fromEntries([...deps.agents].map(([id, served]) => [id, served.agent]));
  // A library must not switch a third party's telemetry on for its users: unless asked, the
  // runtime gets a scope that sends nothing, and is built as if telemetry were disabled (so it
  // prints no "telemetry enabled" notice).
  const build = () =>
    new CopilotRuntime({
      agents: agents as ConstructorParameters<typeof CopilotRuntime>[0]["agents"],
      runner: deps.runner,
      sseKeepAliveIntervalSeconds:
        deps.heartbeatMs <= 0 ? 0 : Math.max(1, Math.round(deps.heartbeatMs / 1000)),
      ...(deps.copilotKitTelemetry ? {} : { ɵtelemetry: NO_TELEMETRY }),
    });
  const runtime = deps.copilotKitTelemetry
    ? build()
    : withEnv("COPILOTKIT_TELEMETRY_DISABLED", "true", build);
  const router = createCopilotExpressHandler({
    runtime,
    basePath: deps.basePath,
    cors: false,
    activateChannels: false,
  }) as unknown as Router;

  const plain = {
    runner: deps.runner,
    authorize: deps.authorize,
    heartbeatMs: deps.heartbeatMs,
    logger: deps.logger,
  };

  /**
   * Generator agents' runs and connects are answered here, from the runner, on CopilotKit's
   * routes and wire (AG-UI events over SSE, plus `id:` lines): the same writer as the plain
   * route (batched writes, drain backpressure), instead of CopilotKit's per-event web-stream path
   * (3-4x the server CPU at 8,000+ events, see BENCHMARKS.md). Everything else (`/info`, `/stop`,
   * foreign AG-UI agents) goes to CopilotKit's handler, which uses the same runner.
   */
  const serveFromRunner = async (
    req: Request,
    res: Response,
    served: ServedAgent,
    action: "run" | "connect",
  ): Promise<void> => {
    const input = parseRunInput(req.body);
    const controller = new AbortController();
    if (action === "run") {
      const firstId = await startRun(plain, req, served, input);
      const read = deps.runner.read({
        threadId: input.threadId,
        after: firstId - 1,
        signal: controller.signal,
      });
      res.locals.events = await streamRead(res, read, readOptions(plain, controller));
      return;
    }
    await checkAccess(deps.authorize, { request: req, agentId: served.id, threadId: input.threadId, action });
    const read = deps.runner.connectRead(input.threadId, controller.signal);
    res.locals.events = await streamRead(res, read, readOptions(plain, controller));
  };

  const guard: RequestHandler = (req, res, next) => {
    const match = /^\/agent\/([^/]+)\/(run|connect|stop)(?:\/([^/]+))?\/?$/.exec(req.path);
    if (!match || req.method !== "POST") return next();
    const agentId = decodeURIComponent(match[1] ?? "");
    const served = deps.agents.get(agentId);
    if (!served) return next(unknownAgent(agentId, [...deps.agents.keys()]));
    res.locals.agentId = agentId;
    const action = match[2] as "run" | "connect" | "stop";
    if (served.definition && action !== "stop") {
      serveFromRunner(req, res, served, action).catch(next);
      return;
    }
    void (async () => {
      const threadId =
        action === "stop" ? decodeURIComponent(match[3] ?? "") : parseRunInput(req.body).threadId;
      await checkAccess(deps.authorize, { request: req, agentId, threadId, action });
      if (action === "run" && (await deps.runner.isRunning({ threadId })))
        throw new HttpError(409, "thread_busy", `Thread "${threadId}" already has a run in progress`);
      res.setHeader("X-Accel-Buffering", "no");
    })().then(
      // The runner reads the socket's pressure from the async context of this request.
      () => readerPressure.run(responsePressure(res), () => next()),
      next,
    );
  };
  return { runtime, guard, handler: router as unknown as RequestHandler };
}

/**
 * Runs `fn` (synchronous) with `process.env[name]` set to `value`, then puts the variable back as
 * it was: CopilotKit reads its telemetry switch from the environment only, and the runtime does
 * not change its users' environment.
 */
function withEnv<T>(name: string, value: string, fn: () => T): T {
  const env = process.env;
  const had = Object.hasOwn(env, name);
  const before = env[name];
  env[name] = value;
  try {
    return fn();
  } finally {
    if (had) env[name] = before;
    else delete env[name];
  }
}
