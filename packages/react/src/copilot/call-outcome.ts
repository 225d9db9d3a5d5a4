/**
 * What became of a tool call an agent run handed over to the page (a CopilotKit frontend tool:
 * the run completes with the call unanswered, the browser runs the handler, a follow-up run gets
 * the result). The agent's run cannot say; this decides it once, from what the page knows, for
 * every surface: the chat's tool card, the chat's status row of that run, `useAgentRun`.
 *
 * @packageDocumentation
 */
import type { RunState, ToolCallStatus } from "@agentstream/core";
import { toolStatusOfRun } from "@agentstream/core/internal";
import { INTERRUPTED_RESULT } from "./run-tool-handler.js";

/** What the page knows about one handed-over tool call. */
export interface HandedOverEvidence {
  /** The run of its handler on this page (a streaming action's store), if there is one. */
  handler?: RunState | undefined;
  /** CopilotKit is running its handler now. */
  executing?: boolean;
  /** The tool result CopilotKit recorded (its handler's return value, or the thread's tool message). */
  result?: string | undefined;
  /** The handler threw (CopilotKit's error message). */
  error?: string | undefined;
  /**
   * The page may still run the call: the agent's stream is open (arguments streaming, the run not
   * finalized yet), or CopilotKit runs another call of the run first, now or a moment ago
   * ({@link CUT_OFF_AFTER_MS}).
   */
  pending: boolean;
}

/** A tool result that says the call was stopped before it finished. */
export function isInterruptedResult(result: string): boolean {
  return result === INTERRUPTED_RESULT;
}

/**
 * The status of a handed-over call: its handler's run when this page ran it; `called` while
 * CopilotKit runs it; from the recorded result (the interrupted result: `interrupted`;
 * `"Error: …"`: `failed`; anything else: `complete`); `undefined` while it may still be run
 * (`pending`: the agent's stream is open, a handler of the run is running, or was a moment ago:
 * {@link CUT_OFF_AFTER_MS}); else `interrupted`: the call was cut off and nothing will run it
 * (the page that ran it was stopped or reloaded).
 */
export function handedOverStatus(evidence: HandedOverEvidence): ToolCallStatus | undefined {
  const { handler } = evidence;
  if (handler !== undefined && handler.status !== "idle") return toolStatusOfRun(handler);
  if (evidence.executing) return "called";
  if (evidence.error !== undefined) return "failed";
  if (evidence.result !== undefined) {
    if (isInterruptedResult(evidence.result)) return "interrupted";
    return evidence.result.startsWith("Error: ") ? "failed" : "complete";
  }
  return evidence.pending ? undefined : "interrupted";
}

/**
 * How long the page must have been quiet (the agent's stream closed, no handler running) before a
 * handed-over call that nothing ran counts as cut off. CopilotKit starts the run's handlers, one
 * after the other, a few microtasks after the stream closes; React may render in between.
 */
export const CUT_OFF_AFTER_MS = 300;

/** See {@link lingering}. */
export interface Lingering {
  /** `active` as the source reports it now; after it turned false, still true until `ms` passed. */
  read(active: boolean): boolean;
  /** Stops the pending timer. */
  dispose(): void;
}

/**
 * A boolean that turns false only once its source has been false for `ms`: `read(active)` takes
 * the source's value now; when it turns false, `onQuiet` is called `ms` later, and reads from then
 * on say false (until the source is active again). Between those events every read returns the
 * same value. A source never seen active is quiet at once (a page loaded after everything ended).
 */
export function lingering(onQuiet: () => void, ms = CUT_OFF_AFTER_MS): Lingering {
  let value = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    read(active) {
      if (active) {
        clearTimeout(timer);
        timer = undefined;
        value = true;
      } else if (value && timer === undefined) {
        timer = setTimeout(() => {
          timer = undefined;
          value = false;
          onQuiet();
        }, ms);
      }
      return value;
    },
    dispose() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** The subscriber shape of CopilotKit's core that the tracker needs. */
export interface ToolExecutionSource {
  subscribe(subscriber: {
    onToolExecutionStart?: (event: { toolCallId: string }) => void;
    onToolExecutionEnd?: (event: { toolCallId: string; result: string; error?: string }) => void;
  }): { unsubscribe(): void };
}

/** The tool executions CopilotKit reported on this page (see {@link toolExecutions}). */
export interface ToolExecutions {
  /** True while CopilotKit runs the handler of `toolCallId`. */
  isExecuting(toolCallId: string): boolean;
  /**
   * True while CopilotKit runs any handler: it runs a run's calls one after the other, so a call
   * not started yet may still be run.
   */
  readonly busy: boolean;
  /** How the handler of `toolCallId` ended on this page, if it did. */
  ended(toolCallId: string): { result: string; error?: string } | undefined;
  /** Calls `listener` after every start or end; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Increases with every start or end (a snapshot key). */
  readonly version: number;
}

/** Ended executions kept per page before the oldest are forgotten. */
const MAX_ENDED = 500;

const trackers = new WeakMap<object, ToolExecutions>();

/**
 * The tool executions of one CopilotKit core, followed from the first call on for the page's
 * lifetime (one subscription per core, shared by every surface).
 */
export function toolExecutions(copilotkit: ToolExecutionSource): ToolExecutions {
  const known = trackers.get(copilotkit);
  if (known !== undefined) return known;
  const executing = new Set<string>();
  const ended = new Map<string, { result: string; error?: string }>();
  const listeners = new Set<() => void>();
  let version = 0;
  const changed = () => {
    version++;
    for (const l of Array.from(listeners)) l();
  };
  copilotkit.subscribe({
    onToolExecutionStart({ toolCallId }) {
      executing.add(toolCallId);
      ended.delete(toolCallId);
      changed();
    },
    onToolExecutionEnd({ toolCallId, result, error }) {
      executing.delete(toolCallId);
      ended.set(toolCallId, error === undefined ? { result } : { result, error });
      if (ended.size > MAX_ENDED) ended.delete(ended.keys().next().value as string);
      changed();
    },
  });
  const tracker: ToolExecutions = {
    isExecuting: (id) => executing.has(id),
    get busy() {
      return executing.size > 0;
    },
    ended: (id) => ended.get(id),
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    get version() {
      return version;
    },
  };
  trackers.set(copilotkit, tracker);
  return tracker;
}

/** The messages of a CopilotKit agent, as far as finding tool calls and results goes. */
export interface AgentMessageLike {
  id: string;
  role: string;
  content?: unknown;
  toolCallId?: string;
  toolCalls?: readonly { id: string }[];
}

/** The tool result message of `toolCallId` in the thread, if the thread has one. */
export function toolResultOf(messages: readonly AgentMessageLike[], toolCallId: string): string | undefined {
  for (const m of messages) {
    if (m.role === "tool" && m.toolCallId === toolCallId)
      return typeof m.content === "string" ? m.content : JSON.stringify(m.content ?? "");
  }
  return undefined;
}

/**
 * The id of the run an AgentStream activity message belongs to: the server names its activity
 * messages `<runId>:status`, `<runId>:progress` (and `…:<agent>` in multi-agent streams).
 */
export function runIdOfActivity(messageId: string): string | undefined {
  for (const kind of [":status", ":progress"]) {
    const at = messageId.lastIndexOf(kind);
    if (at > 0) return messageId.slice(0, at);
  }
  return undefined;
}

/**
 * The tool calls of run `runId` in the thread: those of its assistant messages (named
 * `<runId>:…` when the call follows text of the run) and of the assistant messages that follow
 * the run's first activity row, up to the next user message or another run's row (a call with no
 * text before it is a message named by the call's id).
 */
export function toolCallIdsOfRun(messages: readonly AgentMessageLike[], runId: string): string[] {
  const prefix = `${runId}:`;
  const ids: string[] = [];
  let inRun = false;
  for (const m of messages) {
    if (m.role === "user") inRun = false;
    else if (m.role === "activity") {
      if (m.id.startsWith(prefix)) inRun = true;
      else if (runIdOfActivity(m.id) !== undefined) inRun = false;
    } else if (m.role === "assistant" && m.toolCalls && (inRun || m.id.startsWith(prefix))) {
      for (const call of m.toolCalls) ids.push(call.id);
    }
  }
  return ids;
}
