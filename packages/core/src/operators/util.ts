/**
 * Helpers shared by the stream operators: abort signals as promises, sleeping, and closing a
 * source iterator without waiting on a step that is still running.
 *
 * @packageDocumentation
 */

/** The value an {@link abortPromise} resolves to. */
export const ABORTED: unique symbol = Symbol("aborted");

/** A promise that resolves to {@link ABORTED} when `signal` aborts (never without a signal), and its cleanup. */
export function abortPromise(signal: AbortSignal | undefined): {
  promise: Promise<typeof ABORTED>;
  dispose(): void;
} {
  if (signal === undefined) return { promise: new Promise(() => {}), dispose() {} };
  if (signal.aborted) return { promise: Promise.resolve(ABORTED), dispose() {} };
  let onAbort: () => void = () => {};
  const promise = new Promise<typeof ABORTED>((resolve) => {
    onAbort = () => resolve(ABORTED);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener("abort", onAbort) };
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
  const abort = abortPromise(signal);
  let inFlight = false;
  let finished = false;
  try {
    while (true) {
      inFlight = true;
      const r = await Promise.race([it.next(), abort.promise]);
      if (r === ABORTED) return;
      inFlight = false;
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
    }
  } finally {
    abort.dispose();
    if (!finished) await closeIterator(it as AsyncIterator<T>, inFlight);
  }
}
