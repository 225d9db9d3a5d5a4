/**
 * Chunks → seed 004's named SSE events, for `GET /api/agents/:agentId/stream` (EventSource
 * clients written for the seed).
 *
 * | chunk         | `event:`      | `data` fields                                              |
 * |---------------|---------------|------------------------------------------------------------|
 * | `token`       | `token`       | `token`, `metadata` (`count`: 1, 2, 3… plus the chunk's)    |
 * | `thinking`    | `thinking`    | `content`                                                  |
 * | `status`      | `status`      | `status`, `iteration?`                                     |
 * | `progress`    | `progress`    | `step` (the number: chunk `current`), `total?`, `message`, `label?` |
 * | `tool_call`   | `tool_start`  | `tool_name`, `tool_input`, `tool_call_id` (once per call, args complete) |
 * | `tool_result` | `tool_end`    | `tool_name`, `tool_output`, `success`, `tool_call_id`      |
 * | `result`      | `result`      | `result`, `success`, `duration?`                           |
 * | `error`       | `error`       | `message`, `code?`, `recoverable?`                         |
 * | `interrupted` | `interrupted` | `reason`, `partial?`                                       |
 *
 * Every event also has `agent` in its data when the chunk has one (multi-agent streams).
 *
 * The JSON of an event is seed 004's schema, `{ type, data: { … } }`, with the `data` fields
 * repeated at the top level: seed 004's own JavaScript client reads `JSON.parse(event.data).token`
 * (and `.step`, `.total`), while its schema nests them under `data`; both read the same payload.
 *
 * A tool call's `tool_start` waits until its arguments are complete (a chunk with `args`, the
 * call's TOOL_CALL_END via {@link SeedEventMapper.endTool}, its result, or the end of the run).
 * A `tool_input` that the input layer wrapped as `{ input: x }` (seed 004's string `tool_input`)
 * is unwrapped back to `x`.
 *
 * @packageDocumentation
 */
import type { StreamChunk } from "@agentstream/core";

/** The named events of the seed route. */
export const SEED_EVENT_NAMES = [
  "token",
  "thinking",
  "status",
  "progress",
  "tool_start",
  "tool_end",
  "result",
  "error",
  "interrupted",
] as const;

/** The name of a seed event (the SSE `event:` line). */
export type SeedEventName = (typeof SEED_EVENT_NAMES)[number];

/** One seed 004 event: `{ type, data }`. */
export interface SeedEvent {
  type: SeedEventName;
  data: Record<string, unknown>;
}

interface PendingTool {
  name: string;
  argsText: string;
  args?: Record<string, unknown>;
  agent?: string;
  started: boolean;
}

/** `{ input: x }` (how the input layer wraps a non-object `tool_input`) back to `x`. */
function toolInput(args: Record<string, unknown> | undefined, argsText: string): unknown {
  let value: unknown = args;
  if (value === undefined) {
    if (argsText === "") return {};
    try {
      value = JSON.parse(argsText);
    } catch {
      return argsText;
    }
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "input") return (value as { input: unknown }).input;
  }
  return value;
}

/**
 * Maps the chunks of one run, in order, to seed events (keep one mapper per response: it
 * counts tokens and holds tool calls until their arguments are complete).
 */
export class SeedEventMapper {
  private tokens = 0;
  private readonly tools = new Map<string, PendingTool>();

  /** The seed events one chunk stands for (none, one, or a held `tool_start` and then this one). */
  push(chunk: StreamChunk): SeedEvent[] {
    const out: SeedEvent[] = [];
    const withAgent = (data: Record<string, unknown>) => {
      if (chunk.agent !== undefined) data.agent = chunk.agent;
      return data;
    };
    switch (chunk.type) {
      case "token":
        this.tokens++;
        out.push({
          type: "token",
          data: withAgent({ token: chunk.text, metadata: { count: this.tokens, ...chunk.metadata } }),
        });
        break;
      case "thinking":
        out.push({ type: "thinking", data: withAgent({ content: chunk.text }) });
        break;
      case "status": {
        const data: Record<string, unknown> = { status: chunk.status };
        if (chunk.iteration !== undefined) data.iteration = chunk.iteration;
        out.push({ type: "status", data: withAgent(data) });
        break;
      }
      case "progress": {
        const data: Record<string, unknown> = { step: chunk.current };
        if (chunk.total !== undefined) data.total = chunk.total;
        data.message = chunk.message ?? chunk.step;
        if (chunk.step !== "") data.label = chunk.step;
        out.push({ type: "progress", data: withAgent(data) });
        break;
      }
      case "tool_call": {
        let tool = this.tools.get(chunk.id);
        if (tool === undefined) {
          tool = { name: chunk.name, argsText: "", started: false };
          if (chunk.agent !== undefined) tool.agent = chunk.agent;
          this.tools.set(chunk.id, tool);
        }
        if (chunk.name !== "") tool.name = chunk.name;
        if (chunk.argsDelta !== undefined) tool.argsText += chunk.argsDelta;
        if (chunk.args !== undefined) {
          tool.args = chunk.args;
          this.start(chunk.id, out);
        }
        break;
      }
      case "tool_result": {
        this.start(chunk.id, out);
        const tool = this.tools.get(chunk.id);
        out.push({
          type: "tool_end",
          data: withAgent({
            tool_name: chunk.name ?? tool?.name ?? "",
            tool_output: chunk.result,
            success: chunk.success,
            tool_call_id: chunk.id,
          }),
        });
        this.tools.delete(chunk.id);
        break;
      }
      case "result": {
        this.flush(out);
        const data: Record<string, unknown> = { result: chunk.output, success: chunk.success };
        if (chunk.duration !== undefined) data.duration = chunk.duration;
        out.push({ type: "result", data: withAgent(data) });
        break;
      }
      case "error": {
        this.flush(out);
        const data: Record<string, unknown> = { message: chunk.message };
        if (chunk.code !== undefined) data.code = chunk.code;
        if (chunk.recoverable !== undefined) data.recoverable = chunk.recoverable;
        out.push({ type: "error", data: withAgent(data) });
        break;
      }
      case "interrupted": {
        this.flush(out);
        const data: Record<string, unknown> = { reason: chunk.reason };
        if (chunk.partial !== undefined) data.partial = chunk.partial;
        out.push({ type: "interrupted", data: withAgent(data) });
        break;
      }
    }
    return out;
  }

  /** The call `id` is complete (its TOOL_CALL_END): its `tool_start`, unless already sent. */
  endTool(id: string): SeedEvent[] {
    const out: SeedEvent[] = [];
    this.start(id, out);
    return out;
  }

  private start(id: string, out: SeedEvent[]): void {
    const tool = this.tools.get(id);
    if (tool === undefined || tool.started) return;
    tool.started = true;
    const data: Record<string, unknown> = {
      tool_name: tool.name,
      tool_input: toolInput(tool.args, tool.argsText),
      tool_call_id: id,
    };
    if (tool.agent !== undefined) data.agent = tool.agent;
    out.push({ type: "tool_start", data });
  }

  /** Sends the `tool_start` of every call still held (the run is ending). */
  private flush(out: SeedEvent[]): void {
    for (const id of this.tools.keys()) this.start(id, out);
  }
}

/** The JSON of a seed event: `{ type, data, ...data }` (see the module comment). */
export function seedEventJson(event: SeedEvent): string {
  return JSON.stringify({ type: event.type, data: event.data, ...event.data });
}
