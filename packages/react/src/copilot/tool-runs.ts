import { createRunStore, type RunStore } from "@agentstream/core";
import { createContext, useContext, useRef } from "react";

/**
 * The tool-call runs of one provider: one {@link RunStore} per CopilotKit tool call, keyed by
 * `toolCallId`, and the abort controllers of the handlers that are running. The streaming
 * action's handler writes into a store (every `yield` becomes a chunk); the action's render,
 * memoized by CopilotKit on args/result/status, reads it with `useSyncExternalStore`, so the
 * card stays live while the handler runs.
 *
 * It belongs to a provider (`AgentStreamProvider`, or `ToolCallRunsProvider`), not to the module:
 * two providers on a page never share tool calls, and a test gets a fresh one.
 */
export interface ToolCallRuns {
  /** The run store of a tool call, created (empty, status `idle`) on first use. */
  get(toolCallId: string): RunStore;
  /** The run store of a tool call if one exists, without creating it. */
  peek(toolCallId: string): RunStore | undefined;
  /** Forgets every tool-call run (a host that clears its chat). */
  clear(): void;
  /**
   * The signal a tool call's handler gets: aborted when `parent` (CopilotKit's, aborted by
   * `stopAgent`) aborts, or when {@link ToolCallRuns.stop} is called for this call. `release`
   * forgets the call once the handler is done.
   */
  link(toolCallId: string, parent: AbortSignal | undefined): { signal: AbortSignal; release: () => void };
  /** Stops one running tool call (its card's Stop). Returns false when no handler of that call runs. */
  stop(toolCallId: string, reason?: string): boolean;
  /** True while the handler of a tool call is running. */
  isRunning(toolCallId: string): boolean;
  /** Waits for the answer to question `askId` of a tool call's handler (`yield ask(...)`). */
  waitAnswer(toolCallId: string, askId: string, signal: AbortSignal): Promise<unknown>;
  /** Answers question `askId` of a tool call (its card's AskCard); false when nothing waits on it. */
  answer(toolCallId: string, askId: string, value: unknown): boolean;
}

/** Finished runs kept for the chat history before the oldest are dropped. */
const MAX_RUNS = 500;

/** Creates an empty {@link ToolCallRuns}. */
export function createToolCallRuns(): ToolCallRuns {
  const runs = new Map<string, RunStore>();
  const controllers = new Map<string, AbortController>();
  const waiting = new Map<string, (value: unknown) => void>();

  const evict = (): void => {
    if (runs.size <= MAX_RUNS) return;
    for (const [id, store] of runs) {
      if (runs.size <= MAX_RUNS) return;
      const state = store.getSnapshot();
      if (state.done || state.status === "idle") runs.delete(id);
    }
  };

  return {
    get(toolCallId) {
      let store = runs.get(toolCallId);
      if (!store) {
        store = createRunStore();
        runs.set(toolCallId, store);
        evict();
      }
      return store;
    },
    peek: (toolCallId) => runs.get(toolCallId),
    clear() {
      runs.clear();
    },
    link(toolCallId, parent) {
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
    },
    stop(toolCallId, reason = "stopped") {
      const controller = controllers.get(toolCallId);
      if (!controller) return false;
      controller.abort(reason);
      return true;
    },
    isRunning: (toolCallId) => controllers.has(toolCallId),
    waitAnswer(toolCallId, askId, signal) {
      const key = `${toolCallId}\u0000${askId}`;
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          waiting.delete(key);
          reject(signal.reason);
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        waiting.set(key, (value) => {
          signal.removeEventListener("abort", onAbort);
          waiting.delete(key);
          resolve(value);
        });
      });
    },
    answer(toolCallId, askId, value) {
      const deliver = waiting.get(`${toolCallId}\u0000${askId}`);
      if (!deliver) return false;
      deliver(value);
      return true;
    },
  };
}

/** The provider's {@link ToolCallRuns}; `null` outside `AgentStreamProvider` / `ToolCallRunsProvider`. */
export const ToolCallRunsContext = createContext<ToolCallRuns | null>(null);

/** Provides a fresh {@link ToolCallRuns} to its children (`AgentStreamProvider` includes one). */
export const ToolCallRunsProvider = ToolCallRunsContext.Provider;

/**
 * The tool-call runs of the nearest provider; without one, a set owned by the calling component
 * (its actions' handlers and renders still share it, nothing else does).
 */
export function useToolCallRuns(): ToolCallRuns {
  const provided = useContext(ToolCallRunsContext);
  const own = useRef<ToolCallRuns | null>(null);
  if (provided) return provided;
  own.current ??= createToolCallRuns();
  return own.current;
}
