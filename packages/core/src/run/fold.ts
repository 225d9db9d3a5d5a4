/**
 * Folding from scratch: the state a run store reaches for a whole sequence of inputs.
 *
 * @packageDocumentation
 */
import type { StreamChunk } from "../chunk.js";
import type { RunState } from "../state.js";
import type { RunStoreInput } from "./input.js";
import { RunReducer } from "./reducer.js";

/**
 * Folds inputs into a run state from scratch, as a {@link RunReducer} (and so a `RunStore`) would.
 * `foldInputs(decodeStoreInputs(events))` is the state `pushEvent` of each event reaches (given
 * the same clock for events without a timestamp).
 *
 * @param inputs - chunks and lifecycle inputs, in stream order
 * @returns the final state
 */
export function foldInputs(inputs: Iterable<RunStoreInput>): RunState {
  const r = new RunReducer();
  for (const input of inputs) r.apply(input);
  return r.snapshot();
}

/**
 * Folds chunks into a run state from scratch (a convenience for tests and one-off folds). The same
 * fold as {@link foldInputs}; chunks alone leave out what AG-UI framing events say (RUN_STARTED,
 * TOOL_CALL_END, RUN_FINISHED without a result): fold `decodeStoreInputs(events)` with
 * {@link foldInputs} to get the store's state for an event stream.
 */
export function foldChunks(chunks: Iterable<StreamChunk>): RunState {
  return foldInputs(chunks);
}
