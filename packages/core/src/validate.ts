/**
 * Validation of chunks written by user code: every malformed chunk gets an error that names the
 * chunk's index in its stream, its type and the offending field.
 *
 * @packageDocumentation
 */
import { AGENT_STATUSES, ASK_STATES, CHUNK_TYPES, type ChunkType, type StreamChunk } from "./chunk.js";
import type { NormalizedFields } from "./normalize.js";

/**
 * Thrown for a chunk that is still malformed after normalisation. The message reads like
 * ``chunk 2 (tool_result): `success` must be true or false, got the string "yes"`` or
 * ``chunk 0 (token): `text` is missing``; a field is named the way the chunk wrote it.
 */
export class ChunkValidationError extends Error {
  /** Position of the chunk in its stream. */
  readonly index: number;
  /** The chunk's `type` as written, when it had a string one, else `undefined`. */
  readonly chunkType: string | undefined;
  /** The offending field, as written (`""` when the chunk itself is not an object). */
  readonly field: string;

  /**
   * @param index - position of the chunk in its stream
   * @param chunkType - the chunk's `type`, if it had a string one
   * @param field - the offending field
   * @param problem - what is wrong, e.g. `must be a finite number, got the string "1"`
   */
  constructor(index: number, chunkType: string | undefined, field: string, problem: string) {
    const where = chunkType === undefined ? `chunk ${index}` : `chunk ${index} (${chunkType})`;
    super(field === "" ? `${where}: ${problem}` : `${where}: \`${field}\` ${problem}`);
    this.name = "ChunkValidationError";
    this.index = index;
    this.chunkType = chunkType;
    this.field = field;
  }
}

const TYPE_SET: ReadonlySet<string> = new Set(CHUNK_TYPES);
const STATUS_SET: ReadonlySet<string> = new Set(AGENT_STATUSES);

function preview(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** A value as an error message names it: `the string "yes"`, `the number 42`, `null`, `an array`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return `the string ${preview(value)}`;
    case "number":
      return Number.isFinite(value) ? `the number ${value}` : String(value);
    case "boolean":
      return `the boolean ${value}`;
    case "function":
      return "a function";
    case "object":
      return "an object";
    default:
      return `a ${typeof value}`;
  }
}

/** True for a plain (non-null, non-array) object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class Checker {
  constructor(
    private readonly src: Record<string, unknown>,
    private readonly index: number,
    private readonly type: string,
    private readonly writtenAs: Record<string, string> = {},
    private readonly aliases: Record<string, readonly string[]> = {},
  ) {}

  fail(field: string, problem: string): never {
    const v = this.src[field];
    const written = this.writtenAs[field] ?? field;
    if (v === undefined) {
      const others = (this.aliases[field] ?? []).filter((name) => name !== field);
      const hint = others.length > 0 ? ` (also accepted: ${others.map((n) => `\`${n}\``).join(", ")})` : "";
      throw new ChunkValidationError(this.index, this.type, written, `is missing${hint}`);
    }
    throw new ChunkValidationError(this.index, this.type, written, `${problem}, got ${describeValue(v)}`);
  }

  string(field: string, optional = false): string | undefined {
    const v = this.src[field];
    if (v === undefined && optional) return undefined;
    if (typeof v !== "string") this.fail(field, "must be a string");
    return v;
  }

  nonEmptyString(field: string): string {
    const v = this.src[field];
    if (typeof v !== "string" || v.length === 0) this.fail(field, "must be a non-empty string");
    return v;
  }

  number(field: string, optional = false, min = -Infinity): number | undefined {
    const v = this.src[field];
    if (v === undefined && optional) return undefined;
    if (typeof v !== "number" || !Number.isFinite(v)) this.fail(field, "must be a finite number");
    if (v < min) this.fail(field, `must be >= ${min}`);
    return v;
  }

  boolean(field: string, optional = false): boolean | undefined {
    const v = this.src[field];
    if (v === undefined && optional) return undefined;
    if (typeof v !== "boolean") this.fail(field, "must be true or false");
    return v;
  }

  object(field: string): Record<string, unknown> | undefined {
    const v = this.src[field];
    if (v === undefined) return undefined;
    if (!isPlainObject(v)) this.fail(field, "must be a plain object");
    return v;
  }

  /** A field that may hold anything but must be present (a result or an output may be `undefined` only when written). */
  any(field: string): unknown {
    return this.src[field];
  }
}

/** Assigns `value` to `key` of `target` unless it is `undefined` (keeps chunks free of undefined keys). */
function opt<T extends object, K extends string, V>(target: T, key: K, value: V | undefined): void {
  if (value !== undefined) (target as Record<string, unknown>)[key] = value;
}

/**
 * What a lenient reader adds to error messages: the other accepted type names, and each field's
 * other spellings (`also accepted: …`). Strict validation has none.
 */
export interface SpellingHints {
  /** The seed spellings of `type`, listed after the canonical ones. */
  typeNames: string;
  /** Per chunk type, per canonical field, the names read for it. */
  fields: Readonly<Partial<Record<ChunkType, Readonly<Record<string, readonly string[]>>>>>;
}

/**
 * Checks normalised fields and builds the canonical chunk (optional fields that are `undefined`
 * are left out). Shared by {@link validateChunk} (strict) and core's lenient `toChunk`.
 *
 * @throws {@link ChunkValidationError}
 */
export function buildChunk(n: NormalizedFields, index: number, hints?: SpellingHints): StreamChunk {
  const value = n.fields;
  const rawType = n.type;
  const written = typeof n.writtenType === "string" ? n.writtenType : undefined;
  const expected = hints
    ? `must be one of ${CHUNK_TYPES.join(", ")} (or a seed spelling: ${hints.typeNames})`
    : `must be one of ${CHUNK_TYPES.join(", ")}`;
  if (typeof rawType !== "string") {
    const problem = rawType === undefined ? "is missing" : `${expected}, got ${describeValue(rawType)}`;
    throw new ChunkValidationError(index, undefined, "type", problem);
  }
  if (!TYPE_SET.has(rawType)) {
    throw new ChunkValidationError(index, rawType, "type", `${expected}, got ${describeValue(rawType)}`);
  }
  const type = rawType as ChunkType;
  const c = new Checker(value, index, written ?? type, n.writtenAs, hints?.fields[type] ?? {});
  const envelope: { seq: number; timestamp: number; agent?: string; metadata?: Record<string, unknown> } = {
    seq: c.number("seq", false, 0) as number,
    timestamp: c.number("timestamp") as number,
  };
  opt(envelope, "agent", c.string("agent", true));
  opt(envelope, "metadata", c.object("metadata"));

  switch (type) {
    case "token":
    case "thinking":
      return { type, text: c.string("text") as string, ...envelope };
    case "status": {
      const status = value.status;
      if (typeof status !== "string" || !STATUS_SET.has(status))
        c.fail("status", `must be one of ${AGENT_STATUSES.join(", ")}`);
      const chunk: StreamChunk = { type, status: status as (typeof AGENT_STATUSES)[number], ...envelope };
      opt(chunk, "iteration", c.number("iteration", true, 0));
      return chunk;
    }
    case "progress": {
      const chunk: StreamChunk = {
        type,
        step: c.string("step") as string,
        current: c.number("current", false, 0) as number,
        ...envelope,
      };
      opt(chunk, "total", c.number("total", true, 0));
      opt(chunk, "message", c.string("message", true));
      return chunk;
    }
    case "tool_call": {
      const chunk: StreamChunk = {
        type,
        id: c.nonEmptyString("id"),
        name: c.string("name") as string,
        ...envelope,
      };
      opt(chunk, "argsDelta", c.string("argsDelta", true));
      opt(chunk, "args", c.object("args"));
      return chunk;
    }
    case "tool_result": {
      const chunk: StreamChunk = {
        type,
        id: c.nonEmptyString("id"),
        result: c.any("result"),
        success: c.boolean("success") as boolean,
        ...envelope,
      };
      opt(chunk, "name", c.string("name", true));
      return chunk;
    }
    case "result": {
      const chunk: StreamChunk = {
        type,
        output: c.any("output"),
        success: c.boolean("success") as boolean,
        ...envelope,
      };
      opt(chunk, "duration", c.number("duration", true, 0));
      return chunk;
    }
    case "error": {
      const chunk: StreamChunk = { type, message: c.string("message") as string, ...envelope };
      opt(chunk, "code", c.string("code", true));
      opt(chunk, "recoverable", c.boolean("recoverable", true));
      return chunk;
    }
    case "interrupted": {
      const chunk: StreamChunk = { type, reason: c.string("reason") as string, ...envelope };
      opt(chunk, "partial", c.string("partial", true));
      return chunk;
    }
    case "ask": {
      const state = value.state;
      if (typeof state !== "string" || !(ASK_STATES as readonly string[]).includes(state))
        c.fail("state", `must be one of ${ASK_STATES.join(", ")}`);
      const chunk: StreamChunk = {
        type,
        id: c.nonEmptyString("id"),
        prompt: c.string("prompt") as string,
        state: state as (typeof ASK_STATES)[number],
        ...envelope,
      };
      const choices = value.choices;
      if (choices !== undefined) {
        if (
          !Array.isArray(choices) ||
          !choices.every((ch) => isPlainObject(ch) && typeof ch.label === "string" && "value" in ch)
        )
          c.fail("choices", "must be an array of { label, value } (or of strings)");
        chunk.choices = (choices as { label: string; value: unknown }[]).map((ch) => ({
          label: ch.label,
          value: ch.value,
        }));
      }
      opt(chunk, "schema", c.object("schema"));
      if ("value" in value && value.value !== undefined) chunk.value = value.value;
      return chunk;
    }
  }
}

/** Throws the error for a chunk that is not an object (`allowString`: the lenient reader also takes a string). */
export function notAnObject(value: unknown, index: number, allowString: boolean): never {
  throw new ChunkValidationError(
    index,
    undefined,
    "",
    `must be ${allowString ? "a string or " : ""}an object, got ${describeValue(value)}`,
  );
}

/** The fields of a chunk written canonically (no aliases, no defaults). */
function canonicalFields(value: Record<string, unknown>): NormalizedFields {
  return { type: value.type, writtenType: value.type, fields: value, writtenAs: {} };
}

/**
 * Validates a complete canonical chunk (envelope included: `seq` and `timestamp` are required)
 * and returns a clean copy holding only the chunk model's fields (optional fields that are
 * `undefined` are left out). Strict: no seed spellings (core's `toChunk` reads user input).
 *
 * @param value - anything
 * @param index - position of the chunk in its stream, used in error messages
 * @throws {@link ChunkValidationError} naming the index, the type and the bad field
 */
export function validateChunk(value: unknown, index: number): StreamChunk {
  if (!isPlainObject(value)) notAnObject(value, index, false);
  return buildChunk(canonicalFields(value), index);
}
