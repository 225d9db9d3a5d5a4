import type { RunState } from "@agentstream/core";

/**
 * What the hooks need from a store: the `subscribe` / `getSnapshot` pair of core's `RunStore`.
 * Any object with that shape works (a store per tool call, a test double).
 */
export interface RunSource {
  /** Registers a listener called after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** The current state. Must return the same object until the state changes. */
  getSnapshot(): RunState;
}
