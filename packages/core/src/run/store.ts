/**
 * The run store, in the style of TanStack query-core: framework-free, `subscribe` +
 * `getSnapshot` (ready for React's `useSyncExternalStore`). Pushing is O(1) amortized; the
 * immutable {@link RunState} is materialized lazily by `getSnapshot`.
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import { ChunkDecoder } from "../agui/decode.js";
import { E } from "../agui/envelope.js";
import type { StreamChunk } from "../chunk.js";
import type { RunState } from "../state.js";
import { RunReducer } from "./reducer.js";

/** Options of {@link createRunStore}. */
export interface RunStoreOptions {
  /** Clock for AG-UI events without a `timestamp`. Default `Date.now`. */
  now?: () => number;
}

/** A store that folds a run's chunks or AG-UI events into a {@link RunState}. */
export interface RunStore {
  /** Calls `listener` synchronously after every push that changed the state; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** The current state: the same object until something changes. */
  getSnapshot(): RunState;
  /** Folds one chunk and notifies. */
  push(chunk: StreamChunk): void;
  /**
   * Folds one AG-UI event (decoded with a {@link ChunkDecoder} kept by the store) and notifies if
   * it changed the state. Returns the chunk the event stood for, if any. Never throws on what the
   * network sends: an event the decoder cannot read folds as a recoverable `error` chunk.
   */
  pushEvent(event: BaseEvent): StreamChunk | undefined;
  /** Folds several chunks and notifies once. */
  pushMany(chunks: Iterable<StreamChunk>): void;
  /** Back to the initial state (a new run), and notifies. */
  reset(): void;
}

/** Creates a {@link RunStore}. */
export function createRunStore(options: RunStoreOptions = {}): RunStore {
  const reducer = new RunReducer();
  const decoder = new ChunkDecoder(options.now === undefined ? {} : { now: options.now });
  const now = options.now ?? Date.now;
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
    push(chunk) {
      reducer.apply(chunk);
      if (listeners.size > 0) notify();
    },
    pushMany(chunks) {
      const before = reducer.version;
      for (const c of chunks) reducer.apply(c);
      if (reducer.version !== before && listeners.size > 0) notify();
    },
    pushEvent(event) {
      const before = reducer.version;
      const chunk = decoder.decodeOne(event);
      if (chunk !== undefined) reducer.apply(chunk);
      const at = typeof event?.timestamp === "number" ? event.timestamp : now();
      switch (event?.type) {
        case E.RUN_STARTED:
          reducer.startRun(at);
          break;
        case E.TOOL_CALL_END:
          reducer.endToolCall(String((event as { toolCallId?: unknown }).toolCallId ?? ""));
          break;
        case E.RUN_FINISHED:
          reducer.finishRun(at);
          break;
      }
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
