/**
 * `timeout`: ends a stream that has said nothing for too long.
 *
 * @packageDocumentation
 */
import type { StreamChunk } from "../chunk.js";
import { ABORTED, closeIterator, raceAbort, timer } from "./util.js";

/** Thrown by {@link timeout} in `mode: "throw"`. */
export class StreamTimeoutError extends Error {
  /** Always `"timeout"`. */
  readonly code = "timeout";
  /** The idle time allowed, in ms. */
  readonly ms: number;
  /** @param ms - the idle time allowed */
  constructor(ms: number) {
    super(`no chunk for ${ms} ms`);
    this.name = "StreamTimeoutError";
    this.ms = ms;
  }
}

/** Options of {@link timeout}. */
export interface TimeoutOptions {
  /**
   * What happens when no chunk came for `ms`:
   * - `"chunk"` (default): an `error` chunk `{ code: "timeout", recoverable: false }` is yielded, then the stream ends;
   * - `"throw"`: a {@link StreamTimeoutError} is thrown.
   * Either way the source's `return()` is called.
   */
  mode?: "chunk" | "throw";
  /** Stop promptly when aborted. */
  signal?: AbortSignal;
  /** Clock for the timeout chunk. Default `Date.now`. */
  now?: () => number;
}

/**
 * Passes chunks through; if the source produces no chunk for `ms` milliseconds (counted from
 * each request for the next chunk, so a slow consumer does not count), ends the stream.
 * The timeout chunk gets `seq` one past the last chunk's.
 */
export async function* timeout(
  source: AsyncIterable<StreamChunk>,
  ms: number,
  options: TimeoutOptions = {},
): AsyncGenerator<StreamChunk> {
  const now = options.now ?? Date.now;
  const it = source[Symbol.asyncIterator]();
  const TIMEOUT = Symbol("timeout");
  let inFlight = false;
  let finished = false;
  let nextSeq = 0;
  let agent: string | undefined;
  try {
    while (true) {
      const t = timer(ms, TIMEOUT);
      inFlight = true;
      const r = await raceAbort<IteratorResult<StreamChunk> | typeof TIMEOUT>(options.signal, [
        it.next(),
        t.promise,
      ]);
      t.cancel();
      if (r === ABORTED) return;
      if (r === TIMEOUT) {
        if (options.mode === "throw") throw new StreamTimeoutError(ms);
        const chunk: StreamChunk = {
          type: "error",
          message: `no chunk for ${ms} ms`,
          code: "timeout",
          recoverable: false,
          seq: nextSeq,
          timestamp: now(),
        };
        if (agent !== undefined) chunk.agent = agent;
        yield chunk;
        return;
      }
      inFlight = false;
      if (r.done) {
        finished = true;
        return;
      }
      nextSeq = r.value.seq + 1;
      agent = r.value.agent;
      yield r.value;
    }
  } finally {
    if (!finished) await closeIterator(it, inFlight);
  }
}
