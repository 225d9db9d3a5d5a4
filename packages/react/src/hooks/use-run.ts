import { type RunState, settleRun } from "@agentstream/core";
import { useRef, useSyncExternalStore } from "react";
import { getFrameBatcher } from "./frame-batcher.js";
import type { RunSource } from "./types.js";

interface SelectionCache {
  snapshot: RunState;
  selector: unknown;
  value: unknown;
}

/**
 * Reads a run store in a component.
 *
 * Built on `useSyncExternalStore`, with the store's notifications coalesced to at most one React
 * commit per animation frame (`requestAnimationFrame`, or a 16 ms timeout where there is none):
 * a burst of thousands of chunks pushed synchronously costs one render, never "Maximum update
 * depth exceeded". During SSR nothing is scheduled; the server snapshot is the current state.
 *
 * The state is core's `settleRun` of the store's snapshot: once the run has ended, nothing in it
 * still looks live (a call still "called" takes the run's end, the step under way is `stopped`
 * or `failed`, busy status segments leave the timeline), so every component shows one status.
 * While the run goes it is the store's snapshot itself.
 *
 * With a `selector`, the component re-renders only when the selected value changes
 * (`Object.is`, or `isEqual` when given).
 *
 * @example
 * const run = useRun(store);
 * const status = useRun(store, (s) => s.status);
 */
export function useRun(store: RunSource): RunState;
export function useRun<T>(
  store: RunSource,
  selector: (state: RunState) => T,
  isEqual?: (a: T, b: T) => boolean,
): T;
export function useRun<T>(
  store: RunSource,
  selector?: (state: RunState) => T,
  isEqual?: (a: T, b: T) => boolean,
): T | RunState {
  const cache = useRef<SelectionCache | null>(null);

  const getSelection = (): T | RunState => {
    const snapshot = settleRun(store.getSnapshot());
    if (!selector) return snapshot;
    const cached = cache.current;
    if (cached && cached.snapshot === snapshot && cached.selector === selector) {
      return cached.value as T;
    }
    const value = selector(snapshot);
    if (cached && (isEqual ? isEqual(cached.value as T, value) : Object.is(cached.value, value))) {
      cached.snapshot = snapshot;
      cached.selector = selector;
      return cached.value as T;
    }
    cache.current = { snapshot, selector, value };
    return value;
  };

  return useSyncExternalStore(getFrameBatcher(store).subscribe, getSelection, getSelection);
}
