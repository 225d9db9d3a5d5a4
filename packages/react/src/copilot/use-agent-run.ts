import { createRunStore, type RunState, type RunStore, toChunk } from "@agentstream/core";
import { useAgent, useCopilotKit } from "@copilotkit/react-core/v2";
import { useCallback, useEffect, useState } from "react";
import { useRun } from "../hooks/use-run.js";

/** What {@link useAgentRun} returns. */
export interface AgentRun {
  /** The live run store of the agent's current (or last) run: pass it to `StreamView`, `useRun` ... */
  store: RunStore;
  /** The run as state (frame-batched: at most one re-render of the caller per animation frame). */
  run: RunState;
  /** True while a run is under way. */
  running: boolean;
  /** Stops the agent's run, as the chat's Stop button does (CopilotKit's `stopAgent`). */
  stop: () => void;
  /** The CopilotKit agent. */
  agent: ReturnType<typeof useAgent>["agent"];
}

const NO_UPDATES: [] = [];

/**
 * The live run of a CopilotKit agent as a run store, so any component can show what the chat's
 * agent is doing: text, thinking, tool calls, and the progress and status the AgentStream server
 * streams (ACTIVITY events).
 *
 * Subscribes to every AG-UI event of `useAgent({ agentId }).agent` and folds it with core's
 * reducer; a new run (RUN_STARTED, e.g. the follow-up after a frontend tool) starts a fresh
 * state. A run that ends without RUN_FINISHED (stopped, connection lost) is marked
 * `interrupted`, or `error` when it failed. The calling component does not re-render on chat
 * messages, only on run changes (at most once per frame); read `store` in a child to avoid even that.
 *
 * Must be used under CopilotKit's `CopilotKitProvider`.
 *
 * @param agentId - the agent (default: the chat's agent, else `"default"`)
 *
 * @example
 * function AgentPanel() {
 *   const { store, running, stop } = useAgentRun("research");
 *   return (
 *     <>
 *       <StreamView store={store} />
 *       <StopButton running={running} onStop={stop} />
 *     </>
 *   );
 * }
 */
export function useAgentRun(agentId?: string): AgentRun {
  const { agent } = useAgent({ agentId, updates: NO_UPDATES });
  const { copilotkit } = useCopilotKit();
  const [store] = useState(createRunStore);

  useEffect(() => {
    let seq = 0;
    const end = (chunk: Parameters<typeof toChunk>[0]) => {
      const state = store.getSnapshot();
      if (state.status === "idle" || state.done) return;
      store.push(toChunk(chunk, state.metrics.chunkCount + seq++));
    };
    const subscription = agent.subscribe({
      onEvent({ event }) {
        if (event.type === "RUN_STARTED") store.reset();
        store.pushEvent(event);
      },
      onRunFailed({ error }) {
        end({ type: "error", message: error.message, recoverable: false });
      },
      onRunFinalized() {
        end({ type: "interrupted", reason: "stopped", partial: store.getSnapshot().text || undefined });
      },
    });
    return () => subscription.unsubscribe();
  }, [agent, store]);

  const run = useRun(store);
  const stop = useCallback(() => copilotkit.stopAgent({ agent }), [copilotkit, agent]);
  return { store, run, running: run.status !== "idle" && !run.done, stop, agent };
}
