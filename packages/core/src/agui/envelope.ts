/**
 * The envelope convention: how a chunk's envelope (seq, agent, metadata) and the few chunk fields
 * an AG-UI event has no place for travel inside the event, so that decode(encode(x)) equals x.
 *
 * Every event the encoder emits for a chunk carries the chunk's `timestamp` in `event.timestamp`.
 * Exactly one of those events, the carrier, holds `event.metadata.agentstream`
 * ({@link AgentStreamEnvelope}); structural events that a decoder of foreign streams would
 * otherwise turn into chunks (a TOOL_CALL_START followed by its TOOL_CALL_ARGS carrier,
 * STEP_STARTED/STEP_FINISHED) carry `{ seq, part: true }`. Pure framing events
 * (RUN_STARTED, TEXT_MESSAGE_START/END, REASONING_* start/end, TOOL_CALL_END, the final
 * RUN_FINISHED of `finish()`) carry no envelope.
 *
 * @packageDocumentation
 */
import type { BaseEvent, EventType } from "@ag-ui/core";
import { isPlainObject } from "../validate.js";

/** The key under `event.metadata` that holds the {@link AgentStreamEnvelope}. */
export const ENVELOPE_KEY = "agentstream";

/** Activity type of the ACTIVITY_SNAPSHOT events that carry progress chunks. */
export const PROGRESS_ACTIVITY = "agentstream.progress";
/** Activity type of the ACTIVITY_SNAPSHOT events that carry status chunks. */
export const STATUS_ACTIVITY = "agentstream.status";
/** Activity type of the ACTIVITY_SNAPSHOT events that carry ask chunks (one activity message per question). */
export const ASK_ACTIVITY = "agentstream.ask";
/** CUSTOM event name for error chunks that do not end the run (recoverable, or one agent's). */
export const ERROR_EVENT = "agentstream.error";
/** CUSTOM event name for the result of one agent in a multi-agent stream (chunk with `agent`). */
export const RESULT_EVENT = "agentstream.result";
/** CUSTOM event name for the interruption of one agent (chunk with `agent`), or of the run with `interruptAs: "custom"`. */
export const INTERRUPTED_EVENT = "agentstream.interrupted";

/**
 * What `event.metadata.agentstream` holds. `seq`, `agent` and `metadata` are the chunk's
 * envelope; the other fields restore chunk fields the event has no place for.
 */
export interface AgentStreamEnvelope {
  /** The chunk's sequence number. */
  seq: number;
  /** The chunk's agent (multi-agent streams). */
  agent?: string;
  /** The chunk's metadata. */
  metadata?: Record<string, unknown>;
  /** Set on structural events that belong to chunk `seq` but are not its carrier: decoders skip them. */
  part?: true;
  /** tool_result / result: the chunk's `success`. */
  success?: boolean;
  /** result: the chunk's `duration`. */
  duration?: number;
  /** error (RUN_ERROR): the chunk's `recoverable` when it was set explicitly. */
  recoverable?: boolean;
  /** tool_result: the chunk's `name`. */
  name?: string;
  /** tool_result: how `content` encodes `result` — `"json"` (JSON text) or `"undefined"`; absent: the string itself. */
  enc?: "json" | "undefined";
  /** tool_call: the chunk's complete `args` when they are not simply the JSON text of the ARGS delta. */
  args?: Record<string, unknown>;
  /** tool_call: the ARGS delta is `JSON.stringify(args)` of a chunk that had `args` and no `argsDelta`. */
  argsJson?: true;
  /** tool_call: the chunk had no `argsDelta` (the ARGS delta is an empty placeholder). */
  noDelta?: true;
  /** interrupted (RUN_FINISHED outcome): the chunk's `partial`. */
  partial?: string;
}

/** Reads the envelope of an event, if it has a well-formed one. */
export function readEnvelope(event: BaseEvent): AgentStreamEnvelope | undefined {
  const meta = event.metadata;
  if (!isPlainObject(meta)) return undefined;
  const env = meta[ENVELOPE_KEY];
  if (!isPlainObject(env) || typeof env.seq !== "number") return undefined;
  return env as unknown as AgentStreamEnvelope;
}

/** The AG-UI event type names, typed as the enum members of @ag-ui/core without importing its runtime. */
export const E = {
  RUN_STARTED: "RUN_STARTED" as EventType.RUN_STARTED,
  RUN_FINISHED: "RUN_FINISHED" as EventType.RUN_FINISHED,
  RUN_ERROR: "RUN_ERROR" as EventType.RUN_ERROR,
  TEXT_MESSAGE_START: "TEXT_MESSAGE_START" as EventType.TEXT_MESSAGE_START,
  TEXT_MESSAGE_CONTENT: "TEXT_MESSAGE_CONTENT" as EventType.TEXT_MESSAGE_CONTENT,
  TEXT_MESSAGE_END: "TEXT_MESSAGE_END" as EventType.TEXT_MESSAGE_END,
  TEXT_MESSAGE_CHUNK: "TEXT_MESSAGE_CHUNK" as EventType.TEXT_MESSAGE_CHUNK,
  TOOL_CALL_START: "TOOL_CALL_START" as EventType.TOOL_CALL_START,
  TOOL_CALL_ARGS: "TOOL_CALL_ARGS" as EventType.TOOL_CALL_ARGS,
  TOOL_CALL_END: "TOOL_CALL_END" as EventType.TOOL_CALL_END,
  TOOL_CALL_CHUNK: "TOOL_CALL_CHUNK" as EventType.TOOL_CALL_CHUNK,
  TOOL_CALL_RESULT: "TOOL_CALL_RESULT" as EventType.TOOL_CALL_RESULT,
  THINKING_START: "THINKING_START" as EventType.THINKING_START,
  THINKING_END: "THINKING_END" as EventType.THINKING_END,
  THINKING_TEXT_MESSAGE_START: "THINKING_TEXT_MESSAGE_START" as EventType.THINKING_TEXT_MESSAGE_START,
  THINKING_TEXT_MESSAGE_CONTENT: "THINKING_TEXT_MESSAGE_CONTENT" as EventType.THINKING_TEXT_MESSAGE_CONTENT,
  THINKING_TEXT_MESSAGE_END: "THINKING_TEXT_MESSAGE_END" as EventType.THINKING_TEXT_MESSAGE_END,
  REASONING_START: "REASONING_START" as EventType.REASONING_START,
  REASONING_MESSAGE_START: "REASONING_MESSAGE_START" as EventType.REASONING_MESSAGE_START,
  REASONING_MESSAGE_CONTENT: "REASONING_MESSAGE_CONTENT" as EventType.REASONING_MESSAGE_CONTENT,
  REASONING_MESSAGE_END: "REASONING_MESSAGE_END" as EventType.REASONING_MESSAGE_END,
  REASONING_MESSAGE_CHUNK: "REASONING_MESSAGE_CHUNK" as EventType.REASONING_MESSAGE_CHUNK,
  REASONING_END: "REASONING_END" as EventType.REASONING_END,
  STATE_SNAPSHOT: "STATE_SNAPSHOT" as EventType.STATE_SNAPSHOT,
  STATE_DELTA: "STATE_DELTA" as EventType.STATE_DELTA,
  MESSAGES_SNAPSHOT: "MESSAGES_SNAPSHOT" as EventType.MESSAGES_SNAPSHOT,
  ACTIVITY_SNAPSHOT: "ACTIVITY_SNAPSHOT" as EventType.ACTIVITY_SNAPSHOT,
  ACTIVITY_DELTA: "ACTIVITY_DELTA" as EventType.ACTIVITY_DELTA,
  STEP_STARTED: "STEP_STARTED" as EventType.STEP_STARTED,
  STEP_FINISHED: "STEP_FINISHED" as EventType.STEP_FINISHED,
  CUSTOM: "CUSTOM" as EventType.CUSTOM,
  RAW: "RAW" as EventType.RAW,
} as const;
