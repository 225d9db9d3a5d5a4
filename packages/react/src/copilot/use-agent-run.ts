import { createRunStore, type RunState, type RunStore, toChunk, toRunAgentInput } from "@agentstream/core";
import { useAgent, useCopilotKit } from "@copilotkit/react-core/v2";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { AgentRunControls, AgentRunInput, AgentRunStatus } from "../hooks/types.js";
import { useRun } from "../hooks/use-run.js";

/** What {@link useAgentRun} returns: the shape every run hook shares, plus CopilotKit's agent. */
export interface AgentRun extends AgentRunControls {
  /** True while a run is under way. */
  running: boolean;
  /** The CopilotKit agent. */
  agent: ReturnType<typeof useAgent>["agent"];
}

const NO_UPDATES: [] = [];

/** The status of a run folded from CopilotKit's events (its transport never reconnects). */
function statusOf(run: RunState): AgentRunStatus {
  if (run.status === "idle") return "idle";
  if (run.error !== undefined) return "error";
  if (run.interruption !== undefined) return "stopped";
  return run.done ? "done" : "running";
}

/**
 * The live run of a CopilotKit agent as a run store, so any component can show what the chat's
 * agent is doing: text, thinking, tool calls, and the progress and status the AgentStream server
 * streams (ACTIVITY events).
 *
 * Returns the same shape as `useAgentStream` (`{ run, store, status, error, start, stop }`),
 * plus `running` and the CopilotKit `agent`. `start(input)` adds the user's message to the
 * agent and runs it (as the chat's send does); `stop()` is the chat's Stop.
 *
 * Subscribes to every AG-UI event of `useAgent({ agentId }).agent` and folds it with core's
 * reducer; a new run (RUN_STARTED, e.g. the follow-up after a frontend tool) starts a fresh
 * state, and so does a new `agentId` (the store belongs to one agent). A run that ends without
 * RUN_FINISHED (stopped, connection lost) is marked `interrupted`, or `error` when it failed.
 * The calling component re-renders on run changes only (at most once per frame).
 *
 * Must be used under CopilotKit's `CopilotKitProvider`.
 *
 * @param agentId - the agent (default: the chat's agent, else `"default"`)
 *
 * @example
 * function AgentPanel() {
 *   const { store, status, stop } = useAgentRun("research");
 *   return (
 *     <>
 *       <StreamView store={store} />
 *       <StopButton running={status === "running"} onStop={stop} />
 *     </>
 *   );
 * }
 */
export function useAgentRun(agentId?: string): AgentRun {
  const { agent } = useAgent({ agentId, updates: NO_UPDATES });
  const { copilotkit } = useCopilotKit();
  // One store per agent: a new agentId starts from an empty run, not the old agent's.
  const [owned, setOwned] = useState(() => ({ agent, store: createRunStore() }));
  let store: RunStore = owned.store;
  if (owned.agent !== agent) {
    const next = { agent, store: createRunStore() };
    setOwned(next);
    store = next.store;
  }
  const [failure, setFailure] = useState<Error | undefined>(undefined);

  useEffect(() => {
    let seq = 0;
    setFailure(undefined);
    const end = (chunk: Parameters<typeof toChunk>[0]) => {
      const state = store.getSnapshot();
      if (state.status === "idle" || state.done) return;
      store.push(toChunk(chunk, state.metrics.chunkCount + seq++));
    };
    const subscription = agent.subscribe({
      onEvent({ event }) {
        if (event.type === "RUN_STARTED") {
          store.reset();
          setFailure(undefined);
        }
        store.pushEvent(event);
      },
      onRunFailed({ error }) {
        setFailure(error);
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
  const start = useCallback(
    async (input?: AgentRunInput) => {
      const { messages } = toRunAgentInput(input);
      for (const message of messages) agent.addMessage(message as never);
      try {
        await copilotkit.runAgent({ agent });
      } catch (error) {
        setFailure(error instanceof Error ? error : new Error(String(error)));
      }
    },
    [copilotkit, agent],
  );
  const status = statusOf(run);
  const runError = run.error;
  const error = useMemo(
    () => failure ?? (runError ? new Error(runError.message) : undefined),
    [failure, runError],
  );
  return { store, run, status, error, start, stop, running: run.status !== "idle" && !run.done, agent };
}
