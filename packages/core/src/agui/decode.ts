/**
 * AG-UI events → chunks. Events written by the {@link ChunkEncoder} decode exactly (through the
 * envelope under `metadata.agentstream`); events of any other AG-UI agent decode by their type
 * (TEXT_MESSAGE_* and _CHUNK, TOOL_CALL_* and _CHUNK, REASONING_* and legacy THINKING_*,
 * STATE_SNAPSHOT/STATE_DELTA with a progress shape, STEP_*, RUN_ERROR, RUN_FINISHED).
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import { AGENT_STATUSES, type AgentStatusValue, type StreamChunk } from "../chunk.js";
import { isPlainObject } from "../validate.js";
import {
  type AgentStreamEnvelope,
  E,
  ERROR_EVENT,
  INTERRUPTED_EVENT,
  PROGRESS_ACTIVITY,
  RESULT_EVENT,
  readEnvelope,
  STATUS_ACTIVITY,
} from "./envelope.js";
import { applyJsonPatch, type JsonPatchOperation } from "./json-patch.js";

/** Options of {@link ChunkDecoder}. */
export interface ChunkDecoderOptions {
  /** Clock for events without a `timestamp`. Default `Date.now`. */
  now?: () => number;
}

type Ev = BaseEvent & Record<string, unknown>;

const STATUS_SET: ReadonlySet<string> = new Set(AGENT_STATUSES);

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/**
 * Decodes AG-UI events into chunks, one event at a time (an event yields zero or more chunks).
 * Keep one decoder per run: it remembers tool names, open messages and the shared state.
 */
export class ChunkDecoder {
  /** The agent's shared state, as set by STATE_SNAPSHOT and patched by STATE_DELTA. */
  state: unknown = undefined;
  private readonly now: () => number;
  private nextSeq = 0;
  private readonly toolNames = new Map<string, string>();
  private lastToolId: string | undefined;
  private readonly skipMessages = new Set<string>();
  private readonly activities = new Map<string, { activityType: string; content: Record<string, unknown> }>();
  private lastStateProgress = "";
  private stepsDone = 0;
  private lastChunkMessageRole: string | undefined;

  /** @param options - clock for events without timestamps */
  constructor(options: ChunkDecoderOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Forgets everything (a new run). */
  reset(): void {
    this.state = undefined;
    this.nextSeq = 0;
    this.toolNames.clear();
    this.lastToolId = undefined;
    this.skipMessages.clear();
    this.activities.clear();
    this.lastStateProgress = "";
    this.stepsDone = 0;
    this.lastChunkMessageRole = undefined;
  }

  /** The chunks one event stands for (often none: framing events carry no chunk). */
  decode(event: BaseEvent): StreamChunk[] {
    const chunk = this.decodeOne(event);
    return chunk === undefined ? [] : [chunk];
  }

  /** Like {@link decode}, for callers on a hot path: an AG-UI event stands for at most one chunk. */
  decodeOne(event: BaseEvent): StreamChunk | undefined {
    const ev = event as Ev;
    const env = readEnvelope(event);
    this.track(ev);
    if (env === undefined) return this.decodeForeign(ev, undefined);
    if (env.part === true) return undefined;
    const chunk = this.decodeOwn(ev, env);
    if (chunk !== undefined) {
      if (env.agent !== undefined) chunk.agent = env.agent;
      if (env.metadata !== undefined) chunk.metadata = env.metadata;
    }
    return chunk;
  }

  /** Bookkeeping every event gets, enveloped or not. */
  private track(ev: Ev): void {
    switch (ev.type) {
      case E.TOOL_CALL_START: {
        const id = str(ev.toolCallId);
        if (id !== undefined) {
          this.toolNames.set(id, str(ev.toolCallName) ?? "");
          this.lastToolId = id;
        }
        break;
      }
      case E.TOOL_CALL_CHUNK: {
        const id = str(ev.toolCallId) ?? this.lastToolId;
        const name = str(ev.toolCallName);
        if (id !== undefined) {
          if (name !== undefined || !this.toolNames.has(id))
            this.toolNames.set(id, name ?? this.toolNames.get(id) ?? "");
          this.lastToolId = id;
        }
        break;
      }
      case E.TEXT_MESSAGE_START: {
        const role = str(ev.role);
        const id = str(ev.messageId);
        if (id !== undefined && role !== undefined && role !== "assistant") this.skipMessages.add(id);
        break;
      }
      case E.STATE_SNAPSHOT:
        this.state = ev.snapshot;
        break;
      case E.STATE_DELTA:
        try {
          this.state = applyJsonPatch(this.state ?? {}, (ev.delta ?? []) as JsonPatchOperation[]);
        } catch {
          // A patch that does not apply leaves the state as it was (like @ag-ui/client, which logs and goes on).
        }
        break;
      case E.ACTIVITY_SNAPSHOT: {
        const id = str(ev.messageId);
        if (id !== undefined && isPlainObject(ev.content)) {
          const prev = this.activities.get(id);
          const content = ev.replace === false && prev !== undefined ? prev.content : ev.content;
          this.activities.set(id, { activityType: str(ev.activityType) ?? "", content });
        }
        break;
      }
      case E.ACTIVITY_DELTA: {
        const id = str(ev.messageId);
        const prev = id === undefined ? undefined : this.activities.get(id);
        if (id !== undefined && prev !== undefined && Array.isArray(ev.patch)) {
          try {
            const content = applyJsonPatch(prev.content, ev.patch as JsonPatchOperation[]);
            if (isPlainObject(content)) this.activities.set(id, { activityType: prev.activityType, content });
          } catch {
            // ignored, as above
          }
        }
        break;
      }
    }
  }

  private ts(ev: Ev): number {
    return num(ev.timestamp) ?? this.now();
  }

  /** The chunk's seq: the envelope's, else the next free number. */
  private seq(env: AgentStreamEnvelope | undefined): number {
    if (env === undefined) return this.nextSeq++;
    if (env.seq >= this.nextSeq) this.nextSeq = env.seq + 1;
    return env.seq;
  }

  /** Events written by the ChunkEncoder: the envelope says which chunk this carrier is. */
  private decodeOwn(ev: Ev, env: AgentStreamEnvelope): StreamChunk | undefined {
    switch (ev.type) {
      case E.TEXT_MESSAGE_CONTENT:
        return { type: "token", text: str(ev.delta) ?? "", seq: this.seq(env), timestamp: this.ts(ev) };
      case E.REASONING_MESSAGE_CONTENT:
        return { type: "thinking", text: str(ev.delta) ?? "", seq: this.seq(env), timestamp: this.ts(ev) };
      case E.TOOL_CALL_START:
      case E.TOOL_CALL_ARGS: {
        const id = str(ev.toolCallId) ?? "";
        const chunk: StreamChunk = {
          type: "tool_call",
          id,
          name: env.name ?? this.toolNames.get(id) ?? "",
          seq: this.seq(env),
          timestamp: this.ts(ev),
        };
        if (ev.type === E.TOOL_CALL_ARGS) {
          const delta = str(ev.delta) ?? "";
          if (env.argsJson === true) chunk.args = JSON.parse(delta) as Record<string, unknown>;
          else {
            if (env.noDelta !== true) chunk.argsDelta = delta;
            if (env.args !== undefined) chunk.args = env.args;
          }
        }
        return chunk;
      }
      case E.TOOL_CALL_RESULT: {
        const content = str(ev.content) ?? "";
        const result =
          env.enc === "json"
            ? (JSON.parse(content) as unknown)
            : env.enc === "undefined"
              ? undefined
              : content;
        const chunk: StreamChunk = {
          type: "tool_result",
          id: str(ev.toolCallId) ?? "",
          result,
          success: env.success ?? true,
          seq: this.seq(env),
          timestamp: this.ts(ev),
        };
        if (env.name !== undefined) chunk.name = env.name;
        return chunk;
      }
      case E.RUN_FINISHED: {
        const outcome = ev.outcome;
        if (isPlainObject(outcome) && outcome.type === "interrupt") {
          const interrupts = Array.isArray(outcome.interrupts) ? outcome.interrupts : [];
          const first: unknown = interrupts[0];
          const chunk: StreamChunk = {
            type: "interrupted",
            reason: (isPlainObject(first) ? str(first.reason) : undefined) ?? "interrupted",
            seq: this.seq(env),
            timestamp: this.ts(ev),
          };
          if (env.partial !== undefined) chunk.partial = env.partial;
          return chunk;
        }
        const chunk: StreamChunk = {
          type: "result",
          output: ev.result,
          success: env.success ?? true,
          seq: this.seq(env),
          timestamp: this.ts(ev),
        };
        if (env.duration !== undefined) chunk.duration = env.duration;
        return chunk;
      }
      case E.RUN_ERROR: {
        const chunk: StreamChunk = {
          type: "error",
          message: str(ev.message) ?? "",
          seq: this.seq(env),
          timestamp: this.ts(ev),
        };
        if (typeof ev.code === "string") chunk.code = ev.code;
        if (env.recoverable !== undefined) chunk.recoverable = env.recoverable;
        return chunk;
      }
      default:
        // ACTIVITY_SNAPSHOT and CUSTOM decode the same with or without envelope.
        return this.decodeForeign(ev, env);
    }
  }

  /** Events of any AG-UI agent. */
  private decodeForeign(ev: Ev, env: AgentStreamEnvelope | undefined): StreamChunk | undefined {
    switch (ev.type) {
      case E.TEXT_MESSAGE_CONTENT: {
        const delta = str(ev.delta);
        if (!delta || this.skipMessages.has(str(ev.messageId) ?? "")) return undefined;
        return { type: "token", text: delta, seq: this.seq(undefined), timestamp: this.ts(ev) };
      }
      case E.TEXT_MESSAGE_CHUNK: {
        const role = str(ev.role);
        if (role !== undefined) this.lastChunkMessageRole = role;
        const delta = str(ev.delta);
        const msgRole = role ?? this.lastChunkMessageRole;
        if (!delta || (msgRole !== undefined && msgRole !== "assistant")) return undefined;
        return { type: "token", text: delta, seq: this.seq(undefined), timestamp: this.ts(ev) };
      }
      case E.REASONING_MESSAGE_CONTENT:
      case E.REASONING_MESSAGE_CHUNK:
      case E.THINKING_TEXT_MESSAGE_CONTENT: {
        const delta = str(ev.delta);
        if (!delta) return undefined;
        return { type: "thinking", text: delta, seq: this.seq(undefined), timestamp: this.ts(ev) };
      }
      case E.TOOL_CALL_START: {
        const id = str(ev.toolCallId);
        if (id === undefined) return undefined;
        return {
          type: "tool_call",
          id,
          name: str(ev.toolCallName) ?? "",
          seq: this.seq(undefined),
          timestamp: this.ts(ev),
        };
      }
      case E.TOOL_CALL_ARGS: {
        const id = str(ev.toolCallId);
        const delta = str(ev.delta);
        if (id === undefined || !delta) return undefined;
        return {
          type: "tool_call",
          id,
          name: this.toolNames.get(id) ?? "",
          argsDelta: delta,
          seq: this.seq(undefined),
          timestamp: this.ts(ev),
        };
      }
      case E.TOOL_CALL_CHUNK: {
        const id = str(ev.toolCallId) ?? this.lastToolId;
        if (id === undefined) return undefined;
        const chunk: StreamChunk = {
          type: "tool_call",
          id,
          name: this.toolNames.get(id) ?? "",
          seq: this.seq(undefined),
          timestamp: this.ts(ev),
        };
        const delta = str(ev.delta);
        if (delta) chunk.argsDelta = delta;
        else if (str(ev.toolCallName) === undefined) return undefined;
        return chunk;
      }
      case E.TOOL_CALL_RESULT: {
        const id = str(ev.toolCallId);
        if (id === undefined) return undefined;
        const chunk: StreamChunk = {
          type: "tool_result",
          id,
          result: str(ev.content) ?? "",
          success: true,
          seq: this.seq(undefined),
          timestamp: this.ts(ev),
        };
        const name = this.toolNames.get(id);
        if (name !== undefined) chunk.name = name;
        return chunk;
      }
      case E.ACTIVITY_SNAPSHOT:
      case E.ACTIVITY_DELTA: {
        const act = this.activities.get(str(ev.messageId) ?? "");
        if (act === undefined) return undefined;
        const c = act.content;
        const agent = str(c.agent);
        if (act.activityType === PROGRESS_ACTIVITY) {
          const current = num(c.current);
          if (current === undefined) return undefined;
          const chunk: StreamChunk = {
            type: "progress",
            step: str(c.step) ?? "",
            current,
            seq: this.seq(env),
            timestamp: this.ts(ev),
          };
          if (env === undefined && agent !== undefined) chunk.agent = agent;
          const total = num(c.total);
          if (total !== undefined) chunk.total = total;
          const message = str(c.message);
          if (message !== undefined) chunk.message = message;
          return chunk;
        }
        if (act.activityType === STATUS_ACTIVITY) {
          const status = str(c.status);
          if (status === undefined || !STATUS_SET.has(status)) return undefined;
          const chunk: StreamChunk = {
            type: "status",
            status: status as AgentStatusValue,
            seq: this.seq(env),
            timestamp: this.ts(ev),
          };
          if (env === undefined && agent !== undefined) chunk.agent = agent;
          const iteration = num(c.iteration);
          if (iteration !== undefined) chunk.iteration = iteration;
          return chunk;
        }
        return undefined;
      }
      case E.CUSTOM: {
        const v = isPlainObject(ev.value) ? ev.value : {};
        if (ev.name === ERROR_EVENT) {
          const chunk: StreamChunk = {
            type: "error",
            message: str(v.message) ?? "",
            seq: this.seq(env),
            timestamp: this.ts(ev),
          };
          const code = str(v.code);
          if (code !== undefined) chunk.code = code;
          if (typeof v.recoverable === "boolean") chunk.recoverable = v.recoverable;
          return chunk;
        }
        if (ev.name === RESULT_EVENT) {
          const chunk: StreamChunk = {
            type: "result",
            output: v.output,
            success: v.success !== false,
            seq: this.seq(env),
            timestamp: this.ts(ev),
          };
          const duration = num(v.duration);
          if (duration !== undefined) chunk.duration = duration;
          return chunk;
        }
        if (ev.name === INTERRUPTED_EVENT) {
          const chunk: StreamChunk = {
            type: "interrupted",
            reason: str(v.reason) ?? "interrupted",
            seq: this.seq(env),
            timestamp: this.ts(ev),
          };
          const partial = str(v.partial);
          if (partial !== undefined) chunk.partial = partial;
          return chunk;
        }
        return undefined;
      }
      case E.STATE_SNAPSHOT:
      case E.STATE_DELTA:
        return this.progressFromState(ev);
      case E.STEP_STARTED: {
        const name = str(ev.stepName);
        if (name === undefined) return undefined;
        return {
          type: "progress",
          step: name,
          current: this.stepsDone,
          seq: this.seq(undefined),
          timestamp: this.ts(ev),
        };
      }
      case E.STEP_FINISHED: {
        const name = str(ev.stepName);
        if (name === undefined) return undefined;
        this.stepsDone++;
        return {
          type: "progress",
          step: name,
          current: this.stepsDone,
          seq: this.seq(undefined),
          timestamp: this.ts(ev),
        };
      }
      case E.RUN_ERROR: {
        const chunk: StreamChunk = {
          type: "error",
          message: str(ev.message) ?? "",
          seq: this.seq(undefined),
          timestamp: this.ts(ev),
        };
        const code = str(ev.code);
        if (code !== undefined) chunk.code = code;
        return chunk;
      }
      case E.RUN_FINISHED: {
        const outcome = ev.outcome;
        if (isPlainObject(outcome) && outcome.type === "interrupt") {
          const interrupts = Array.isArray(outcome.interrupts) ? outcome.interrupts : [];
          const first: unknown = interrupts[0];
          const chunk: StreamChunk = {
            type: "interrupted",
            reason:
              (isPlainObject(first) ? (str(first.reason) ?? str(first.message)) : undefined) ?? "interrupted",
            seq: this.seq(undefined),
            timestamp: this.ts(ev),
          };
          const partial =
            isPlainObject(first) && isPlainObject(first.metadata) ? str(first.metadata.partial) : undefined;
          if (partial !== undefined) chunk.partial = partial;
          return chunk;
        }
        if (ev.result === undefined) return undefined;
        return {
          type: "result",
          output: ev.result,
          success: true,
          seq: this.seq(undefined),
          timestamp: this.ts(ev),
        };
      }
      default:
        return undefined;
    }
  }

  /** A progress chunk when the shared state has a recognisable progress shape that changed. */
  private progressFromState(ev: Ev): StreamChunk | undefined {
    const s = this.state;
    if (!isPlainObject(s)) return undefined;
    const p = isPlainObject(s.progress) ? s.progress : s;
    const current = num(p.current) ?? num(p.step) ?? num(p.completed);
    if (current === undefined) return undefined;
    const total = num(p.total);
    if (total === undefined && num(p.current) === undefined) return undefined;
    const label = str(p.label) ?? str(p.step) ?? str(p.stepName) ?? str(p.title) ?? "";
    const message = str(p.message);
    const key = JSON.stringify([label, current, total, message]);
    if (key === this.lastStateProgress) return undefined;
    this.lastStateProgress = key;
    const chunk: StreamChunk = {
      type: "progress",
      step: label,
      current,
      seq: this.seq(undefined),
      timestamp: this.ts(ev),
    };
    if (total !== undefined) chunk.total = total;
    if (message !== undefined) chunk.message = message;
    return chunk;
  }
}

/** Decodes a whole event array with a fresh {@link ChunkDecoder}. */
export function decodeEvents(events: Iterable<BaseEvent>, options?: ChunkDecoderOptions): StreamChunk[] {
  const dec = new ChunkDecoder(options);
  const out: StreamChunk[] = [];
  for (const ev of events) for (const c of dec.decode(ev)) out.push(c);
  return out;
}
