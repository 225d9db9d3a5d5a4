/**
 * Chunks → AG-UI events. The encoder opens and closes text messages, reasoning messages, tool
 * calls and steps so that every stream it produces passes `verifyEvents` of `@ag-ui/client`
 * (0.0.59), and puts the chunk envelope under `metadata.agentstream` so that the
 * {@link ChunkDecoder} restores the chunks exactly. See docs/protocol.md for the full mapping.
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import type { StreamChunk, ToolCallChunk } from "../chunk.js";
import { ProgressTracker } from "../run/progress.js";
import type {
  AskActivityContent,
  ProgressActivityContent,
  StatusActivityContent,
  StatusActivityValue,
} from "./activities.js";
import {
  type AgentSlot,
  carry,
  closeReasoning,
  closeText,
  closeTool,
  type Ev,
  part,
} from "./encode-slots.js";
import {
  type AgentStreamEnvelope,
  ASK_ACTIVITY,
  E,
  ERROR_EVENT,
  INTERRUPTED_EVENT,
  PROGRESS_ACTIVITY,
  RESULT_EVENT,
  STATUS_ACTIVITY,
} from "./envelope.js";

/** Options of {@link ChunkEncoder} and {@link encodeChunks}. */
export interface ChunkEncoderOptions {
  /** The AG-UI thread id (RUN_STARTED / RUN_FINISHED). */
  threadId: string;
  /** The AG-UI run id; also the prefix of every message id the encoder makes. */
  runId: string;
  /** Clock for the events that belong to no chunk (RUN_STARTED, the final RUN_FINISHED). Default `Date.now`. */
  now?: () => number;
  /**
   * How an `interrupted` chunk without `agent` ends the run:
   * - `"outcome"` (default): RUN_FINISHED with `outcome: { type: "interrupt", interrupts: [...] }`.
   *   Note: an @ag-ui/client agent then records a pending interrupt, and its next `runAgent` on
   *   the thread must pass `resume` for it.
   * - `"custom"`: CUSTOM `agentstream.interrupted` then a plain RUN_FINISHED.
   */
  interruptAs?: "outcome" | "custom";
}

/**
 * Encodes a stream of chunks into AG-UI events, one chunk at a time.
 *
 * ```ts
 * const enc = new ChunkEncoder({ threadId, runId });
 * send(enc.start());
 * for await (const chunk of stream) send(enc.encode(chunk));
 * send(enc.finish());
 * ```
 */
export class ChunkEncoder {
  private readonly threadId: string;
  private readonly runId: string;
  private readonly now: () => number;
  private readonly interruptAs: "outcome" | "custom";
  private readonly slots = new Map<string, AgentSlot>();
  private readonly toolNames = new Map<string, string>();
  private readonly toolArgsSent = new Set<string>();
  private readonly sentNames = new Map<string, string>();
  private readonly activeSteps = new Set<string>();
  private counter = 0;
  private started = false;
  private _ended = false;

  /** @param options - thread and run ids, clock, interruption style */
  constructor(options: ChunkEncoderOptions) {
    this.threadId = options.threadId;
    this.runId = options.runId;
    this.now = options.now ?? Date.now;
    this.interruptAs = options.interruptAs ?? "outcome";
  }

  /** True once the run has ended (RUN_FINISHED or RUN_ERROR sent); later chunks are dropped. */
  get ended(): boolean {
    return this._ended;
  }

  /** RUN_STARTED. Called automatically by the first {@link encode} if needed; returns `[]` the second time. */
  start(): BaseEvent[] {
    if (this.started) return [];
    this.started = true;
    return [{ type: E.RUN_STARTED, threadId: this.threadId, runId: this.runId, timestamp: this.now() } as Ev];
  }

  /** The events for one chunk (empty once the run has ended). */
  encode(chunk: StreamChunk): BaseEvent[] {
    const out: Ev[] = this.started ? [] : (this.start() as Ev[]);
    if (this._ended) return out;
    const ts = chunk.timestamp;
    const slot = this.slot(chunk.agent);
    switch (chunk.type) {
      case "token": {
        closeReasoning(slot, out, ts);
        closeTool(slot, out, ts);
        if (slot.textId === undefined) {
          slot.textId = slot.lastTextId = this.id("msg");
          const start: Ev = {
            type: E.TEXT_MESSAGE_START,
            messageId: slot.textId,
            role: "assistant",
            timestamp: ts,
          };
          if (chunk.agent !== undefined) start.name = chunk.agent;
          out.push(start);
        }
        out.push(
          carry(
            { type: E.TEXT_MESSAGE_CONTENT, messageId: slot.textId, delta: chunk.text, timestamp: ts },
            chunk,
          ),
        );
        break;
      }
      case "thinking": {
        closeText(slot, out, ts);
        closeTool(slot, out, ts);
        if (slot.reasoningId === undefined) {
          const id = this.id("reasoning");
          slot.reasoningId = id;
          out.push({ type: E.REASONING_START, messageId: id, timestamp: ts });
          out.push({ type: E.REASONING_MESSAGE_START, messageId: id, role: "reasoning", timestamp: ts });
        }
        out.push(
          carry(
            {
              type: E.REASONING_MESSAGE_CONTENT,
              messageId: slot.reasoningId,
              delta: chunk.text,
              timestamp: ts,
            },
            chunk,
          ),
        );
        break;
      }
      case "status": {
        const content: StatusActivityContent = { status: chunk.status };
        if (chunk.iteration !== undefined) content.iteration = chunk.iteration;
        if (chunk.agent !== undefined) content.agent = chunk.agent;
        slot.statusId ??= this.id(chunk.agent === undefined ? "status" : `status:${chunk.agent}`, false);
        slot.status = chunk.status;
        slot.iteration = chunk.iteration;
        slot.statusFinal = undefined;
        out.push(
          carry(
            {
              type: E.ACTIVITY_SNAPSHOT,
              messageId: slot.statusId,
              activityType: STATUS_ACTIVITY,
              content,
              replace: true,
              timestamp: ts,
            },
            chunk,
          ),
        );
        break;
      }
      case "progress": {
        slot.progress ??= new ProgressTracker();
        const tracker = slot.progress;
        tracker.apply(chunk, ts);
        if (chunk.step !== "" && chunk.step !== slot.stepLabel) {
          this.closeStep(slot, out, ts, chunk.seq);
          slot.stepLabel = chunk.step;
          let name = chunk.agent === undefined ? chunk.step : `${chunk.agent}: ${chunk.step}`;
          if (this.activeSteps.has(name)) name = `${name} #${++this.counter}`;
          this.activeSteps.add(name);
          slot.stepName = name;
          out.push(part({ type: E.STEP_STARTED, stepName: slot.stepName, timestamp: ts }, chunk.seq));
        }
        const content: ProgressActivityContent = {
          step: chunk.step,
          current: chunk.current,
          steps: tracker.snapshot()?.steps.slice() ?? [],
        };
        if (chunk.total !== undefined) content.total = chunk.total;
        if (chunk.message !== undefined) content.message = chunk.message;
        if (chunk.agent !== undefined) content.agent = chunk.agent;
        slot.progressId ??= this.id(
          chunk.agent === undefined ? "progress" : `progress:${chunk.agent}`,
          false,
        );
        out.push(
          carry(
            {
              type: E.ACTIVITY_SNAPSHOT,
              messageId: slot.progressId,
              activityType: PROGRESS_ACTIVITY,
              content,
              replace: true,
              timestamp: ts,
            },
            chunk,
          ),
        );
        if (chunk.total !== undefined && chunk.current >= chunk.total)
          this.closeStep(slot, out, ts, chunk.seq);
        break;
      }
      case "ask": {
        const content: AskActivityContent = { id: chunk.id, prompt: chunk.prompt, state: chunk.state };
        if (chunk.choices !== undefined) content.choices = chunk.choices;
        if (chunk.schema !== undefined) content.schema = chunk.schema;
        if (chunk.value !== undefined) content.value = chunk.value;
        if (chunk.agent !== undefined) content.agent = chunk.agent;
        out.push(
          carry(
            {
              type: E.ACTIVITY_SNAPSHOT,
              messageId: `${this.runId}:ask:${chunk.id}`,
              activityType: ASK_ACTIVITY,
              content,
              replace: true,
              timestamp: ts,
            },
            chunk,
          ),
        );
        break;
      }
      case "tool_call":
        this.encodeToolCall(chunk, slot, out);
        break;
      case "tool_result": {
        closeText(slot, out, ts);
        closeReasoning(slot, out, ts);
        if (slot.toolId !== undefined) closeTool(slot, out, ts);
        const extra: Partial<AgentStreamEnvelope> = { success: chunk.success };
        if (chunk.name !== undefined) extra.name = chunk.name;
        let content: string;
        if (typeof chunk.result === "string") content = chunk.result;
        else if (chunk.result === undefined) {
          content = "";
          extra.enc = "undefined";
        } else {
          content = JSON.stringify(chunk.result);
          extra.enc = "json";
        }
        out.push(
          carry(
            {
              type: E.TOOL_CALL_RESULT,
              messageId: this.id("tool-result"),
              toolCallId: chunk.id,
              content,
              role: "tool",
              timestamp: ts,
            },
            chunk,
            extra,
          ),
        );
        break;
      }
      case "result": {
        const extra: Partial<AgentStreamEnvelope> = { success: chunk.success };
        if (chunk.duration !== undefined) extra.duration = chunk.duration;
        if (chunk.agent !== undefined) {
          this.closeSlot(slot, out, ts);
          this.endStatus(slot, chunk.success ? "completed" : "error", out, ts, chunk.seq);
          const value: Record<string, unknown> = { output: chunk.output, success: chunk.success };
          if (chunk.duration !== undefined) value.duration = chunk.duration;
          out.push(carry({ type: E.CUSTOM, name: RESULT_EVENT, value, timestamp: ts }, chunk));
          break;
        }
        this.closeAll(out, ts);
        this.endAllStatuses(chunk.success ? "completed" : "error", out, ts, chunk.seq);
        const ev: Ev = { type: E.RUN_FINISHED, threadId: this.threadId, runId: this.runId, timestamp: ts };
        if (chunk.output !== undefined) ev.result = chunk.output;
        out.push(carry(ev, chunk, extra));
        this._ended = true;
        break;
      }
      case "error": {
        const value: Record<string, unknown> = { message: chunk.message };
        if (chunk.code !== undefined) value.code = chunk.code;
        if (chunk.recoverable !== undefined) value.recoverable = chunk.recoverable;
        if (chunk.recoverable === true || chunk.agent !== undefined) {
          if (chunk.recoverable !== true) {
            this.closeSlot(slot, out, ts);
            this.endStatus(slot, "error", out, ts, chunk.seq);
          }
          out.push(carry({ type: E.CUSTOM, name: ERROR_EVENT, value, timestamp: ts }, chunk));
          break;
        }
        this.closeAll(out, ts);
        this.endAllStatuses("error", out, ts, chunk.seq);
        const ev: Ev = { type: E.RUN_ERROR, message: chunk.message, timestamp: ts };
        if (chunk.code !== undefined) ev.code = chunk.code;
        out.push(carry(ev, chunk, chunk.recoverable === false ? { recoverable: false } : {}));
        this._ended = true;
        break;
      }
      case "interrupted": {
        const value: Record<string, unknown> = { reason: chunk.reason };
        if (chunk.partial !== undefined) value.partial = chunk.partial;
        if (chunk.agent !== undefined) {
          this.closeSlot(slot, out, ts);
          this.endStatus(slot, "interrupted", out, ts, chunk.seq);
          out.push(carry({ type: E.CUSTOM, name: INTERRUPTED_EVENT, value, timestamp: ts }, chunk));
          break;
        }
        this.closeAll(out, ts);
        this.endAllStatuses("interrupted", out, ts, chunk.seq);
        if (this.interruptAs === "custom") {
          out.push(carry({ type: E.CUSTOM, name: INTERRUPTED_EVENT, value, timestamp: ts }, chunk));
          out.push({ type: E.RUN_FINISHED, threadId: this.threadId, runId: this.runId, timestamp: ts });
        } else {
          const interrupt: Record<string, unknown> = {
            id: `${this.runId}:interrupt`,
            reason: chunk.reason,
            message: `Run interrupted: ${chunk.reason}`,
          };
          if (chunk.partial !== undefined) interrupt.metadata = { partial: chunk.partial };
          out.push(
            carry(
              {
                type: E.RUN_FINISHED,
                threadId: this.threadId,
                runId: this.runId,
                outcome: { type: "interrupt", interrupts: [interrupt] },
                timestamp: ts,
              },
              chunk,
              chunk.partial !== undefined ? { partial: chunk.partial } : {},
            ),
          );
        }
        this._ended = true;
        break;
      }
    }
    return out;
  }

  /**
   * Closes whatever is open (text and reasoning messages, tool calls, steps) and sends
   * RUN_FINISHED, unless the run already ended (then `[]`).
   */
  finish(): BaseEvent[] {
    const out: Ev[] = this.started ? [] : (this.start() as Ev[]);
    if (this._ended) return out;
    const ts = this.now();
    this.closeAll(out, ts);
    this.endAllStatuses("completed", out, ts);
    out.push({ type: E.RUN_FINISHED, threadId: this.threadId, runId: this.runId, timestamp: ts });
    this._ended = true;
    return out;
  }

  private encodeToolCall(chunk: ToolCallChunk, slot: AgentSlot, out: Ev[]): void {
    const ts = chunk.timestamp;
    closeText(slot, out, ts);
    closeReasoning(slot, out, ts);
    if (slot.toolId !== undefined && slot.toolId !== chunk.id) closeTool(slot, out, ts);
    // A call open in another agent's slot (same id): close it there first.
    for (const other of this.slots.values()) {
      if (other !== slot && other.toolId === chunk.id) closeTool(other, out, ts);
    }
    if (chunk.name !== "" || !this.toolNames.has(chunk.id)) this.toolNames.set(chunk.id, chunk.name);
    const name = this.toolNames.get(chunk.id) as string;
    const hasArgs = chunk.argsDelta !== undefined || chunk.args !== undefined;
    let start: Ev | undefined;
    if (slot.toolId !== chunk.id) {
      slot.toolId = chunk.id;
      start = { type: E.TOOL_CALL_START, toolCallId: chunk.id, toolCallName: name, timestamp: ts };
      if (slot.lastTextId !== undefined) start.parentMessageId = slot.lastTextId;
      this.sentNames.set(chunk.id, name);
    }
    // Decoders take the name from the last TOOL_CALL_START; the envelope restores a different one (e.g. "").
    const extra: Partial<AgentStreamEnvelope> =
      chunk.name === this.sentNames.get(chunk.id) ? {} : { name: chunk.name };
    if (start !== undefined) {
      if (!hasArgs) {
        out.push(carry(start, chunk, extra));
        return;
      }
      out.push(part(start, chunk.seq));
    }
    let delta: string;
    if (chunk.argsDelta !== undefined) {
      delta = chunk.argsDelta;
      if (chunk.args !== undefined) extra.args = chunk.args;
    } else if (chunk.args !== undefined && !this.toolArgsSent.has(chunk.id)) {
      delta = JSON.stringify(chunk.args);
      extra.argsJson = true;
    } else {
      // Complete args after streamed text: AG-UI cannot replace arguments, the envelope carries them.
      delta = "";
      extra.noDelta = true;
      if (chunk.args !== undefined) extra.args = chunk.args;
    }
    if (delta !== "") this.toolArgsSent.add(chunk.id);
    out.push(carry({ type: E.TOOL_CALL_ARGS, toolCallId: chunk.id, delta, timestamp: ts }, chunk, extra));
    // Complete `args`: the call is fully known, close it now (clients start executing on TOOL_CALL_END).
    if (chunk.args !== undefined) closeTool(slot, out, ts);
  }

  private slot(agent: string | undefined): AgentSlot {
    const key = agent ?? "";
    let s = this.slots.get(key);
    if (s === undefined) {
      s = { agent };
      this.slots.set(key, s);
    }
    return s;
  }

  private id(kind: string, unique = true): string {
    return unique ? `${this.runId}:${kind}:${++this.counter}` : `${this.runId}:${kind}`;
  }

  /** STEP_FINISHED is marked as a part (of chunk `seq`, or -1 when no chunk caused it) so decoders skip it. */
  private closeStep(slot: AgentSlot, out: Ev[], ts: number, seq = -1): void {
    if (slot.stepName === undefined) return;
    out.push(part({ type: E.STEP_FINISHED, stepName: slot.stepName, timestamp: ts }, seq));
    this.activeSteps.delete(slot.stepName);
    slot.stepName = undefined;
  }

  private closeSlot(slot: AgentSlot, out: Ev[], ts: number): void {
    closeText(slot, out, ts);
    closeReasoning(slot, out, ts);
    closeTool(slot, out, ts);
    this.closeStep(slot, out, ts);
  }

  /**
   * The final snapshot of a slot's status row (when it has one, and it does not already say so):
   * a part of chunk `seq` (-1 when no chunk caused it), so decoders skip it.
   */
  private endStatus(slot: AgentSlot, status: StatusActivityValue, out: Ev[], ts: number, seq = -1): void {
    if (slot.statusId === undefined || slot.statusFinal) return;
    slot.statusFinal = true;
    if (slot.status === status) return;
    slot.status = status;
    const content: StatusActivityContent = { status, final: true };
    if (slot.iteration !== undefined) content.iteration = slot.iteration;
    if (slot.agent !== undefined) content.agent = slot.agent;
    out.push(
      part(
        {
          type: E.ACTIVITY_SNAPSHOT,
          messageId: slot.statusId,
          activityType: STATUS_ACTIVITY,
          content,
          replace: true,
          timestamp: ts,
        },
        seq,
      ),
    );
  }

  /** The run ended: every status row still open says how. */
  private endAllStatuses(status: StatusActivityValue, out: Ev[], ts: number, seq = -1): void {
    for (const slot of this.slots.values()) this.endStatus(slot, status, out, ts, seq);
  }

  private closeAll(out: Ev[], ts: number): void {
    for (const slot of this.slots.values()) this.closeSlot(slot, out, ts);
  }
}

/** Encodes a whole chunk array: RUN_STARTED, the events of every chunk, then whatever closes the run. */
export function encodeChunks(chunks: Iterable<StreamChunk>, options: ChunkEncoderOptions): BaseEvent[] {
  const enc = new ChunkEncoder(options);
  const out = enc.start();
  for (const chunk of chunks) for (const ev of enc.encode(chunk)) out.push(ev);
  for (const ev of enc.finish()) out.push(ev);
  return out;
}
