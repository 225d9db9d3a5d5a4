/**
 * `@agentstream/runtime/runner`: what a runner is made of, for writing one (as
 * `@agentstream/runner-redis` does) or driving agents without the handler: the runner base class
 * (`AgentStreamRunner`: the primitives a runner provides, CopilotKit's `AgentRunner` contract on
 * top), the run engine that implements it once over a log store (`RunEngine`, `LogStore`,
 * `MemoryLogStore`: a new store is one class), its request and event types, and the pump that
 * runs an agent into a sink. `MemoryRunner` and `RunnerError` are in the main entry.
 *
 * @packageDocumentation
 */
export { type EventSink, pumpAgent, pumpAgUiAgent } from "./agent/pump.js";
export { type RegisteredStream, StreamRegistry } from "./agent/registry.js";
export { AgentStreamRunner, runnerErrorEvent } from "./runner/agent-stream-runner.js";
export type {
  ClaimResult,
  ControlHandler,
  ControlMessage,
  LogEntry,
  LogPage,
  LogSpan,
  LogStore,
  LogTail,
  RunClaim,
  RunEnd,
  SharedLog,
  StoredThread,
} from "./runner/log-store.js";
export { MemoryLogStore } from "./runner/memory-store.js";
export { RunEngine } from "./runner/run-engine.js";
export {
  type AnswerRequest,
  isRunEnd,
  type LoggedEvent,
  type ReadRequest,
  RUNNER_DEFAULTS,
  type RunExecutor,
  type RunHooks,
  type StartedRun,
  type StartRunRequest,
  type StopRunRequest,
  type ThreadInfo,
} from "./runner/types.js";
