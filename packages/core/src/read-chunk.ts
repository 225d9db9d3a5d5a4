/**
 * A fast, message-free reader of canonical chunks: the chunk {@link validateChunk} would return,
 * or `undefined` where it would throw. For code that renders or folds chunks that are nearly
 * always canonical and needs no error message on the common path (the kit's `StreamChunk` loads
 * the strict validator only for a chunk this refuses). Equivalent to `validateChunk` (same chunks
 * accepted, same result, key order included): a property test holds the two together.
 *
 * @packageDocumentation
 */
import { AGENT_STATUSES, ASK_STATES, CHUNK_TYPES, type ChunkType, type StreamChunk } from "./chunk.js";
import { isPlainObject } from "./validate.js";

/**
 * A field: its name and how it is read, `s` a string, `S` a non-empty string, `n` a finite number
 * >= 0, `t` a finite number, `b` true or false, `o` a plain object, `a` anything (kept even when
 * undefined); a trailing `?`: optional (left out when undefined).
 */
type Field = readonly [name: string, kind: string];

const ENVELOPE: readonly Field[] = [
  ["seq", "n"],
  ["timestamp", "t"],
  ["agent", "s?"],
  ["metadata", "o?"],
];

/** Each type's own fields, in the order a chunk holds them (`status`, `state`, `choices` by hand). */
const FIELDS: Readonly<Record<ChunkType, readonly Field[]>> = {
  token: [["text", "s"]],
  thinking: [["text", "s"]],
  status: [["iteration", "n?"]],
  progress: [
    ["step", "s"],
    ["current", "n"],
    ["total", "n?"],
    ["message", "s?"],
  ],
  tool_call: [
    ["id", "S"],
    ["name", "s"],
    ["argsDelta", "s?"],
    ["args", "o?"],
  ],
  tool_result: [
    ["id", "S"],
    ["result", "a"],
    ["success", "b"],
    ["name", "s?"],
  ],
  result: [
    ["output", "a"],
    ["success", "b"],
    ["duration", "n?"],
  ],
  error: [
    ["message", "s"],
    ["code", "s?"],
    ["recoverable", "b?"],
  ],
  interrupted: [
    ["reason", "s"],
    ["partial", "s?"],
  ],
  ask: [
    ["id", "S"],
    ["prompt", "s"],
    ["schema", "o?"],
  ],
};

function fits(kind: string, v: unknown): boolean {
  switch (kind[0]) {
    case "s":
      return typeof v === "string";
    case "S":
      return typeof v === "string" && v.length > 0;
    case "n":
      return typeof v === "number" && Number.isFinite(v) && v >= 0;
    case "t":
      return typeof v === "number" && Number.isFinite(v);
    case "b":
      return typeof v === "boolean";
    case "o":
      return isPlainObject(v);
    default:
      return true;
  }
}

/** Copies the (non-)optional fields of `fields` into `into`; false when one does not fit. */
function copy(
  value: Record<string, unknown>,
  fields: readonly Field[],
  optional: boolean,
  into: object,
): boolean {
  for (const [name, kind] of fields) {
    if (kind.endsWith("?") !== optional) continue;
    const v = value[name];
    if (optional && v === undefined) continue;
    if (!fits(kind, v)) return false;
    (into as Record<string, unknown>)[name] = v;
  }
  return true;
}

function isChoice(ch: unknown): ch is { label: string; value: unknown } {
  return isPlainObject(ch) && typeof ch.label === "string" && "value" in ch;
}

/**
 * The canonical chunk `value` holds (a clean copy with only the chunk model's fields, optional
 * ones left out when `undefined`), or `undefined` when it is not one. Never throws; says nothing
 * about why (use `validateChunk` for that).
 */
export function readCanonicalChunk(value: unknown): StreamChunk | undefined {
  if (!isPlainObject(value)) return undefined;
  const type = value.type as ChunkType;
  if (typeof type !== "string" || !(CHUNK_TYPES as readonly string[]).includes(type)) return undefined;
  const envelope = {};
  if (!copy(value, ENVELOPE, false, envelope) || !copy(value, ENVELOPE, true, envelope)) return undefined;
  const chunk: Record<string, unknown> = { type };
  if (type === "status") {
    if (!(AGENT_STATUSES as readonly unknown[]).includes(value.status)) return undefined;
    chunk.status = value.status;
  }
  const state = value.state;
  if (type === "ask" && !(ASK_STATES as readonly unknown[]).includes(state)) return undefined;
  if (!copy(value, FIELDS[type], false, chunk)) return undefined;
  if (type === "ask") chunk.state = state;
  Object.assign(chunk, envelope);
  if (type === "ask" && value.choices !== undefined) {
    const choices = value.choices;
    if (!Array.isArray(choices) || !choices.every(isChoice)) return undefined;
    chunk.choices = choices.map((ch) => ({ label: ch.label, value: ch.value }));
  }
  if (!copy(value, FIELDS[type], true, chunk)) return undefined;
  if (type === "ask" && "value" in value && value.value !== undefined) chunk.value = value.value;
  return chunk as unknown as StreamChunk;
}
