/**
 * The shape of a run as the UI sees it: everything a stream has said so far, folded.
 * Produced by the run reducer ({@link RunStore}); read by renderers.
 *
 * Segment objects are immutable: when a segment changes (more text arrives) it is replaced
 * by a new object, so a renderer can memoize per segment and re-render only the tail.
 *
 * @packageDocumentation
 */
import type { AgentStatusValue, AskChoice, AskStateValue } from "./chunk.js";

/** The lifecycle of a whole run as shown to users. */
export type RunStatus = "idle" | AgentStatusValue | "interrupted" | "error";

/** All run statuses, in display order. */
export const RUN_STATUSES = [
  "idle",
  "started",
  "thinking",
  "acting",
  "observing",
  "completed",
  "interrupted",
  "error",
] as const satisfies readonly RunStatus[];

/** One status change, with when it happened. */
export interface StatusChange {
  status: RunStatus;
  iteration?: number;
  at: number;
  agent?: string;
}

/**
 * The state of one step in a step list. `stopped`: the run was interrupted while the step was
 * under way (neutral, not a failure; see `settleRun`).
 */
export type StepState = "pending" | "active" | "done" | "failed" | "stopped";

/** One step of a run's progress. */
export interface ProgressStep {
  label: string;
  state: StepState;
  startedAt?: number;
  endedAt?: number;
  /** `endedAt - startedAt`, once the step has ended. */
  duration?: number;
}

/** Progress of the run: `current` of `total` (total absent when unknown). */
export interface ProgressState {
  current: number;
  total?: number;
  label: string;
  message?: string;
  /** Steps in the order they were first reported. */
  steps: readonly ProgressStep[];
}

/** The lifecycle of one tool call. */
export type ToolCallStatus = "streaming" | "called" | "complete" | "failed" | "interrupted";

/** A tool call, with its arguments parsed (partially, while they stream) and its result. */
export interface ToolCallState {
  id: string;
  name: string;
  agent?: string;
  /** The JSON text of the arguments received so far. */
  argsText: string;
  /** The arguments parsed from `argsText`; partial JSON is parsed as far as it goes. */
  args: Record<string, unknown>;
  status: ToolCallStatus;
  result?: unknown;
  success?: boolean;
  startedAt: number;
  endedAt?: number;
}

/** The final result of a run. */
export interface RunResult {
  output: unknown;
  success: boolean;
  duration?: number;
}

/** The error that ended (or interrupted) a run. */
export interface RunError {
  message: string;
  code?: string;
  recoverable?: boolean;
}

/** Why and where a run was interrupted. */
export interface RunInterruption {
  reason: string;
  partial?: string;
  at: number;
}

/** A question the agent asked (the latest `ask` chunk of its id). */
export interface AskState {
  id: string;
  prompt: string;
  choices?: readonly AskChoice[];
  schema?: Record<string, unknown>;
  /** `open` until answered; `expired` (timeout) or `cancelled` (the run ended) without an answer. */
  state: AskStateValue;
  /** The answer, once `answered`. */
  value?: unknown;
  agent?: string;
  /** When it was asked. */
  at: number;
}

/**
 * One renderable piece of the run's timeline, in arrival order.
 * Consecutive tokens (of the same agent) form one `text` segment; consecutive thinking
 * deltas form one `thinking` segment.
 */
export type TimelineSegment =
  | { kind: "text"; id: string; agent?: string; text: string }
  | { kind: "thinking"; id: string; agent?: string; text: string; startedAt: number; endedAt?: number }
  | { kind: "tool"; id: string; agent?: string; toolCallId: string }
  | { kind: "status"; id: string; agent?: string; status: RunStatus; iteration?: number; at: number }
  | {
      kind: "progress";
      id: string;
      agent?: string;
      current: number;
      total?: number;
      label: string;
      message?: string;
    }
  | { kind: "result"; id: string; agent?: string; result: RunResult }
  | { kind: "error"; id: string; agent?: string; error: RunError }
  | { kind: "interrupted"; id: string; agent?: string; interruption: RunInterruption }
  | { kind: "ask"; id: string; agent?: string; ask: AskState };

/** The kind of a timeline segment. */
export type SegmentKind = TimelineSegment["kind"];

/**
 * Tokens a model used, as reported by its provider. Chunks carry it in `metadata.usage` (for
 * example the step `progress` chunks of the runtime's `fromAiSdk`); the reducer sums them.
 */
export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the provider's prompt cache. */
  cachedInputTokens: number;
  /** Output tokens spent on reasoning, when reported. */
  reasoningTokens?: number;
}

/** Figures about a run. Times are in milliseconds. */
export interface RunMetrics {
  /** Chunks (or AG-UI events) folded so far. */
  chunkCount: number;
  /** Token chunks folded so far. */
  tokenCount: number;
  startedAt?: number;
  firstTokenAt?: number;
  endedAt?: number;
  /** `firstTokenAt - startedAt`. */
  timeToFirstToken?: number;
  /** Tokens per second between the first token and the last chunk. */
  tokensPerSecond?: number;
  /** `endedAt - startedAt` once ended, else time since start at the last chunk. */
  duration?: number;
  /** Model token usage summed over the chunks that report it (`metadata.usage`). */
  usage?: ModelUsage;
}

/** What one agent of a multi-agent stream has done (a lane). */
export interface AgentLane {
  agent: string;
  text: string;
  thinking: string;
  status: RunStatus;
  progress?: ProgressState;
  timeline: readonly TimelineSegment[];
  toolCallIds: readonly string[];
  error?: RunError;
  result?: RunResult;
}

/** Everything a run has said so far. */
export interface RunState {
  status: RunStatus;
  iteration?: number;
  statusHistory: readonly StatusChange[];
  /** All answer text, concatenated. */
  text: string;
  /** All reasoning text, concatenated. */
  thinking: string;
  timeline: readonly TimelineSegment[];
  toolCalls: Readonly<Record<string, ToolCallState>>;
  /** Tool call ids in the order they started. */
  toolCallOrder: readonly string[];
  progress?: ProgressState;
  result?: RunResult;
  error?: RunError;
  interruption?: RunInterruption;
  /** The questions asked so far, by id (see {@link AskState}); an open one waits for its answer. */
  asks: Readonly<Record<string, AskState>>;
  /** Question ids in the order they were asked. */
  askOrder: readonly string[];
  /** Lanes of a merged multi-agent stream, in order of first appearance (empty otherwise). */
  lanes: readonly AgentLane[];
  metrics: RunMetrics;
  /** True once the run has ended (result, fatal error or interruption). */
  done: boolean;
  /** Increases by one per folded chunk or event. */
  version: number;
}
