/**
 * `@agentstream/runtime`: agents written as async generators, served as one fetch handler
 * (`createAgentHandler`: the CopilotKit runtime v2 and plain AG-UI SSE routes); adapters that turn
 * an AI SDK `streamText` result or any AG-UI agent into chunks. No demo content: the embedded
 * agents are in `@agentstream/agents`. The hosts' adapters are entries of their own, so that this
 * one imports no Express: `@agentstream/runtime/node` (`toNodeListener`, for `node:http`) and
 * `@agentstream/runtime/express` (`createAgentServer`). What a runner is made of (for writing one,
 * as `@agentstream/runner-redis` does) is behind `@agentstream/runtime/runner`.
 *
 * @packageDocumentation
 */

export {
  type AgUiAgentLike,
  type AgUiEventLike,
  type AgUiOutcome,
  type AgUiRunInputLike,
  type AgUiRunObserver,
  type FromAgUiAgentOptions,
  fromAgUiAgent,
} from "./adapters/ag-ui.js";
export {
  AI_SDK_ERROR_CODES,
  type AiSdkOutcome,
  type AiSdkSource,
  type AiSdkStreamPart,
  type AiSdkUsage,
  type FromAiSdkOptions,
  fromAiSdk,
  modelUsage,
  providerErrorChunk,
} from "./adapters/ai-sdk.js";
export {
  type AiSdkClientTool,
  type AiSdkModelMessage,
  aiSdkFrontendTools,
  aiSdkMessages,
  type JsonStandardSchema,
  jsonStandardSchema,
} from "./adapters/ai-sdk-input.js";
export { type AnswerResult, AskBox, type AskOptions, AskTimeoutError } from "./agent/asks.js";
export { type AgentContext, type ChildOutcome, type RunChildOptions, sleep } from "./agent/context.js";
export {
  type AgentDefinition,
  type AgentInput,
  type AgentRunFunction,
  type AgentSpec,
  type AgentYield,
  defineAgent,
  isAgentDefinition,
} from "./agent/define.js";
export { executorFor, GeneratorAgent, type GeneratorAgentOptions } from "./agent/generator-agent.js";
export {
  latestUserText,
  messageText,
  type ToolResultInfo,
  trailingToolResult,
  trailingToolResults,
} from "./agent/messages.js";
export {
  RUN_ERROR_CODES,
  type RunOptions,
  runAgentChunks,
  runAgentEvents,
  toAgentInput,
} from "./agent/run.js";
export type { BusyPolicy } from "./handler/busy-policy.js";
export type { HandlerContext } from "./handler/context.js";
export type { TrustProxy } from "./handler/cors.js";
export {
  type AgentHandler,
  type AgentHandlerOptions,
  type AgentInfo,
  createAgentHandler,
} from "./handler/create-handler.js";
export type { DashboardPage } from "./handler/dashboard-routes.js";
export { MemoryRunner, type MemoryRunnerOptions } from "./runner/memory-runner.js";
export {
  combineObservers,
  type ObservedReader,
  type ObservedRun,
  type ObservedRunEnd,
  observeRunner,
  type RunObserver,
  type RunOutcome,
  streamRoute,
} from "./runner/observe.js";
export {
  RunnerError,
  type RunnerErrorCode,
  type RunnerHealth,
  type RunnerOptions,
} from "./runner/types.js";
export {
  SEED_EVENT_NAMES,
  type SeedEvent,
  SeedEventMapper,
  type SeedEventName,
  seedEventJson,
} from "./seed/seed-events.js";
export type { AgentsInput } from "./server/agent-table.js";
export type { Authorize, AuthorizeRequest, ThreadAction } from "./server/authorize.js";
export { type AgentServerOptions, SERVER_DEFAULTS, serverOptionsFromEnv } from "./server/config.js";
export { type ApiErrorBody, type ApiErrorCode, HttpError } from "./server/errors.js";
export {
  createLogger,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  silentLogger,
} from "./server/logging.js";
export { createServerMetrics, type ServerMetrics, type ServerMetricsOptions } from "./server/metrics.js";
export type { RunLimitsOptions } from "./server/run-limits.js";
export type { RunSeriesOptions } from "./server/run-series.js";
export { createRunTable, type RunTable, type RunTableOptions } from "./server/run-table.js";
export type {
  StreamEndedEvent,
  StreamEventBase,
  StreamEventListener,
  StreamEventMap,
  StreamEventName,
  StreamStartedEvent,
} from "./server/stream-events.js";
export { SESSION_COOKIE, THREAD_TOKEN_HEADER, type ThreadAccessMode } from "./server/thread-access.js";
