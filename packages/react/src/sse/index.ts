/**
 * `@agentstream/react/sse`: the kit's transport for hosts without CopilotKit. `useAgentStream`
 * runs an agent over AgentStream's plain AG-UI routes with core's run client (`POST
 * /api/agents/:agentId/run`, resumed with Last-Event-ID when the connection drops) and folds the
 * events into a RunStore that the components render.
 *
 * It is a subpath of its own, like `/copilot` (the CopilotKit transport), so that the main entry
 * (the components) carries no transport code: an app pays only for the transport it uses.
 *
 * @packageDocumentation
 */
export type { AgentRunControls, AgentRunInput, AgentRunStatus } from "../hooks/types.js";
export {
  type AgentStream,
  type AgentStreamInput,
  type AgentStreamMessage,
  type AgentStreamStatus,
  type SeedAgentStream,
  toRunAgentInput,
  type UseAgentStreamOptions,
  useAgentStream,
} from "./use-agent-stream.js";
