/**
 * What the run reducer folds: chunks, plus the three AG-UI lifecycle events that change a run's
 * state without standing for a chunk. A closed union, so that a stream decoded by hand
 * (`ChunkDecoder.decodeInputs`, `decodeStoreInputs`) and folded (`foldInputs`) reaches exactly the
 * state `RunStore.pushEvent` reaches.
 *
 * @packageDocumentation
 */
import type { StreamChunk } from "../chunk.js";

/** RUN_STARTED: the run began (records the start time and the `started` status, once). */
export interface RunStartedInput {
  type: "run_started";
  /** The event's timestamp (ms since the epoch), or the decoder's clock when it had none. */
  timestamp: number;
}

/** TOOL_CALL_END: the call's arguments are complete (a `streaming` call becomes `called`). */
export interface ToolCallEndInput {
  type: "tool_call_end";
  /** The tool call's id (`""` when the event had none). */
  id: string;
}

/** RUN_FINISHED: the run is over (`completed` unless it already ended otherwise). */
export interface RunFinishedInput {
  type: "run_finished";
  /** The event's timestamp (ms since the epoch), or the decoder's clock when it had none. */
  timestamp: number;
}

/** The lifecycle inputs: AG-UI framing events that change a run's state but carry no chunk. */
export type RunLifecycleInput = RunStartedInput | ToolCallEndInput | RunFinishedInput;

/**
 * Everything the run reducer folds: a {@link StreamChunk}, or a {@link RunLifecycleInput}. An
 * AG-UI event decodes to at most one chunk followed by at most one lifecycle input, in that
 * order (a RUN_FINISHED with a result: the `result` chunk, then `run_finished`).
 */
export type RunStoreInput = StreamChunk | RunLifecycleInput;
