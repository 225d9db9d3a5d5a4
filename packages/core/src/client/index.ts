/**
 * The run client of `@agentstream/core`: see {@link createRunClient}.
 *
 * @packageDocumentation
 */
export { backoffDelay, type ReconnectOptions, type ReconnectPolicy, reconnectPolicy } from "./backoff.js";
export { RunClientError, type RunClientErrorCode, type RunClientErrorInit } from "./errors.js";
export type { ThreadTokens, TransportOptions } from "./http.js";
export {
  type AttachOptions,
  createRunClient,
  type RunClient,
  type RunClientOptions,
  type RunOptions,
} from "./run-client.js";
export type { AgentRunHandle, RunConnectionStatus } from "./run-handle.js";
export { type CompleteRunInput, type RunInput, type RunMessage, toRunAgentInput } from "./run-input.js";
