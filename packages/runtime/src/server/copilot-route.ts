/**
 * The CopilotKit runtime (v2, multi-route) mounted on Express at a base path (default
 * `/api/copilotkit`): `GET /info`, `POST /agent/:agentId/run`, `POST /agent/:agentId/connect`,
 * `POST /agent/:agentId/stop/:threadId`.
 *
 * Around CopilotKit's own handler, this adds what the server promises on every route: the JSON
 * error envelope (422 naming the field for a bad RunAgentInput, 404 listing the known agents),
 * `X-Accel-Buffering: no`, and stopping the agent when the client disconnects mid-run
 * (CopilotKit's runner would otherwise let the agent run on with nobody listening).
 *
 * @packageDocumentation
 */
import type { RunAgentInput } from "@ag-ui/core";
import { CopilotRuntime, InMemoryAgentRunner } from "@copilotkit/runtime/v2";
import { createCopilotExpressHandler } from "@copilotkit/runtime/v2/express";
import type { RequestHandler, Router } from "express";
import type { ServedAgent } from "./agent-table.js";
import type { Logger } from "./logging.js";
import { parseRunInput, unknownAgent } from "./validate.js";

/** What {@link createCopilotRoutes} needs. */
export interface CopilotRouteDeps {
  agents: ReadonlyMap<string, ServedAgent>;
  basePath: string;
  heartbeatMs: number;
  logger: Logger;
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
    runner: new InMemoryAgentRunner({ maxBytes: 64 * 1024 * 1024 }),
    sseKeepAliveIntervalSeconds: deps.heartbeatMs <= 0 ? 0 : Math.max(1, Math.round(deps.heartbeatMs / 1000)),
  });
  const router = createCopilotExpressHandler({
    runtime,
    basePath: deps.basePath,
    cors: false,
    activateChannels: false,
  }) as unknown as Router;

  const guard: RequestHandler = (req, res, next) => {
    const match = /^\/agent\/([^/]+)\/(run|connect|stop)(?:\/[^/]+)?\/?$/.exec(req.path);
    if (!match || req.method !== "POST") return next();
    const agentId = decodeURIComponent(match[1] ?? "");
    if (!deps.agents.has(agentId)) return next(unknownAgent(agentId, [...deps.agents.keys()]));
    res.locals.agentId = agentId;
    if (match[2] === "stop") return next();
    let input: RunAgentInput;
    try {
      input = parseRunInput(req.body);
    } catch (error) {
      return next(error);
    }
    res.setHeader("X-Accel-Buffering", "no");
    if (match[2] === "run") {
      res.once("close", () => {
        if (res.writableFinished) return;
        // The client went away mid-run: stop the agent (its generator's return() is called).
        void runtime.runner.stop({ threadId: input.threadId, runId: input.runId }).catch((error: unknown) => {
          deps.logger.warn("stop_failed", { threadId: input.threadId, message: String(error) });
        });
      });
    }
    next();
  };
  return { runtime, guard, handler: router as unknown as RequestHandler };
}
