/**
 * The run store, in the style of TanStack query-core: framework-free, `subscribe` +
 * `getSnapshot` (ready for React's `useSyncExternalStore`). Pushing is O(1) amortized; the
 * immutable {@link RunState} is materialized lazily by `getSnapshot`.
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import { ChunkDecoder } from "../agui/decode.js";
import type { StreamChunk } from "../chunk.js";
import type { RunState } from "../state.js";
import type { RunStoreInput } from "./input.js";
import { RunReducer } from "./reducer.js";

/** Options of {@link createRunStore}. */
export interface RunStoreOptions {
  /** Clock for AG-UI events without a `timestamp`. Default `Date.now`. */
  now?: () => number;
}

/**
 * A store that folds a run's inputs ({@link RunStoreInput}: chunks and lifecycle inputs) or AG-UI
 * events into a {@link RunState}.
 */
export interface RunStore {
  /** Calls `listener` synchronously after every push that changed the state; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** The current state: the same object until something changes. */
  getSnapshot(): RunState;
  /** Folds one input (a chunk, or a lifecycle input such as `run_finished`); notifies if it changed the state. */
  push(input: RunStoreInput): void;
  /**
   * Folds one AG-UI event and notifies if it changed the state: decodes it into
   * {@link RunStoreInput}s with a {@link ChunkDecoder} kept by the store (`decodeInputs`: the chunk
   * it stands for, then its lifecycle input) and folds those, nothing else, so
   * `foldInputs(decodeStoreInputs(events))` reaches the same state. Returns the chunk the event stood for, if any. Never throws on what
   * the network sends: an event the decoder cannot read folds as a recoverable `error` chunk.
   */
  pushEvent(event: BaseEvent): StreamChunk | undefined;
  /** Folds several inputs and notifies once (if they changed the state). */
  pushMany(inputs: Iterable<RunStoreInput>): void;
  /** Back to the initial state (a new run), and notifies. */
  reset(): void;
}

/** Creates a {@link RunStore}. */
export function createRunStore(options: RunStoreOptions = {}): RunStore {
  const reducer = new RunReducer();
  const decoder = new ChunkDecoder(options.now === undefined ? {} : { now: options.now });
  const listeners = new Set<() => void>();

  const notify = (): void => {
    for (const l of Array.from(listeners)) l();
  };

  return {
    subscribe(listener) {
      const wrapped = (): void => listener();
      listeners.add(wrapped);
      return () => {
        listeners.delete(wrapped);
      };
    },
    getSnapshot: () => reducer.snapshot(),
    push(input) {
      const before = reducer.version;
      reducer.apply(input);
      if (reducer.version !== before && listeners.size > 0) notify();
    },
    pushMany(inputs) {
      const before = reducer.version;
      for (const input of inputs) reducer.apply(input);
      if (reducer.version !== before && listeners.size > 0) notify();
    },
    pushEvent(event) {
      const before = reducer.version;
      // decoder.decodeInputs(event), folded in order, without allocating its array.
      const chunk = decoder.decodeOne(event);
      if (chunk !== undefined) reducer.apply(chunk);
      const life = decoder.lifecycleInput(event);
      if (life !== undefined) reducer.apply(life);
      if (reducer.version !== before && listeners.size > 0) notify();
      return chunk;
    },
    reset() {
      reducer.reset();
      decoder.reset();
      notify();
    },
  };
}
