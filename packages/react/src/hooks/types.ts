import type { RunConnectionStatus, RunInput, RunState, RunStore } from "@agentstream/core";

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

/**
 * Where a run is, as both run hooks report it (`useAgentStream` of `/sse`, `useAgentRun` of
 * `/copilot`): core's run-client status. `reconnecting` only happens on the SSE transport (the
 * run client resumes a dropped connection); CopilotKit's transport never reports it.
 */
export type AgentRunStatus = RunConnectionStatus;

/** What a run may be started with: a prompt (one user message) or a partial `RunAgentInput`. */
export type AgentRunInput = string | RunInput;

/**
 * The one shape of the run hooks (`useAgentStream` and `useAgentRun`): the run's state and
 * store, its status and error, and `start` / `stop`.
 */
export interface AgentRunControls {
  /** The run so far (frame-batched: at most one re-render per animation frame). */
  run: RunState;
  /** The run's store, for `<StreamView store={store} />` or `useRun(store, selector)` in children. */
  store: RunStore;
  /** `idle` → `running` (⇄ `reconnecting`) → `done` | `error` | `stopped`. */
  status: AgentRunStatus;
  /** Why the run failed (HTTP, network, the agent's error); `undefined` otherwise. */
  error: Error | undefined;
  /** Starts a run; resolves when it ends and never rejects (read `status` and `error`). */
  start: (input?: AgentRunInput) => Promise<void>;
  /** Stops the run (the agent on the server stops too). */
  stop: () => void;
}
