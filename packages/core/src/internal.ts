/**
 * `@agentstream/core/internal`: what `@agentstream/react` and `@agentstream/runtime` share beyond
 * the public API, so that one rule lives in one place: how an ended run's surfaces settle (tool
 * outcomes, step and status ends, lanes), how an answer is read and compared, partial JSON. Not a
 * stable API: it changes with the packages that use it.
 *
 * @packageDocumentation
 */
export { checkSchema, jsonEqual, normalizeChoices, parseAnswerText } from "./ask.js";
export { DEFAULT_INTERRUPT_REASON } from "./normalize.js";
export { parsePartialArgs, parsePartialJson } from "./run/partial-json.js";
export {
  applyToolOutcomes,
  awaitingToolCalls,
  BUSY_STATUS,
  endedStepState,
  endedToolStatus,
  endOfStatus,
  laneEnd,
  type RunEnd,
  runEnd,
  toolStatusOfRun,
} from "./run/settle.js";
