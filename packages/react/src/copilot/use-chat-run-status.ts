import { isBusyStatus, type RunStatus, type ToolCallStatus, turnStatus } from "@agentstream/core";
import { useCopilotKit } from "@copilotkit/react-core/v2";
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import {
  type AgentMessageLike,
  handedOverStatus,
  type Lingering,
  lingering,
  runIdOfActivity,
  type ToolExecutionSource,
  type ToolExecutions,
  toolCallIdsOfRun,
  toolExecutions,
  toolResultOf,
} from "./call-outcome.js";

/**
 * The tool executions of the provider's CopilotKit core; `undefined` outside a provider (a server
 * render, a test of the view alone). `useCopilotKit` throws there, at the same hook each time.
 */
function useToolExecutions(): ToolExecutions | undefined {
  try {
    // biome-ignore lint/correctness/useHookAtTopLevel: called on every render at this one place; outside a provider it always throws here.
    return toolExecutions(useCopilotKit().copilotkit as unknown as ToolExecutionSource);
  } catch {
    return undefined;
  }
}

/**
 * A {@link lingering} boolean for a component: its quiet timer re-reads through the store
 * subscription (`bind` it in `subscribe`), and is stopped on unmount.
 */
function useLingering(): { linger: Lingering; bind: (onChange: (() => void) | undefined) => void } {
  const [api] = useState(() => {
    let listener: (() => void) | undefined;
    return {
      linger: lingering(() => listener?.()),
      bind: (onChange: (() => void) | undefined) => {
        listener = onChange;
      },
    };
  });
  useEffect(() => () => api.linger.dispose(), [api]);
  return api;
}

/** The part of a CopilotKit agent the hook reads. */
export interface ChatAgentLike {
  isRunning: boolean;
  messages: readonly unknown[];
  subscribe(subscriber: Record<string, (...args: never[]) => void>): { unsubscribe(): void };
}

/**
 * Calls `onEnd` once the agent's run (or reconnect) now under way has ended. AG-UI hands a run's
 * events and its end only to the subscribers it started with, so a component mounted mid-run
 * (a card rendered by a reload's replay) would never hear it: this waits on the agent's own
 * completion promise, else checks `isRunning` every 200 ms. Returns the cancel function.
 */
function whenRunEnds(agent: ChatAgentLike, onEnd: () => void): () => void {
  if (!agent.isRunning) return () => {};
  let cancelled = false;
  const completion = (agent as { activeRunCompletionPromise?: unknown }).activeRunCompletionPromise;
  if (completion instanceof Promise) {
    void completion.then(() => {
      if (!cancelled) onEnd();
    });
    return () => {
      cancelled = true;
    };
  }
  const timer = setInterval(() => {
    if (agent.isRunning) return;
    clearInterval(timer);
    if (!cancelled) onEnd();
  }, 200);
  return () => {
    cancelled = true;
    clearInterval(timer);
  };
}

/**
 * Whether the page may still run a tool call `agent`'s run handed over: its stream is open
 * (`agent.isRunning`), or CopilotKit is running one of the run's calls (it runs them one after
 * the other). Re-read on every run start and end and every tool execution; `useSyncExternalStore`
 * reads it again once subscribed, so an end between the render and the subscription (a reload's
 * replay that finishes fast) is not missed.
 */
export function useCallsMayRun(agent: ChatAgentLike | undefined): boolean {
  const executions = useToolExecutions();
  const { linger, bind } = useLingering();
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (agent === undefined) return () => {};
      const changed = () => onChange();
      bind(changed);
      const cancelEnd = whenRunEnds(agent, changed);
      const subscription = agent.subscribe({
        onRunInitialized: changed,
        onRunFinalized: changed,
        onRunFailed: changed,
      });
      const off = executions?.subscribe(changed);
      return () => {
        bind(undefined);
        cancelEnd();
        subscription.unsubscribe();
        off?.();
      };
    },
    [agent, executions, bind],
  );
  const read = () => linger.read(agent?.isRunning === true || executions?.busy === true);
  return useSyncExternalStore(subscribe, read, read);
}

interface ActivityMessageLike extends AgentMessageLike {
  content?: { status?: unknown; final?: unknown };
}

/**
 * The status of the run an AgentStream activity row belongs to, as the chat must show it: the
 * run's own end (its `agentstream.status` row's final snapshot), turned by what became of the
 * tool calls it handed over to the page (core's `turnStatus`: a call the page still runs keeps
 * it `acting`; a call stopped, or cut off by a reload, makes a completed run `interrupted`).
 * `undefined` while the run goes (the row's own status applies).
 *
 * @param messageId - the activity message's id (`<runId>:status`, `<runId>:progress`, …)
 * @param agent - the agent whose thread holds the message (the activity renderer's `agent`)
 * @param agentName - the agent of a multi-agent stream's row, if any
 */
export function useChatRunStatus(
  messageId: string,
  agent: ChatAgentLike | undefined,
  agentName?: string,
): RunStatus | undefined {
  // Outside a provider (a server render, a test) there is no thread to read: the row's own status.
  const executions = useToolExecutions();
  const { linger, bind } = useLingering();
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (agent === undefined || executions === undefined) return () => {};
      const changed = () => onChange();
      bind(changed);
      const subscription = agent.subscribe({
        onMessagesChanged: changed,
        onRunInitialized: changed,
        onRunFinalized: changed,
        onRunFailed: changed,
      });
      const off = executions.subscribe(changed);
      // Mounted mid-run (a reload's replay), the agent tells this subscriber nothing of that run.
      const cancelEnd = whenRunEnds(agent, changed);
      return () => {
        bind(undefined);
        cancelEnd();
        subscription.unsubscribe();
        off();
      };
    },
    [agent, executions, bind],
  );
  const read = (): RunStatus | undefined => {
    const runId = runIdOfActivity(messageId);
    if (agent === undefined || executions === undefined || runId === undefined) return undefined;
    const messages = agent.messages as readonly ActivityMessageLike[];
    const statusId = agentName === undefined ? `${runId}:status` : `${runId}:status:${agentName}`;
    const row = messages.find((m) => m.role === "activity" && m.id === statusId)?.content;
    const status = typeof row?.status === "string" ? (row.status as RunStatus) : undefined;
    // The stream open or a handler of the page running, now or a moment ago.
    const pending = linger.read(agent.isRunning || executions.busy);
    if (row?.final !== true || status === undefined) {
      // A run whose stream closed without saying how it ended was cut off.
      return !pending && status !== undefined && isBusyStatus(status) ? "interrupted" : undefined;
    }
    if (status !== "completed") return status;
    const outcomes: ToolCallStatus[] = [];
    for (const id of toolCallIdsOfRun(messages, runId)) {
      const ended = executions.ended(id);
      const outcome = handedOverStatus({
        executing: executions.isExecuting(id),
        result: ended?.result ?? toolResultOf(messages, id),
        error: ended?.error,
        pending,
      });
      if (outcome !== undefined) outcomes.push(outcome);
    }
    return turnStatus(status, outcomes);
  };
  return useSyncExternalStore(subscribe, read, read);
}
