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
import type { RequestHandler, Router } from "express";
import type { AgentStreamRunner } from "../runner/agent-stream-runner.js";
import { readerPressure, responsePressure } from "../runner/pressure.js";
import type { ServedAgent } from "./agent-table.js";
import { type Authorize, checkAccess, type ThreadAction } from "./authorize.js";
import { HttpError } from "./errors.js";
import type { Logger } from "./logging.js";
import { parseRunInput, unknownAgent } from "./validate.js";

/** What {@link createCopilotRoutes} needs. */
export interface CopilotRouteDeps {
  agents: ReadonlyMap<string, ServedAgent>;
  basePath: string;
  heartbeatMs: number;
  logger: Logger;
  runner: AgentStreamRunner;
  authorize: Authorize | undefined;
}

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
  const runtime = new CopilotRuntime({
    agents: agents as ConstructorParameters<typeof CopilotRuntime>[0]["agents"],
    runner: deps.runner,
    sseKeepAliveIntervalSeconds: deps.heartbeatMs <= 0 ? 0 : Math.max(1, Math.round(deps.heartbeatMs / 1000)),
  });
  const router = createCopilotExpressHandler({
    runtime,
    basePath: deps.basePath,
    cors: false,
    activateChannels: false,
  }) as unknown as Router;

  const guard: RequestHandler = (req, res, next) => {
    const match = /^\/agent\/([^/]+)\/(run|connect|stop)(?:\/([^/]+))?\/?$/.exec(req.path);
    if (!match || req.method !== "POST") return next();
    const agentId = decodeURIComponent(match[1] ?? "");
    if (!deps.agents.has(agentId)) return next(unknownAgent(agentId, [...deps.agents.keys()]));
    res.locals.agentId = agentId;
    const action = match[2] as "run" | "connect" | "stop";
    void (async () => {
      let threadId: string;
      if (action === "stop") threadId = decodeURIComponent(match[3] ?? "");
      else threadId = parseRunInput(req.body).threadId;
      const threadAction: ThreadAction = action;
      await checkAccess(deps.authorize, { request: req, agentId, threadId, action: threadAction });
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
