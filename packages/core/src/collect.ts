/**
 * A collector in the spirit of a StreamingResponse: consume a whole chunk stream and sum it up.
 *
 * @packageDocumentation
 */
import type { StreamChunk } from "./chunk.js";
import { abortable } from "./operators/util.js";
import type { RunError, RunInterruption, RunResult } from "./state.js";

/** What {@link collect} returns. */
export interface CollectedRun {
  /** All token text, concatenated. */
  text: string;
  /** Milliseconds from the first to the last chunk (by chunk timestamps); 0 for an empty stream. */
  duration: number;
  /** Chunks consumed. */
  chunkCount: number;
  /** Token chunks consumed. */
  tokenCount: number;
  /** The run's result (a `result` chunk without `agent`). */
  result?: RunResult;
  /** The first non-recoverable error without `agent` (the one that ended the run). */
  error?: RunError;
  /** The run's interruption (an `interrupted` chunk without `agent`). */
  interrupted?: RunInterruption;
}

/** Options of {@link collect}. */
export interface CollectOptions {
  /** Stops consuming (calling the source's `return()`) when aborted; what was collected so far is returned. */
  signal?: AbortSignal;
}

/**
 * Consumes a chunk stream to its end and returns its text, figures and outcome.
 * Chunks after the run ended (result, fatal error, interruption) are still counted.
 */
export async function collect(
  stream: AsyncIterable<StreamChunk> | Iterable<StreamChunk>,
  options: CollectOptions = {},
): Promise<CollectedRun> {
  const parts: string[] = [];
  let chunkCount = 0;
  let tokenCount = 0;
  let first: number | undefined;
  let last: number | undefined;
  const out: Omit<CollectedRun, "text" | "duration" | "chunkCount" | "tokenCount"> = {};
  const { signal } = options;
  for await (const c of signal === undefined
    ? (stream as AsyncIterable<StreamChunk>)
    : abortable(stream, signal)) {
    chunkCount++;
    first ??= c.timestamp;
    last = c.timestamp;
    switch (c.type) {
      case "token":
        tokenCount++;
        parts.push(c.text);
        break;
      case "result":
        if (c.agent === undefined) {
          out.result = { output: c.output, success: c.success };
          if (c.duration !== undefined) out.result.duration = c.duration;
        }
        break;
      case "error":
        if (c.agent === undefined && c.recoverable !== true && out.error === undefined) {
          out.error = { message: c.message };
          if (c.code !== undefined) out.error.code = c.code;
          if (c.recoverable !== undefined) out.error.recoverable = c.recoverable;
        }
        break;
      case "interrupted":
        if (c.agent === undefined) {
          out.interrupted = { reason: c.reason, at: c.timestamp };
          if (c.partial !== undefined) out.interrupted.partial = c.partial;
        }
        break;
    }
  }
  return {
    text: parts.join(""),
    duration: first === undefined || last === undefined ? 0 : last - first,
    chunkCount,
    tokenCount,
    ...out,
  };
}
