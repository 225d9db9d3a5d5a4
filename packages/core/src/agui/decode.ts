/**
 * AG-UI events → chunks. Events written by the {@link ChunkEncoder} decode exactly (through the
 * envelope under `metadata.agentstream`); events of any other AG-UI agent decode by their type
 * (TEXT_MESSAGE_* and _CHUNK, TOOL_CALL_* and _CHUNK, REASONING_* and legacy THINKING_*,
 * STATE_SNAPSHOT/STATE_DELTA with a progress shape, STEP_*, RUN_ERROR, RUN_FINISHED).
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import type { StreamChunk } from "../chunk.js";
import type { RunLifecycleInput, RunStoreInput } from "../run/input.js";
import { isPlainObject } from "../validate.js";
import { activityChunk } from "./activities.js";
import { customEventChunk } from "./custom-events.js";
import { type AgentStreamEnvelope, E, readEnvelope } from "./envelope.js";
import { applyJsonPatch, type JsonPatchOperation } from "./json-patch.js";

const NOT_JSON: unique symbol = Symbol("not JSON");

/** JSON text parsed, or {@link NOT_JSON}: data from the network never throws here. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/** Options of {@link ChunkDecoder}. */
export interface ChunkDecoderOptions {
  /** Clock for events without a `timestamp`. Default `Date.now`. */
  now?: () => number;
}

type Ev = BaseEvent & Record<string, unknown>;

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
  private malformedCount = 0;

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
    this.malformedCount = 0;
  }

  /** The chunks one event stands for (often none: framing events carry no chunk). */
  decode(event: BaseEvent): StreamChunk[] {
    const chunk = this.decodeOne(event);
    return chunk === undefined ? [] : [chunk];
  }

  /**
   * Like {@link decode}, for callers on a hot path: an AG-UI event stands for at most one chunk.
   *
   * Never throws: an event it cannot read (not an object, or a field that does not hold what its
   * envelope says) becomes a recoverable `error` chunk with code `malformed_event` and is counted
   * in {@link ChunkDecoder.malformed}.
   */
  decodeOne(event: BaseEvent): StreamChunk | undefined {
    if (typeof event !== "object" || event === null || typeof (event as Ev).type !== "string")
      return this.malformedChunk(event, "not an AG-UI event (an object with a string `type`)");
    try {
      return this.decodeChecked(event);
    } catch (error) {
      return this.malformedChunk(event, error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * What the run reducer folds for one event: the chunk it stands for (if any), then the lifecycle
   * input it stands for (if any). `RunStore.pushEvent` folds exactly these; fold them yourself with
   * `foldInputs` or `RunReducer.apply` to reach the same state. Never throws (see {@link decodeOne}).
   */
  decodeInputs(event: BaseEvent): RunStoreInput[] {
    const chunk = this.decodeOne(event);
    const life = this.lifecycleInput(event);
    if (chunk === undefined) return life === undefined ? [] : [life];
    return life === undefined ? [chunk] : [chunk, life];
  }

  /**
   * The lifecycle input an event stands for besides its chunk: `run_started` for RUN_STARTED,
   * `tool_call_end` for TOOL_CALL_END, `run_finished` for RUN_FINISHED (also when it carried a
   * result or an interrupt: the reducer ignores it once the run has ended). Reads only the event's
   * type, id and timestamp, so a malformed lifecycle event still counts. Prefer
   * {@link decodeInputs}, which also gives the chunk, in order; this is its allocation-free half
   * for hot paths (call {@link decodeOne} first).
   */
  lifecycleInput(event: BaseEvent): RunLifecycleInput | undefined {
    if (typeof event !== "object" || event === null) return undefined;
    const ev = event as Ev;
    switch (ev.type) {
      case E.RUN_STARTED:
        return { type: "run_started", timestamp: this.ts(ev) };
      case E.TOOL_CALL_END:
        return { type: "tool_call_end", id: String(ev.toolCallId ?? "") };
      case E.RUN_FINISHED:
        return { type: "run_finished", timestamp: this.ts(ev) };
      default:
        return undefined;
    }
  }

  /** Events that could not be decoded so far (each became an `error` chunk). */
  get malformed(): number {
    return this.malformedCount;
  }

  private malformedChunk(event: unknown, reason: string): StreamChunk {
    this.malformedCount++;
    const type = typeof event === "object" && event !== null ? str((event as Ev).type) : undefined;
    return {
      type: "error",
      message: `Could not decode ${type === undefined ? "an event" : `a ${type} event`}: ${reason}`,
      code: "malformed_event",
      recoverable: true,
      seq: this.nextSeq++,
      timestamp: this.now(),
    };
  }

  private decodeChecked(event: BaseEvent): StreamChunk | undefined {
    const ev = event as Ev;
    const env = readEnvelope(event);
    this.track(ev);
    if (env?.part === true) return undefined;
    const chunk = this.decodeEvent(ev, env);
    if (env === undefined) return chunk;
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

  /**
   * One event to (at most) one chunk. `env` is the envelope of events the ChunkEncoder wrote: it
   * says exactly which chunk the event carries (empty deltas included, the tool's name, how the
   * args and the result were encoded); without it the event comes from any AG-UI agent and is
   * read as AG-UI defines it (empty deltas and events of skipped messages make no chunk).
   */
  private decodeEvent(ev: Ev, env: AgentStreamEnvelope | undefined): StreamChunk | undefined {
    switch (ev.type) {
      case E.TEXT_MESSAGE_CONTENT: {
        const delta = str(ev.delta);
        if (env === undefined && (!delta || this.skipMessages.has(str(ev.messageId) ?? ""))) return undefined;
        return { type: "token", text: delta ?? "", seq: this.seq(env), timestamp: this.ts(ev) };
      }
      case E.TEXT_MESSAGE_CHUNK: {
        const role = str(ev.role);
        if (role !== undefined) this.lastChunkMessageRole = role;
        const delta = str(ev.delta);
        const msgRole = role ?? this.lastChunkMessageRole;
        if (!delta || (msgRole !== undefined && msgRole !== "assistant")) return undefined;
        return { type: "token", text: delta, seq: this.seq(env), timestamp: this.ts(ev) };
      }
      case E.REASONING_MESSAGE_CONTENT:
      case E.REASONING_MESSAGE_CHUNK:
      case E.THINKING_TEXT_MESSAGE_CONTENT: {
        const delta = str(ev.delta);
        if (env === undefined && !delta) return undefined;
        return { type: "thinking", text: delta ?? "", seq: this.seq(env), timestamp: this.ts(ev) };
      }
      case E.TOOL_CALL_START:
      case E.TOOL_CALL_ARGS:
      case E.TOOL_CALL_CHUNK:
        return this.toolCall(ev, env);
      case E.TOOL_CALL_RESULT:
        return this.toolResult(ev, env);
      case E.RUN_FINISHED:
        return this.runFinished(ev, env);
      case E.RUN_ERROR:
        return this.runError(ev, env);
      default:
        return this.decodeOther(ev, env);
    }
  }

  /** TOOL_CALL_START / ARGS / CHUNK: a `tool_call` chunk (start, args delta or whole args). */
  private toolCall(ev: Ev, env: AgentStreamEnvelope | undefined): StreamChunk | undefined {
    const own = env !== undefined;
    const id = str(ev.toolCallId) ?? (ev.type === E.TOOL_CALL_CHUNK ? this.lastToolId : own ? "" : undefined);
    if (id === undefined) return undefined;
    const name = own
      ? (env.name ?? this.toolNames.get(id) ?? "")
      : ev.type === E.TOOL_CALL_START
        ? (str(ev.toolCallName) ?? "")
        : (this.toolNames.get(id) ?? "");
    const chunk: StreamChunk = { type: "tool_call", id, name, seq: 0, timestamp: this.ts(ev) };
    const delta = str(ev.delta);
    if (ev.type === E.TOOL_CALL_ARGS && own) {
      const args = env.argsJson === true ? parseJson(delta ?? "") : undefined;
      if (env.argsJson === true && isPlainObject(args)) chunk.args = args;
      else {
        // argsJson whose delta is not a JSON object: the delta still carries the text.
        if (env.argsJson === true || env.noDelta !== true) chunk.argsDelta = delta ?? "";
        if (env.args !== undefined) chunk.args = env.args;
      }
    } else if (ev.type === E.TOOL_CALL_ARGS) {
      if (!delta) return undefined;
      chunk.argsDelta = delta;
    } else if (ev.type === E.TOOL_CALL_CHUNK) {
      if (delta) chunk.argsDelta = delta;
      else if (str(ev.toolCallName) === undefined) return undefined;
    }
    chunk.seq = this.seq(env);
    return chunk;
  }

  /** TOOL_CALL_RESULT: a `tool_result` chunk (the envelope restores its encoding and success). */
  private toolResult(ev: Ev, env: AgentStreamEnvelope | undefined): StreamChunk | undefined {
    const id = str(ev.toolCallId) ?? (env !== undefined ? "" : undefined);
    if (id === undefined) return undefined;
    const content = str(ev.content) ?? "";
    let result: unknown = content;
    if (env?.enc === "json") {
      const parsed = parseJson(content);
      result = parsed === NOT_JSON ? content : parsed;
    } else if (env?.enc === "undefined") result = undefined;
    const chunk: StreamChunk = {
      type: "tool_result",
      id,
      result,
      success: env?.success ?? true,
      seq: this.seq(env),
      timestamp: this.ts(ev),
    };
    const name = env !== undefined ? env.name : this.toolNames.get(id);
    if (name !== undefined) chunk.name = name;
    return chunk;
  }

  /** Activities, CUSTOM, state, steps: the same with or without an envelope. */
  private decodeOther(ev: Ev, env: AgentStreamEnvelope | undefined): StreamChunk | undefined {
    switch (ev.type) {
      case E.ACTIVITY_SNAPSHOT:
      case E.ACTIVITY_DELTA: {
        const act = this.activities.get(str(ev.messageId) ?? "");
        if (act === undefined) return undefined;
        return activityChunk(
          act.activityType,
          act.content,
          { seq: this.seq(env), timestamp: this.ts(ev) },
          env,
        );
      }
      case E.CUSTOM:
        return customEventChunk(ev.name, ev.value, { seq: this.seq(env), timestamp: this.ts(ev) });
      case E.STATE_SNAPSHOT:
      case E.STATE_DELTA:
        return this.progressFromState(ev);
      case E.STEP_STARTED:
      case E.STEP_FINISHED: {
        // A foreign step: progress with the steps done so far (a finished step counts).
        const name = str(ev.stepName);
        if (name === undefined) return undefined;
        if (ev.type === E.STEP_FINISHED) this.stepsDone++;
        return {
          type: "progress",
          step: name,
          current: this.stepsDone,
          seq: this.seq(undefined),
          timestamp: this.ts(ev),
        };
      }
      default:
        return undefined;
    }
  }

  /** RUN_ERROR: an `error` chunk (the envelope restores `recoverable`). */
  private runError(ev: Ev, env: AgentStreamEnvelope | undefined): StreamChunk {
    const chunk: StreamChunk = {
      type: "error",
      message: str(ev.message) ?? "",
      seq: this.seq(env),
      timestamp: this.ts(ev),
    };
    const code = str(ev.code);
    if (code !== undefined) chunk.code = code;
    if (env?.recoverable !== undefined) chunk.recoverable = env.recoverable;
    return chunk;
  }

  /**
   * RUN_FINISHED: `interrupted` when its outcome is an interrupt, else `result` (a foreign
   * RUN_FINISHED without a result is pure framing; the envelope restores success, duration, partial).
   */
  private runFinished(ev: Ev, env: AgentStreamEnvelope | undefined): StreamChunk | undefined {
    const outcome = ev.outcome;
    if (isPlainObject(outcome) && outcome.type === "interrupt") {
      const interrupts = Array.isArray(outcome.interrupts) ? outcome.interrupts : [];
      const first: unknown = interrupts[0];
      const reason = isPlainObject(first)
        ? (str(first.reason) ?? (env === undefined ? str(first.message) : undefined))
        : undefined;
      const chunk: StreamChunk = {
        type: "interrupted",
        reason: reason ?? "interrupted",
        seq: this.seq(env),
        timestamp: this.ts(ev),
      };
      const partial =
        env !== undefined
          ? env.partial
          : isPlainObject(first) && isPlainObject(first.metadata)
            ? str(first.metadata.partial)
            : undefined;
      if (partial !== undefined) chunk.partial = partial;
      return chunk;
    }
    if (env === undefined && ev.result === undefined) return undefined;
    const chunk: StreamChunk = {
      type: "result",
      output: ev.result,
      success: env?.success ?? true,
      seq: this.seq(env),
      timestamp: this.ts(ev),
    };
    if (env?.duration !== undefined) chunk.duration = env.duration;
    return chunk;
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

/**
 * Decodes a whole event array into what the run reducer folds (chunks and lifecycle inputs, see
 * {@link ChunkDecoder.decodeInputs}) with a fresh {@link ChunkDecoder}:
 * `foldInputs(decodeStoreInputs(events))` is the state a `RunStore` fed the same events with
 * `pushEvent` reaches.
 */
export function decodeStoreInputs(
  events: Iterable<BaseEvent>,
  options?: ChunkDecoderOptions,
): RunStoreInput[] {
  const dec = new ChunkDecoder(options);
  const out: RunStoreInput[] = [];
  for (const ev of events) for (const input of dec.decodeInputs(ev)) out.push(input);
  return out;
}

/**
 * Decodes a whole event array into chunks with a fresh {@link ChunkDecoder}. Chunks alone leave out
 * the lifecycle events (see {@link decodeStoreInputs} for what the run store folds).
 */
export function decodeEvents(events: Iterable<BaseEvent>, options?: ChunkDecoderOptions): StreamChunk[] {
  const dec = new ChunkDecoder(options);
  const out: StreamChunk[] = [];
  for (const ev of events) for (const c of dec.decode(ev)) out.push(c);
  return out;
}
