"use client";
/**
 * `@agentstream/react/copilot`: AgentStream inside CopilotKit (v2, `@copilotkit/react-core/v2`,
 * a peer dependency).
 *
 * - {@link useStreamingCopilotAction} / {@link useCopilotAction}: frontend actions whose handler
 *   is an `async function*`; every yield shows in the chat, the return value is the tool result.
 * - {@link useAgentRun}: the live run of a CopilotKit agent as a run store, for any component.
 * - {@link agentStreamActivityRenderers} / {@link AgentStreamProvider}: server-streamed progress
 *   and status rendered in `<CopilotChat>` through CopilotKit's `renderActivityMessages`.
 *
 * @packageDocumentation
 */
export {
  type AskActivity,
  AskActivityView,
  agentStreamActivityRenderers,
  askActivitySchema,
  type ProgressActivity,
  ProgressActivityView,
  progressActivitySchema,
  type StatusActivity,
  StatusActivityView,
  statusActivitySchema,
} from "./activity-renderers.js";
export { AgentStreamProvider, type AgentStreamProviderProps } from "./agent-stream-provider.js";
export { type HandedOverEvidence, handedOverStatus, isInterruptedResult } from "./call-outcome.js";
export { isAsyncGeneratorFunction } from "./is-async-generator-function.js";
export {
  type MappedParameterTypes,
  type Parameter,
  type ParameterType,
  parametersToZod,
  type StandardSchemaLike,
} from "./parameters.js";
export { ProgressPanel, type ProgressPanelProps } from "./progress-panel.js";
export {
  type ActionYield,
  type AnswerSource,
  type AskRequest,
  type AskYield,
  ask,
  INTERRUPTED_RESULT,
  runToolHandler,
  type StreamingActionContext,
  type StreamingActionHandler,
} from "./run-tool-handler.js";
export { type CopilotToolStatus, ToolRunCard, type ToolRunCardProps } from "./tool-run-card.js";
export {
  createToolCallRuns,
  type ToolCallRuns,
  ToolCallRunsContext,
  ToolCallRunsProvider,
  useToolCallRuns,
} from "./tool-runs.js";
export { type AgentRun, useAgentRun } from "./use-agent-run.js";
export { type ChatAgentLike, useChatRunStatus } from "./use-chat-run-status.js";
export {
  type ActionRenderProps,
  type ActionRenderPropsWait,
  type CopilotAction,
  type FrontendActionAvailability,
  useCopilotAction,
} from "./use-copilot-action.js";
export {
  type ActionArgs,
  type ActionAvailability,
  type StreamingActionRenderProps,
  type StreamingCopilotAction,
  useStreamingCopilotAction,
} from "./use-streaming-copilot-action.js";
