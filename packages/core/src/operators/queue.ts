/**
 * A bounded async queue with backpressure: `push` resolves only when the item fits (no
 * busy-wait, no polling), consumers read it as an async iterable.
 *
 * @packageDocumentation
 */

/** Thrown by `push` on a closed or failed queue, and to producers still waiting when the consumer stops. */
export class QueueClosedError extends Error {
  constructor(message = "queue closed") {
    super(message);
    this.name = "QueueClosedError";
  }
}

/** A bounded queue: producers `push` (awaiting room), one or more consumers iterate. */
export interface BoundedQueue<T> extends AsyncIterable<T> {
  /** Adds an item; resolves once it is in the queue (at once when there is room, else when a consumer makes room). */
  push(item: T): Promise<void>;
  /** No more items: consumers get the queued ones, then the end. Later pushes reject. */
  close(): void;
  /** Ends the queue with an error: consumers get the queued items, then `error` is thrown. Waiting producers reject. */
  fail(error: unknown): void;
  /** Items in the queue (not counting producers waiting for room). */
  readonly size: number;
  /** The capacity given at creation. */
  readonly capacity: number;
  /** True once `close`, `fail`, or the consumer's `return()` ended the queue. */
  readonly closed: boolean;
}

interface Waiter<T> {
  item: T;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Creates a {@link BoundedQueue}.
 *
 * @param capacity - how many items may wait in the queue (>= 1)
 */
export function boundedQueue<T>(capacity: number): BoundedQueue<T> {
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new RangeError(`capacity must be an integer >= 1, got ${capacity}`);
  const items: T[] = [];
  let head = 0;
  const producers: Waiter<T>[] = [];
  const consumers: { resolve(r: IteratorResult<T>): void; reject(e: unknown): void }[] = [];
  let closed = false;
  let failure: { error: unknown } | undefined;

  const size = (): number => items.length - head;

  const take = (): T => {
    const item = items[head] as T;
    items[head++] = undefined as T;
    if (head > 1024 && head * 2 > items.length) {
      items.splice(0, head);
      head = 0;
    }
    // Room was made: admit one waiting producer.
    const p = producers.shift();
    if (p !== undefined) {
      items.push(p.item);
      p.resolve();
    }
    return item;
  };

  const settleConsumers = (): void => {
    while (consumers.length > 0 && size() === 0 && closed) {
      const c = consumers.shift() as (typeof consumers)[number];
      if (failure !== undefined) c.reject(failure.error);
      else c.resolve({ value: undefined, done: true });
    }
  };

  const end = (error?: { error: unknown }): void => {
    if (closed) return;
    closed = true;
    failure = error;
    settleConsumers();
  };

  return {
    capacity,
    get size() {
      return size();
    },
    get closed() {
      return closed;
    },
    push(item) {
      if (closed) return Promise.reject(new QueueClosedError());
      const c = consumers.shift();
      if (c !== undefined) {
        c.resolve({ value: item, done: false });
        return Promise.resolve();
      }
      if (size() < capacity) {
        items.push(item);
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => producers.push({ item, resolve, reject }));
    },
    close() {
      end();
    },
    fail(error) {
      if (closed) return;
      for (const p of producers.splice(0)) p.reject(error);
      end({ error });
    },
    [Symbol.asyncIterator](): AsyncIterator<T> {
      return {
        next() {
          if (size() > 0) return Promise.resolve({ value: take(), done: false });
          if (closed) {
            if (failure !== undefined) {
              const { error } = failure;
              return Promise.reject(error);
            }
            return Promise.resolve({ value: undefined, done: true });
          }
          return new Promise((resolve, reject) => consumers.push({ resolve, reject }));
        },
        return() {
          // The consumer stopped: nothing will read what producers wait to push.
          for (const p of producers.splice(0)) p.reject(new QueueClosedError("queue consumer stopped"));
          if (!closed) end();
          items.length = 0;
          head = 0;
          return Promise.resolve({ value: undefined, done: true });
        },
      };
    },
  };
}
