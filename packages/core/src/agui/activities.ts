/**
 * AgentStream's AG-UI activities (ACTIVITY_SNAPSHOT messages `agentstream.progress`,
 * `agentstream.status`, `agentstream.ask`): what their `content` carries (the encoder writes it),
 * and the chunk a content stands for (the decoder reads it back).
 *
 * @packageDocumentation
 */
import {
  AGENT_STATUSES,
  type AgentStatusValue,
  ASK_STATES,
  type AskChoice,
  type AskChunk,
  type StreamChunk,
} from "../chunk.js";
import type { ProgressStep } from "../state.js";
import { isPlainObject } from "../validate.js";
import { type AgentStreamEnvelope, ASK_ACTIVITY, PROGRESS_ACTIVITY, STATUS_ACTIVITY } from "./envelope.js";

/** `content` of the `agentstream.progress` ACTIVITY_SNAPSHOT (one activity message per run and agent). */
export interface ProgressActivityContent {
  /** Label of the step now running (the chunk's `step`). */
  step: string;
  /** Steps done (the chunk's `current`). */
  current: number;
  /** Total steps, absent when unknown. */
  total?: number;
  /** Free text about the current step. */
  message?: string;
  /** The agent, in multi-agent streams. */
  agent?: string;
  /** Every step reported so far with its state and timing (same folding as the run reducer). */
  steps: ProgressStep[];
}

/**
 * The statuses an `agentstream.status` activity can show: what agents report about themselves,
 * plus how a run (or one agent of it) ended when it did not complete (`interrupted`, `error`).
 */
export const STATUS_ACTIVITY_VALUES = [...AGENT_STATUSES, "interrupted", "error"] as const;

/** A status an `agentstream.status` activity shows. */
export type StatusActivityValue = (typeof STATUS_ACTIVITY_VALUES)[number];

/**
 * `content` of the `agentstream.status` ACTIVITY_SNAPSHOT (one activity message per run and agent).
 *
 * While the run goes, each `status` chunk replaces it. When the run (or the agent, in a
 * multi-agent stream) ends, one last snapshot on the same message says how: `completed`,
 * `interrupted` or `error`, with `final: true`, so a chat's status row never stays on a busy
 * status after the end. That last snapshot is a structural part (decoders skip it).
 */
export interface StatusActivityContent {
  /** The agent's status, or how it ended. */
  status: StatusActivityValue;
  /** Loop iteration, from 1. */
  iteration?: number;
  /** The agent, in multi-agent streams. */
  agent?: string;
  /** Set on the snapshot that closes the row when the run (or this agent) ended. */
  final?: true;
}

/**
 * `content` of the `agentstream.ask` ACTIVITY_SNAPSHOT: one activity message per question
 * (`messageId` `<runId>:ask:<id>`), replaced when the question is answered or closed.
 */
export interface AskActivityContent
  extends Pick<AskChunk, "id" | "prompt" | "choices" | "schema" | "state" | "value"> {
  /** The agent, in multi-agent streams. */
  agent?: string;
}

const STATUS_SET: ReadonlySet<string> = new Set(AGENT_STATUSES);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** Where a decoded chunk sits in the stream. */
export interface ChunkStamp {
  seq: number;
  timestamp: number;
}

/**
 * The chunk an activity's latest `content` stands for (`progress`, `ask` or `status`), or
 * undefined for an unknown activity or a content without the fields it needs. The content's
 * `agent` names the chunk's agent only for events without an envelope (the envelope says it).
 */
export function activityChunk(
  activityType: string,
  c: Record<string, unknown>,
  stamp: ChunkStamp,
  env: AgentStreamEnvelope | undefined,
): StreamChunk | undefined {
  const agent = env === undefined ? str(c.agent) : undefined;
  if (activityType === PROGRESS_ACTIVITY) {
    const current = num(c.current);
    if (current === undefined) return undefined;
    const chunk: StreamChunk = { type: "progress", step: str(c.step) ?? "", current, ...stamp };
    if (agent !== undefined) chunk.agent = agent;
    const total = num(c.total);
    if (total !== undefined) chunk.total = total;
    const message = str(c.message);
    if (message !== undefined) chunk.message = message;
    return chunk;
  }
  if (activityType === ASK_ACTIVITY) {
    const id = str(c.id);
    const prompt = str(c.prompt);
    const state = str(c.state) ?? "open";
    if (id === undefined || prompt === undefined || !(ASK_STATES as readonly string[]).includes(state))
      return undefined;
    const chunk: StreamChunk = {
      type: "ask",
      id,
      prompt,
      state: state as (typeof ASK_STATES)[number],
      ...stamp,
    };
    if (Array.isArray(c.choices))
      chunk.choices = c.choices
        .filter((ch): ch is AskChoice => isPlainObject(ch) && typeof ch.label === "string")
        .map((ch) => ({ label: ch.label, value: ch.value }));
    if (isPlainObject(c.schema)) chunk.schema = c.schema;
    if (c.value !== undefined) chunk.value = c.value;
    if (agent !== undefined) chunk.agent = agent;
    return chunk;
  }
  if (activityType === STATUS_ACTIVITY) {
    const status = str(c.status);
    if (status === undefined || !STATUS_SET.has(status)) return undefined;
    const chunk: StreamChunk = { type: "status", status: status as AgentStatusValue, ...stamp };
    if (agent !== undefined) chunk.agent = agent;
    const iteration = num(c.iteration);
    if (iteration !== undefined) chunk.iteration = iteration;
    return chunk;
  }
  return undefined;
}
