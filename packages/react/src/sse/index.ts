/**
 * `@agentstream/react/sse`: the kit's transport for hosts without CopilotKit. `useAgentStream`
 * POSTs a RunAgentInput to AgentStream's plain AG-UI endpoint (`POST /api/agents/:agentId/run`),
 * parses the SSE response incrementally and folds it into a RunStore that the components render.
 *
 * It is a subpath of its own, like `/copilot` (the CopilotKit transport), so that the main entry
 * (the components) carries no transport code: an app pays only for the transport it uses.
 *
 * @packageDocumentation
 */
export {
  type AgentStream,
  type AgentStreamInput,
  type AgentStreamMessage,
  type AgentStreamStatus,
  toRunAgentInput,
  type UseAgentStreamOptions,
  useAgentStream,
} from "./use-agent-stream.js";
