/**
 * How every runner drives a run's executor so that the run always ends in the log, whatever the
 * executor does.
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import type { EventSink } from "../agent/pump.js";
import type { RunExecutor, RunHooks } from "./types.js";

const internalError = (message: string): BaseEvent =>
  ({ type: "RUN_ERROR", message, code: "INTERNAL", timestamp: Date.now() }) as BaseEvent;

/**
 * Runs `execute` and makes sure the run ends: an executor that throws ends it with RUN_ERROR
 * ("Internal error: …"), one that returns without a terminal event with RUN_ERROR ("The run ended
 * without RUN_FINISHED"). `ended()` tells whether the sink has taken the run's terminal event.
 */
export async function executeToEnd(
  execute: RunExecutor,
  sink: EventSink,
  signal: AbortSignal,
  hooks: RunHooks,
  ended: () => boolean,
): Promise<void> {
  try {
    await execute(sink, signal, hooks);
  } catch (error) {
    if (!ended())
      await sink([
        internalError(`Internal error: ${error instanceof Error ? error.message : String(error)}`),
      ]);
  }
  if (!ended()) await sink([internalError("The run ended without RUN_FINISHED")]);
}
