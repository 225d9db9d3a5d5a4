import { scheduleFrame } from "../internal/frame.js";
import type { RunSource } from "./types.js";

/**
 * One per store: subscribes to the store once and fans its notifications out to React at most
 * once per animation frame. All of a store's components are notified in the same frame callback,
 * so React batches them into one commit.
 */
interface FrameBatcher {
  subscribe(listener: () => void): () => void;
}

const batchers = /* @__PURE__ */ new WeakMap<RunSource, FrameBatcher>();

function createFrameBatcher(store: RunSource): FrameBatcher {
  const listeners = new Set<() => void>();
  let unsubscribe: (() => void) | null = null;
  let cancel: (() => void) | null = null;

  const flush = () => {
    cancel = null;
    for (const listener of Array.from(listeners)) listener();
  };
  const onStoreChange = () => {
    if (cancel === null) cancel = scheduleFrame(flush);
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (unsubscribe === null) unsubscribe = store.subscribe(onStoreChange);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          unsubscribe?.();
          unsubscribe = null;
          cancel?.();
          cancel = null;
        }
      };
    },
  };
}

/** The frame batcher of a store (created on first use, collected with the store). */
export function getFrameBatcher(store: RunSource): FrameBatcher {
  let batcher = batchers.get(store);
  if (!batcher) {
    batcher = createFrameBatcher(store);
    batchers.set(store, batcher);
  }
  return batcher;
}
