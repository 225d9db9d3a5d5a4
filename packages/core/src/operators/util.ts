/**
 * Helpers shared by the stream operators: abort signals as promises, sleeping, and closing a
 * source iterator without waiting on a step that is still running.
 *
 * @packageDocumentation
 */

/** The value {@link raceAbort} and {@link sleep} resolve to when the signal aborts. */
export const ABORTED: unique symbol = Symbol("aborted");

/**
 * The first of `promises` to settle, or {@link ABORTED} as soon as `signal` aborts.
 *
 * Each call adds one abort listener and removes it when it settles: racing a long-lived
 * "aborted" promise instead would leave one reaction on it per step, and a long stream would
 * grow in memory chunk by chunk.
 */
export function raceAbort<T>(
  signal: AbortSignal | undefined,
  promises: readonly Promise<T>[],
): Promise<T | typeof ABORTED> {
  if (signal?.aborted) return Promise.resolve(ABORTED);
  if (signal === undefined)
    return promises.length === 1 ? (promises[0] as Promise<T>) : Promise.race(promises);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    const settle = (): void => signal.removeEventListener("abort", onAbort);
    signal.addEventListener("abort", onAbort, { once: true });
    for (const p of promises) {
      p.then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
    }
  });
}

/** Resolves after `ms` milliseconds, or at once with {@link ABORTED} when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<undefined | typeof ABORTED> {
  if (signal?.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(ABORTED);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(undefined);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Calls the iterator's `return()` so a generator's `finally` runs. When a `next()` is still
 * running (`inFlight`), the generator finishes that step first; we do not wait for it then.
 */
export async function closeIterator(it: AsyncIterator<unknown>, inFlight: boolean): Promise<void> {
  if (typeof it.return !== "function") return;
  try {
    const p = it.return();
    if (inFlight) {
      p.then(undefined, () => {});
      return;
    }
    await p;
  } catch {
    // a source that throws while closing has nothing more to tell us
  }
}

/** A timer promise resolving to `value`, with cancel. */
export function timer<T>(ms: number, value: T): { promise: Promise<T>; cancel(): void } {
  let handle: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<T>((resolve) => {
    handle = setTimeout(() => resolve(value), Math.max(0, ms));
  });
  return { promise, cancel: () => clearTimeout(handle) };
}

/**
 * Iterates `source` until it ends or `signal` aborts; on abort (or when the consumer stops) the
 * source's `return()` is called. Sync iterables are accepted too.
 */
export async function* abortable<T>(
  source: AsyncIterable<T> | Iterable<T>,
  signal: AbortSignal | undefined,
): AsyncGenerator<T> {
  const it: AsyncIterator<T> | Iterator<T> =
    Symbol.asyncIterator in source
      ? (source as AsyncIterable<T>)[Symbol.asyncIterator]()
      : (source as Iterable<T>)[Symbol.iterator]();
  let inFlight = false;
  let finished = false;
  try {
    while (true) {
      inFlight = true;
      const r = await raceAbort(signal, [it.next() as Promise<IteratorResult<T>>]);
      if (r === ABORTED) return;
      inFlight = false;
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (!finished) await closeIterator(it as AsyncIterator<T>, inFlight);
  }
}
