import { createRunStore, type RunState, toChunk, toRunAgentInput } from "@agentstream/core";
import { awaitingToolCalls, runEnd } from "@agentstream/core/internal";
import { useAgent, useCopilotKit } from "@copilotkit/react-core/v2";
import { useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { AgentRunControls, AgentRunInput, AgentRunStatus } from "../hooks/types.js";
import { useRun } from "../hooks/use-run.js";
import { type AgentMessageLike, type ToolExecutionSource, toolExecutions } from "./call-outcome.js";
import { ToolCallRunsContext } from "./tool-runs.js";
import { createTurnStore, type TurnStore } from "./turn-store.js";

/** What {@link useAgentRun} returns: the shape every run hook shares, plus CopilotKit's agent. */
export interface AgentRun extends AgentRunControls {
  /** True while a run is under way. */
  running: boolean;
  /** The CopilotKit agent. */
  agent: ReturnType<typeof useAgent>["agent"];
  /**
   * The tool calls the current run handed over to the page (a completed run's unanswered calls:
   * frontend tools), oldest first, whatever became of them since (their status in
   * `run.toolCalls`: `called` while the page runs one, the turn is `acting` meanwhile). Empty
   * while the run goes and once a new run starts.
   */
  handedOver: readonly string[];
}

const NO_UPDATES: [] = [];
const NO_CALLS: readonly string[] = [];

/** The status of a run folded from CopilotKit's events (its transport never reconnects). */
function statusOf(run: RunState): AgentRunStatus {
  if (run.status === "idle") return "idle";
  const end = runEnd(run);
  if (end === undefined) return "running";
  return end === "error" ? "error" : end === "interrupted" ? "stopped" : "done";
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
 * The state is the agent's turn, settled (core's `applyToolOutcomes` and `settleRun`): when the
 * run hands a frontend tool over to the page, the turn stays busy (`acting`, `running`, Stop
 * stops the tool) while the page runs it; a tool stopped (or cut off by a reload) ends the turn
 * `interrupted`, call and steps included, as the chat's card and status row show it. The
 * handler runs are read from the provider's tool-call runs (`AgentStreamProvider`) and from
 * CopilotKit's tool-execution events.
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
  const runs = useContext(ToolCallRunsContext);
  // One store per agent: a new agentId starts from an empty run, not the old agent's.
  const make = (): { agent: typeof agent; store: TurnStore } => ({
    agent,
    store: createTurnStore(createRunStore(), {
      runs,
      executions: toolExecutions(copilotkit as unknown as ToolExecutionSource),
      messages: () => agent.messages as readonly AgentMessageLike[],
    }),
  });
  const [owned, setOwned] = useState(make);
  let store: TurnStore = owned.store;
  if (owned.agent !== agent) {
    const next = make();
    setOwned(next);
    store = next.store;
  }
  const [failure, setFailure] = useState<Error | undefined>(undefined);

  useEffect(() => {
    let seq = 0;
    setFailure(undefined);
    const end = (chunk: Parameters<typeof toChunk>[0]) => {
      const state = store.base.getSnapshot();
      if (state.status === "idle" || state.done) return;
      store.push(toChunk(chunk, state.metrics.chunkCount + seq++));
    };
    const subscription = agent.subscribe({
      onEvent({ event }) {
        if (event.type === "RUN_STARTED") {
          store.reset();
          store.setOpen(true);
          setFailure(undefined);
        }
        store.pushEvent(event);
      },
      onRunFailed({ error }) {
        setFailure(error);
        end({ type: "error", message: error.message, recoverable: false });
        store.setOpen(false);
      },
      onRunFinalized() {
        end({ type: "interrupted", reason: "stopped", partial: store.base.getSnapshot().text || undefined });
        // CopilotKit runs the frontend tools the run handed over right after this (no render in
        // between): from now on a call nothing runs was cut off.
        store.setOpen(false);
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
  // The agent run itself (what the stream said): this render follows its changes through `run`.
  const raw = store.base.getSnapshot();
  const handedOver = useMemo(() => {
    const calls = awaitingToolCalls(raw);
    return calls.length === 0 ? NO_CALLS : calls.map((call) => call.id);
  }, [raw]);
  const status = statusOf(run);
  const runError = run.error;
  const error = useMemo(
    () => failure ?? (runError ? new Error(runError.message) : undefined),
    [failure, runError],
  );
  return {
    store,
    run,
    status,
    error,
    start,
    stop,
    running: run.status !== "idle" && !run.done,
    agent,
    handedOver,
  };
}
