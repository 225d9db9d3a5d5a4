/**
 * AgentStream's AG-UI CUSTOM events (`agentstream.error`, `agentstream.result`,
 * `agentstream.interrupted`): the chunk each stands for.
 *
 * @packageDocumentation
 */
import type { StreamChunk } from "../chunk.js";
import { isPlainObject } from "../validate.js";
import type { ChunkStamp } from "./activities.js";
import { ERROR_EVENT, INTERRUPTED_EVENT, RESULT_EVENT } from "./envelope.js";

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** The chunk a CUSTOM event named `name` with `value` stands for, or undefined when it is not ours. */
export function customEventChunk(name: unknown, value: unknown, stamp: ChunkStamp): StreamChunk | undefined {
  const v = isPlainObject(value) ? value : {};
  if (name === ERROR_EVENT) {
    const chunk: StreamChunk = { type: "error", message: str(v.message) ?? "", ...stamp };
    const code = str(v.code);
    if (code !== undefined) chunk.code = code;
    if (typeof v.recoverable === "boolean") chunk.recoverable = v.recoverable;
    return chunk;
  }
  if (name === RESULT_EVENT) {
    const chunk: StreamChunk = { type: "result", output: v.output, success: v.success !== false, ...stamp };
    const duration = num(v.duration);
    if (duration !== undefined) chunk.duration = duration;
    return chunk;
  }
  if (name === INTERRUPTED_EVENT) {
    const chunk: StreamChunk = { type: "interrupted", reason: str(v.reason) ?? "interrupted", ...stamp };
    const partial = str(v.partial);
    if (partial !== undefined) chunk.partial = partial;
    return chunk;
  }
  return undefined;
}
