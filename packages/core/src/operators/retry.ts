/**
 * `retry`: re-runs a stream factory that fails before producing anything.
 *
 * @packageDocumentation
 */
import type { StreamChunk } from "../chunk.js";
import { ABORTED, closeIterator, raceAbort, sleep } from "./util.js";

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 3). */
  attempts?: number;
  /** Delay before attempt n+1 (n from 1): a function, or exponential `{ initial, factor, max }` (default 200 ms ×2, at most 5 s). */
  backoff?:
    | ((attempt: number, error: unknown) => number)
    | { initial?: number; factor?: number; max?: number };
  /** Whether an error is worth another attempt (default: all). */
  retryIf?: (error: unknown, attempt: number) => boolean;
  /** Stop promptly when aborted (also during a backoff wait). The stream then just ends. */
  signal?: AbortSignal;
}

/**
 * Runs `factory()` and passes its chunks through. When the stream throws before its first
 * chunk, waits (backoff) and calls `factory` again, up to `attempts` times; then the last
 * error is thrown. An error after the first chunk is thrown at once (the output cannot be
 * taken back).
 */
export async function* retry(
  factory: (attempt: number) => AsyncIterable<StreamChunk>,
  options: RetryOptions = {},
): AsyncGenerator<StreamChunk> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const backoff = options.backoff ?? {};
  const delay =
    typeof backoff === "function"
      ? backoff
      : (n: number): number =>
          Math.min(backoff.max ?? 5000, (backoff.initial ?? 200) * (backoff.factor ?? 2) ** (n - 1));
  const signal = options.signal;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) return;
    let produced = false;
    const it = factory(attempt)[Symbol.asyncIterator]();
    let inFlight = false;
    let finished = false;
    try {
      while (true) {
        inFlight = true;
        const r = await raceAbort(signal, [it.next()]);
        if (r === ABORTED) return;
        inFlight = false;
        if (r.done) {
          finished = true;
          return;
        }
        produced = true;
        yield r.value;
      }
    } catch (error) {
      finished = true;
      if (
        produced ||
        attempt >= attempts ||
        (options.retryIf !== undefined && !options.retryIf(error, attempt))
      )
        throw error;
      if ((await sleep(delay(attempt, error), signal)) === ABORTED) return;
    } finally {
      if (!finished) await closeIterator(it, inFlight);
    }
  }
}
