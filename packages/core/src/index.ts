/**
 * `@agentstream/core`: the chunk model, its AG-UI mapping (both ways), the run reducer and
 * store, SSE framing, stream operators and the run client (start, attach, stop and resume runs
 * over HTTP). Framework-free; runs in Node and browsers. What the kit and the runtime share
 * beyond this (the settle helpers every surface uses, answer checks) is in
 * `@agentstream/core/internal`.
 *
 * @packageDocumentation
 */

/** An AG-UI event (the `BaseEvent` type of @ag-ui/core). */
export type { BaseEvent as AgUiEvent } from "@ag-ui/core";
export {
  type AskActivityContent,
  type ProgressActivityContent,
  STATUS_ACTIVITY_VALUES,
  type StatusActivityContent,
  type StatusActivityValue,
} from "./agui/activities.js";
export { ChunkDecoder, type ChunkDecoderOptions, decodeEvents, decodeStoreInputs } from "./agui/decode.js";
export { ChunkEncoder, type ChunkEncoderOptions, encodeChunks } from "./agui/encode.js";
export {
  type AgentStreamEnvelope,
  ASK_ACTIVITY,
  ENVELOPE_KEY,
  ERROR_EVENT,
  INTERRUPTED_EVENT,
  PROGRESS_ACTIVITY,
  RESULT_EVENT,
  readEnvelope,
  STATUS_ACTIVITY,
} from "./agui/envelope.js";
export { applyJsonPatch, type JsonPatchOperation } from "./agui/json-patch.js";
export { type AskShape, checkAnswer } from "./ask.js";
export * from "./chunk.js";
export * from "./client/index.js";
export { type CollectedRun, type CollectOptions, collect } from "./collect.js";
export {
  ChunkNormalizer,
  type ChunkNormalizerOptions,
  FIELD_ALIASES,
  type NormalizedFields,
  SEED_TYPE_ALIASES,
  toChunk,
} from "./normalize.js";
export { type CoalesceOptions, coalesce } from "./operators/coalesce.js";
export { type MergeOptions, type MergeSources, merge } from "./operators/merge.js";
export { type BoundedQueue, boundedQueue, QueueClosedError } from "./operators/queue.js";
export { type RetryOptions, retry } from "./operators/retry.js";
export { StreamTimeoutError, type TimeoutOptions, timeout } from "./operators/timeout.js";
export { ABORTED, abortable, raceAbort, sleep } from "./operators/util.js";
export { readCanonicalChunk } from "./read-chunk.js";
export { foldChunks, foldInputs } from "./run/fold.js";
export type {
  RunFinishedInput,
  RunLifecycleInput,
  RunStartedInput,
  RunStoreInput,
  ToolCallEndInput,
} from "./run/input.js";
export { initialRunState, RunReducer } from "./run/reducer.js";
export { isBusyStatus, settleRun, turnStatus } from "./run/settle.js";
export { createRunStore, type RunStore, type RunStoreOptions } from "./run/store.js";
export type * from "./runs-api.js";
export {
  type AgUiReadOptions,
  encodeSseComment,
  encodeSseFrame,
  MalformedEventError,
  parseAgUiEvent,
  parseSse,
  readAgUiEvents,
  type SseMessage,
  type SseReadOptions,
} from "./sse.js";
export * from "./state.js";
export { ChunkValidationError, validateChunk } from "./validate.js";
