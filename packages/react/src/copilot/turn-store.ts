import type { RunState, RunStore, ToolCallStatus } from "@agentstream/core";
import { applyToolOutcomes, awaitingToolCalls } from "@agentstream/core/internal";
import {
  type AgentMessageLike,
  handedOverStatus,
  lingering,
  type ToolExecutions,
  toolResultOf,
} from "./call-outcome.js";
import type { ToolCallRuns } from "./tool-runs.js";

/** Where a {@link TurnStore} learns what became of the calls a run handed over. */
export interface TurnSources {
  /** The provider's tool-call runs (the streaming actions' handler runs), if there is a provider. */
  runs: ToolCallRuns | null;
  /** The tool executions CopilotKit reported on this page. */
  executions: ToolExecutions;
  /** The thread's messages (tool results CopilotKit recorded, also after a reload). */
  messages: () => readonly AgentMessageLike[];
}

/**
 * A run store whose state is the agent's turn: the agent run folded by `base`, with what became
 * of the calls it handed over to the page ({@link handedOverStatus}) applied by core's
 * `applyToolOutcomes`: while the page runs such a call (or still may: the agent's stream has not
 * closed) the turn is busy (`acting`); a stopped or cut-off call ends it `interrupted`. Pushes go
 * to `base`.
 */
export interface TurnStore extends RunStore {
  /** The store of the agent run itself (what the stream said, without the handed-over calls' outcomes). */
  readonly base: RunStore;
  /** Whether the agent's stream of the current run is still open (it is until CopilotKit finalizes it). */
  setOpen(open: boolean): void;
}

function sameOutcomes(
  a: Readonly<Record<string, ToolCallStatus>>,
  b: Readonly<Record<string, ToolCallStatus>>,
) {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Creates a {@link TurnStore} over `base`. */
export function createTurnStore(base: RunStore, sources: TurnSources): TurnStore {
  let open = true;
  const listeners = new Set<() => void>();
  const watched = new Map<string, () => void>();
  let cache: { raw: RunState; outcomes: Record<string, ToolCallStatus>; state: RunState } | undefined;
  let detach: (() => void) | undefined;
  // The stream open, or CopilotKit running a handler, now or a moment ago (it starts the run's
  // handlers a few microtasks after the stream closes, one after the other).
  const mayRun = lingering(() => notify());

  const outcomesOf = (raw: RunState): Record<string, ToolCallStatus> => {
    const outcomes: Record<string, ToolCallStatus> = {};
    const awaiting = awaitingToolCalls(raw);
    if (awaiting.length === 0) return outcomes;
    const messages = sources.messages();
    const pending = mayRun.read(open || sources.executions.busy);
    for (const call of awaiting) {
      const ended = sources.executions.ended(call.id);
      const status = handedOverStatus({
        handler: sources.runs?.peek(call.id)?.getSnapshot(),
        executing: sources.executions.isExecuting(call.id),
        result: ended?.result ?? toolResultOf(messages, call.id),
        error: ended?.error,
        pending,
      });
      // Undecided while the stream is open: CopilotKit runs the page's tools once it closes.
      outcomes[call.id] = status ?? "called";
    }
    return outcomes;
  };

  const notify = () => {
    watch();
    for (const l of Array.from(listeners)) l();
  };

  /** Follows the handler runs of the calls the current run handed over. */
  const watch = () => {
    const runs = sources.runs;
    if (runs === null || listeners.size === 0) return;
    for (const call of awaitingToolCalls(base.getSnapshot())) {
      if (!watched.has(call.id)) watched.set(call.id, runs.get(call.id).subscribe(notify));
    }
  };

  const attach = () => {
    const offBase = base.subscribe(notify);
    const offExec = sources.executions.subscribe(notify);
    detach = () => {
      offBase();
      offExec();
      for (const off of watched.values()) off();
      watched.clear();
    };
  };

  return {
    base,
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) attach();
      watch();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          detach?.();
          detach = undefined;
        }
      };
    },
    getSnapshot() {
      const raw = base.getSnapshot();
      const outcomes = outcomesOf(raw);
      if (cache !== undefined && cache.raw === raw && sameOutcomes(cache.outcomes, outcomes))
        return cache.state;
      cache = { raw, outcomes, state: applyToolOutcomes(raw, outcomes) };
      return cache.state;
    },
    push: (input) => base.push(input),
    pushEvent: (event) => base.pushEvent(event),
    pushMany: (inputs) => base.pushMany(inputs),
    reset: () => base.reset(),
    setOpen(next) {
      if (next === open) return;
      open = next;
      notify();
    },
  };
}
