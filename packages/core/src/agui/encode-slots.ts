/**
 * What the encoder keeps per agent (a slot: the text message, reasoning message, tool call, step
 * and status row it has open), the closers of its open parts, and how an encoded event carries its
 * chunk's envelope (see envelope.ts).
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import type { StreamChunk } from "../chunk.js";
import type { ProgressTracker } from "../run/progress.js";
import type { StatusActivityValue } from "./activities.js";
import { type AgentStreamEnvelope, E, ENVELOPE_KEY } from "./envelope.js";

/** An event as the encoder builds it. */
export type Ev = BaseEvent & Record<string, unknown>;

/** What the encoder keeps open for one agent (`agent` undefined: the run's own). */
export interface AgentSlot {
  agent: string | undefined;
  /** Open text message. */
  textId?: string;
  /** Last text message (parent of the next tool call). */
  lastTextId?: string;
  /** Open reasoning message. */
  reasoningId?: string;
  /** Open tool call. */
  toolId?: string;
  /** Open step name (as sent in STEP_STARTED). */
  stepName?: string;
  /** Label of the last progress step seen. */
  stepLabel?: string;
  progress?: ProgressTracker;
  progressId?: string;
  statusId?: string;
  /** The last status shown on the status row (and its iteration). */
  status?: StatusActivityValue;
  iteration?: number;
  /** The status row got its final snapshot (the agent ended). */
  statusFinal?: true;
}

/** The carrier of `chunk`: `event` with the chunk's envelope (and `extra`) under `metadata.agentstream`. */
export function carry(event: Ev, chunk: StreamChunk, extra?: Partial<AgentStreamEnvelope>): Ev {
  const env: AgentStreamEnvelope = { seq: chunk.seq };
  if (chunk.agent !== undefined) env.agent = chunk.agent;
  if (chunk.metadata !== undefined) env.metadata = chunk.metadata;
  if (extra !== undefined) Object.assign(env, extra);
  event.metadata = { [ENVELOPE_KEY]: env };
  return event;
}

/** A structural part of chunk `seq` (decoders skip it). */
export function part(event: Ev, seq: number): Ev {
  event.metadata = { [ENVELOPE_KEY]: { seq, part: true } };
  return event;
}

/** TEXT_MESSAGE_END of the slot's open text message, if any. */
export function closeText(slot: AgentSlot, out: Ev[], ts: number): void {
  if (slot.textId === undefined) return;
  out.push({ type: E.TEXT_MESSAGE_END, messageId: slot.textId, timestamp: ts });
  slot.textId = undefined;
}

/** REASONING_MESSAGE_END and REASONING_END of the slot's open reasoning message, if any. */
export function closeReasoning(slot: AgentSlot, out: Ev[], ts: number): void {
  if (slot.reasoningId === undefined) return;
  out.push({ type: E.REASONING_MESSAGE_END, messageId: slot.reasoningId, timestamp: ts });
  out.push({ type: E.REASONING_END, messageId: slot.reasoningId, timestamp: ts });
  slot.reasoningId = undefined;
}

/** TOOL_CALL_END of the slot's open tool call, if any. */
export function closeTool(slot: AgentSlot, out: Ev[], ts: number): void {
  if (slot.toolId === undefined) return;
  out.push({ type: E.TOOL_CALL_END, toolCallId: slot.toolId, timestamp: ts });
  slot.toolId = undefined;
}
