/**
 * The AgentStream chunk model: one vocabulary for everything an agent streams while it works.
 *
 * Every chunk is a member of the discriminated union {@link StreamChunk}, keyed by `type`.
 * Every chunk carries an envelope ({@link ChunkEnvelope}): a sequence number, a timestamp,
 * and optionally the name of the agent that produced it (multi-agent streams) and metadata.
 *
 * @packageDocumentation
 */

/** The ten chunk types, in a stable order. */
export const CHUNK_TYPES = [
  "token",
  "thinking",
  "status",
  "progress",
  "tool_call",
  "tool_result",
  "result",
  "error",
  "interrupted",
  "ask",
] as const;

/** The name of a chunk type. */
export type ChunkType = (typeof CHUNK_TYPES)[number];

/** The statuses an agent reports about itself (seed 001's agent loop). */
export const AGENT_STATUSES = ["started", "thinking", "acting", "observing", "completed"] as const;

/** A status an agent reports about itself. */
export type AgentStatusValue = (typeof AGENT_STATUSES)[number];

/** Fields every chunk carries, whatever its type. */
export interface ChunkEnvelope {
  /** Position of the chunk in its stream, from 0, strictly increasing. */
  seq: number;
  /** Milliseconds since the Unix epoch when the chunk was produced. */
  timestamp: number;
  /** Name of the agent that produced the chunk, in merged multi-agent streams. */
  agent?: string;
  /** Free-form, JSON-serialisable metadata. */
  metadata?: Record<string, unknown>;
}

/** A delta of the agent's visible answer text. */
export interface TokenChunk extends ChunkEnvelope {
  type: "token";
  text: string;
}

/** A delta of the agent's reasoning ("thinking") text. */
export interface ThinkingChunk extends ChunkEnvelope {
  type: "thinking";
  text: string;
}

/** The agent's current status in its loop; `iteration` counts loop turns from 1. */
export interface StatusChunk extends ChunkEnvelope {
  type: "status";
  status: AgentStatusValue;
  iteration?: number;
}

/**
 * Progress on long work. `current` of `total` steps are done; `step` names the step now
 * running. `total` is absent when the amount of work is unknown (an indeterminate bar).
 */
export interface ProgressChunk extends ChunkEnvelope {
  type: "progress";
  step: string;
  current: number;
  total?: number;
  message?: string;
}

/**
 * A tool call, or a delta of one. Chunks with the same `id` form one call:
 * `name` is set on the first, `argsDelta` is appended (a streamed JSON text),
 * and `args` (when present) replaces the arguments with a complete object.
 */
export interface ToolCallChunk extends ChunkEnvelope {
  type: "tool_call";
  id: string;
  name: string;
  /** A fragment of the JSON text of the arguments, appended to earlier fragments. */
  argsDelta?: string;
  /** The complete arguments, when known at once. */
  args?: Record<string, unknown>;
}

/** The result of a tool call. */
export interface ToolResultChunk extends ChunkEnvelope {
  type: "tool_result";
  id: string;
  name?: string;
  result: unknown;
  success: boolean;
}

/** The final result of the run. */
export interface ResultChunk extends ChunkEnvelope {
  type: "result";
  output: unknown;
  success: boolean;
  /** Duration of the run in milliseconds. */
  duration?: number;
}

/** An error. A non-recoverable error ends the run. */
export interface ErrorChunk extends ChunkEnvelope {
  type: "error";
  message: string;
  code?: string;
  recoverable?: boolean;
}

/** The run was stopped before it finished; `partial` is the text produced so far. */
export interface InterruptedChunk extends ChunkEnvelope {
  type: "interrupted";
  reason: string;
  partial?: string;
}

/** One answer a question offers: a button labelled `label` that answers `value` (a JSON value). */
export interface AskChoice {
  label: string;
  value: unknown;
}

/** The lifecycle of a question: waiting for its answer, answered, or closed without one. */
export const ASK_STATES = ["open", "answered", "expired", "cancelled"] as const;

/** The state of a question. */
export type AskStateValue = (typeof ASK_STATES)[number];

/**
 * The agent asks the user something and waits for the answer (`await ctx.ask(...)` on the
 * server, `yield ask(...)` in a browser action). The same `id` is sent again when the question
 * changes state: `answered` (with `value`), `expired` (timeout) or `cancelled` (the run stopped).
 * With `choices` the answer is one of their values; without, it is free input that must fit
 * `schema` (a JSON schema; absent: any text).
 */
export interface AskChunk extends ChunkEnvelope {
  type: "ask";
  id: string;
  prompt: string;
  choices?: AskChoice[];
  schema?: Record<string, unknown>;
  state: AskStateValue;
  /** The answer, once `answered`. */
  value?: unknown;
}

/** Any chunk. Switch on `type` to narrow it. */
export type StreamChunk =
  | TokenChunk
  | ThinkingChunk
  | StatusChunk
  | ProgressChunk
  | ToolCallChunk
  | ToolResultChunk
  | ResultChunk
  | ErrorChunk
  | InterruptedChunk
  | AskChunk;

/** The chunk of a given type. */
export type ChunkOf<T extends ChunkType> = Extract<StreamChunk, { type: T }>;

/** A canonical chunk as user code writes it: the envelope (`seq`, `timestamp`) is filled in by the stream. */
export type CanonicalChunkInput = StreamChunk extends infer C
  ? C extends StreamChunk
    ? Omit<C, "seq" | "timestamp"> & Partial<Pick<C, "seq" | "timestamp">>
    : never
  : never;

/**
 * The envelope as the seed patterns write it: every field optional; a timestamp may be an ISO
 * date string; `null` agent or metadata counts as absent.
 */
interface SeedEnvelope {
  seq?: number;
  timestamp?: number | string;
  agent?: string | null;
  metadata?: Record<string, unknown> | null;
  /** Seed 004 wraps the fields in `data`: they are read from there when not at the top level. */
  data?: unknown;
}

/** Text (`token`, `thinking`) in a seed spelling: `content` (seeds 000, 001), `token`, `delta`, or a `data` string. */
export interface SeedTextInput extends SeedEnvelope {
  type: "token" | "thinking" | "content" | "chunk" | "stream_chunk" | "reasoning";
  text?: string;
  content?: string;
  token?: string;
  delta?: string;
}

/** A status in a seed spelling (any letter case). */
export interface SeedStatusInput extends SeedEnvelope {
  type: "status";
  status: string;
  iteration?: number;
}

/**
 * Progress in a seed spelling: a numeric `step` (seed 004: `{ step: 1, total: 5, message }`) or a
 * named step whose result is `content` (seed 000: `{ step: "Search", content }`); `current` optional.
 */
export interface SeedProgressInput extends SeedEnvelope {
  type: "progress";
  step?: string | number;
  current?: number;
  total?: number;
  message?: string;
  content?: unknown;
}

/** The start of a tool call in a seed spelling: `tool_name`, `parameters` (001) or `tool_input` (004); `id` optional. */
export interface SeedToolCallInput extends SeedEnvelope {
  type: "tool_call" | "tool_start";
  id?: string;
  tool_call_id?: string;
  toolCallId?: string;
  name?: string;
  tool_name?: string;
  toolName?: string;
  tool?: string;
  args?: Record<string, unknown>;
  argsDelta?: string;
  parameters?: unknown;
  tool_input?: unknown;
  input?: unknown;
  arguments?: unknown;
}

/** A tool result in a seed spelling: `tool_name`, `output`, optional `success` (default true) and `id`. */
export interface SeedToolResultInput extends SeedEnvelope {
  type: "tool_result" | "tool_end";
  id?: string;
  tool_call_id?: string;
  toolCallId?: string;
  name?: string;
  tool_name?: string;
  toolName?: string;
  tool?: string;
  result?: unknown;
  output?: unknown;
  tool_output?: unknown;
  content?: unknown;
  success?: boolean;
  error?: unknown;
}

/** The final result in a seed spelling: `{ type: "complete", result }` (000) or `result` without `success` (001). */
export interface SeedResultInput extends SeedEnvelope {
  type: "result" | "complete";
  output?: unknown;
  result?: unknown;
  content?: unknown;
  success?: boolean;
  duration?: number;
  /** Seconds (seed 001); becomes `duration` in milliseconds. */
  execution_time?: number;
}

/** An error in a seed spelling: `{ type: "error", error: "…" }` (001), `error` may be an `Error`. */
export interface SeedErrorInput extends SeedEnvelope {
  type: "error";
  message?: string;
  error?: unknown;
  content?: string;
  code?: string;
  recoverable?: boolean;
}

/** An interruption in a seed spelling: `reason` optional (000 yields a bare `{ type: "interrupted" }`). */
export interface SeedInterruptedInput extends SeedEnvelope {
  type: "interrupted";
  reason?: string;
  message?: string;
  partial?: string;
}

/** A question as user code writes it: choices may be plain strings, `question` stands for `prompt`; `id` and `state` optional. */
export interface SeedAskInput extends SeedEnvelope {
  type: "ask";
  id?: string;
  prompt?: string;
  question?: string;
  choices?: ReadonlyArray<string | AskChoice>;
  options?: ReadonlyArray<string | AskChoice>;
  schema?: Record<string, unknown>;
  state?: AskStateValue;
  value?: unknown;
}

/** Any chunk in one of the seed patterns' spellings (see docs/protocol.md, "Accepted spellings"). */
export type SeedChunkInput =
  | SeedTextInput
  | SeedStatusInput
  | SeedProgressInput
  | SeedToolCallInput
  | SeedToolResultInput
  | SeedResultInput
  | SeedErrorInput
  | SeedInterruptedInput
  | SeedAskInput;

/**
 * A chunk as user code writes it (what server agents and browser actions may `yield`): a
 * canonical chunk without its envelope, or the same chunk in a seed spelling. `toChunk`
 * normalises either to a canonical {@link StreamChunk}.
 */
export type ChunkInput = CanonicalChunkInput | SeedChunkInput;
