import { createRunStore, type RunStore } from "@agentstream/core";

/**
 * The module-level registry of tool-call runs: one {@link RunStore} per CopilotKit tool call,
 * keyed by `toolCallId`. The streaming action's handler writes into it (every `yield` becomes a
 * chunk); the action's render, memoized by CopilotKit on args/result/status, reads it with
 * `useSyncExternalStore`, so the card stays live while the handler runs.
 */
const runs = new Map<string, RunStore>();

/** Finished runs kept for the chat history before the oldest are dropped. */
const MAX_RUNS = 500;

function evict(): void {
  if (runs.size <= MAX_RUNS) return;
  for (const [id, store] of runs) {
    if (runs.size <= MAX_RUNS) return;
    const state = store.getSnapshot();
    if (state.done || state.status === "idle") runs.delete(id);
  }
}

/**
 * The run store of a tool call, created (empty, status `idle`) on first use. The render may ask
 * before the handler starts (while the arguments stream); both get the same store.
 */
export function getToolCallRun(toolCallId: string): RunStore {
  let store = runs.get(toolCallId);
  if (!store) {
    store = createRunStore();
    runs.set(toolCallId, store);
    evict();
  }
  return store;
}

/** The run store of a tool call if one exists, without creating it. */
export function peekToolCallRun(toolCallId: string): RunStore | undefined {
  return runs.get(toolCallId);
}

/** Forgets every tool-call run (tests; a host that clears its chat). */
export function clearToolCallRuns(): void {
  runs.clear();
}

/** Abort controllers of the tool calls whose handler is running, by `toolCallId`. */
const controllers = new Map<string, AbortController>();

/**
 * The signal a tool call's handler gets: aborted when `parent` (CopilotKit's, aborted by
 * `stopAgent`) aborts, or when {@link stopToolCall} is called for this call. `release` forgets
 * the call once the handler is done.
 */
export function linkToolCallSignal(
  toolCallId: string,
  parent: AbortSignal | undefined,
): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) onAbort();
  else parent?.addEventListener("abort", onAbort, { once: true });
  controllers.set(toolCallId, controller);
  return {
    signal: controller.signal,
    release() {
      parent?.removeEventListener("abort", onAbort);
      if (controllers.get(toolCallId) === controller) controllers.delete(toolCallId);
    },
  };
}

/**
 * Stops one running tool call (the Stop button of its card): its handler's `signal` aborts, the
 * generator is closed (its `finally` runs) and the agent receives the "interrupted" result.
 * Returns false when no handler of that call is running.
 */
export function stopToolCall(toolCallId: string, reason = "stopped"): boolean {
  const controller = controllers.get(toolCallId);
  if (!controller) return false;
  controller.abort(reason);
  return true;
}

/** True while the handler of a tool call is running on this page. */
export function isToolCallRunning(toolCallId: string): boolean {
  return controllers.has(toolCallId);
}
