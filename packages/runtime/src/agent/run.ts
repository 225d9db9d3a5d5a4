/**
 * Running an agent definition as an async iterable, for code that consumes a run itself (tests,
 * scripts, other hosts). Both wrap the one generator loop, {@link ChunkRun}; the server's routes
 * go through the pump and the runner instead.
 *
 * The stream is pull-based: the generator runs only as fast as the consumer asks for the next
 * chunk. See `chunk-run.ts` for the guarantees (one terminal chunk, `finally` always runs).
 *
 * @packageDocumentation
 */
import type { BaseEvent, RunAgentInput } from "@ag-ui/core";
import { ChunkEncoder, type StreamChunk } from "@agentstream/core";
import { ChunkRun, type RunOptions } from "./chunk-run.js";
import type { AgentDefinition } from "./define.js";

export { RUN_ERROR_CODES, type RunOptions, toAgentInput } from "./chunk-run.js";

/**
 * Runs an agent and yields its chunks. Leaving the loop early calls the generator's `return()`.
 *
 * @param def - the agent
 * @param input - the AG-UI run input
 * @param options - abort signal, pace, registry
 */
export async function* runAgentChunks(
  def: AgentDefinition,
  input: RunAgentInput,
  options: RunOptions = {},
): AsyncGenerator<StreamChunk, void, undefined> {
  const run = new ChunkRun(def, input, options);
  try {
    while (true) {
      const chunk = await run.next();
      if (chunk === undefined) return;
      yield chunk;
    }
  } finally {
    run.close();
  }
}

/**
 * Runs an agent and yields AG-UI events: RUN_STARTED, the events of each chunk (core's
 * `ChunkEncoder`), and RUN_FINISHED or RUN_ERROR. Pull-based like {@link runAgentChunks}.
 */
export async function* runAgentEvents(
  def: AgentDefinition,
  input: RunAgentInput,
  options: RunOptions = {},
): AsyncGenerator<BaseEvent, void, undefined> {
  const encoder = new ChunkEncoder({
    threadId: input.threadId,
    runId: input.runId,
    now: options.now,
    interruptAs: "custom",
  });
  yield* encoder.start();
  for await (const chunk of runAgentChunks(def, input, options)) {
    yield* encoder.encode(chunk);
    if (encoder.ended) break;
  }
  yield* encoder.finish();
}
