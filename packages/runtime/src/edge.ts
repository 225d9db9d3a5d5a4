/**
 * `@agentstream/runtime/edge`: the plain AG-UI routes as a fetch handler that runs on an edge
 * runtime (Next.js `runtime = "edge"`, workers): `createEdgeHandler` serves `GET /healthz`,
 * `GET /api/agents`, `POST /api/agents/:agentId/run`, the thread routes (`events`, `stop`,
 * `answer`) and the seed EventSource route, with the memory runner (or one you pass), the same
 * errors, auth, `authorize` and CORS as `createAgentHandler`. Nothing on its path imports a
 * `node:` built-in but `node:async_hooks` (which edge runtimes provide).
 *
 * Not here: CopilotKit's route (CopilotKit's runtime v2 loads `node:crypto`, so it needs the
 * Node.js runtime: mount `createAgentHandler` there for it) and Prometheus metrics.
 *
 * @packageDocumentation
 */
import { type AgentHandler, type AgentHandlerOptions, buildAgentHandler } from "./handler/build-handler.js";

export { defineAgent } from "./agent/define.js";
export type { AgentHandler, AgentHandlerOptions, AgentInfo } from "./handler/build-handler.js";
export { MemoryRunner } from "./runner/memory-runner.js";

/**
 * Creates the edge handler: the plain routes (see the module documentation). Requests under the
 * CopilotKit base path get a 404 that says to use the Node.js runtime for it.
 *
 * @throws TypeError when `agents` is missing
 */
export function createEdgeHandler(
  options: Omit<AgentHandlerOptions, "copilotKitTelemetry" | "metrics">,
): AgentHandler {
  return buildAgentHandler(
    { ...options, metrics: false },
    {
      withoutCopilot:
        "The CopilotKit route is not served by the edge handler: CopilotKit's runtime needs Node.js (use createAgentHandler on the nodejs runtime)",
    },
  );
}
