/**
 * The AgentStream chunk model: one vocabulary for everything an agent streams while it works.
 *
 * Every chunk is a member of the discriminated union {@link StreamChunk}, keyed by `type`.
 * Every chunk carries an envelope ({@link ChunkEnvelope}): a sequence number, a timestamp,
 * and optionally the name of the agent that produced it (multi-agent streams) and metadata.
 *
 * @packageDocumentation
 */

/** The nine chunk types, in a stable order. */
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
  | InterruptedChunk;

/** The chunk of a given type. */
export type ChunkOf<T extends ChunkType> = Extract<StreamChunk, { type: T }>;

/** A chunk as user code writes it: the envelope is filled in by the stream. */
export type ChunkInput = StreamChunk extends infer C
  ? C extends StreamChunk
    ? Omit<C, "seq" | "timestamp"> & Partial<Pick<C, "seq" | "timestamp">>
    : never
  : never;
