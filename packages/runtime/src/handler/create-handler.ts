/**
 * `createAgentHandler`: the whole API as one fetch handler, with CopilotKit's route and
 * Prometheus metrics and run limits (a Node.js host: a Next.js route on the `nodejs` runtime, Hono on Node,
 * `toNodeListener`, Express).
 *
 * @packageDocumentation
 */
import { createServerMetrics } from "../server/metrics.js";
import { createRunLimiter } from "../server/run-limits.js";
import { type AgentHandler, type AgentHandlerOptions, buildAgentHandler } from "./build-handler.js";
import { createCopilotRoutes } from "./copilot-routes.js";

export { type AgentHandler, type AgentHandlerOptions, type AgentInfo, routeOf } from "./build-handler.js";

/**
 * Creates the fetch handler: every route `createAgentServer` serves.
 *
 * @throws TypeError when `agents` is missing
 */
export function createAgentHandler(options: AgentHandlerOptions): AgentHandler {
  return buildAgentHandler(options, {
    copilot: createCopilotRoutes,
    metrics: createServerMetrics,
    limits: createRunLimiter,
  });
}
