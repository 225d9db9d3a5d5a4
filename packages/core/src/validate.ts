/**
 * Validation of chunks written by user code: every malformed chunk gets an error that names the
 * chunk's index in its stream, its type and the offending field.
 *
 * @packageDocumentation
 */
import { AGENT_STATUSES, CHUNK_TYPES, type ChunkInput, type ChunkType, type StreamChunk } from "./chunk.js";

/**
 * Thrown for a chunk that does not match the chunk model. The message reads like
 * `chunk 3 (type "progress"): field "current" must be a finite number`.
 */
export class ChunkValidationError extends Error {
  /** Position of the chunk in its stream. */
  readonly index: number;
  /** The chunk's `type` when it had a string one, else `undefined`. */
  readonly chunkType: string | undefined;
  /** The offending field (`""` when the chunk itself is not an object). */
  readonly field: string;

  /**
   * @param index - position of the chunk in its stream
   * @param chunkType - the chunk's `type`, if it had a string one
   * @param field - the offending field
   * @param problem - what is wrong, e.g. `must be a finite number`
   */
  constructor(index: number, chunkType: string | undefined, field: string, problem: string) {
    const where = chunkType === undefined ? `chunk ${index}` : `chunk ${index} (type "${chunkType}")`;
    super(field === "" ? `${where}: ${problem}` : `${where}: field "${field}" ${problem}`);
    this.name = "ChunkValidationError";
    this.index = index;
    this.chunkType = chunkType;
    this.field = field;
  }
}

const TYPE_SET: ReadonlySet<string> = new Set(CHUNK_TYPES);
const STATUS_SET: ReadonlySet<string> = new Set(AGENT_STATUSES);

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
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
  ) {}

  fail(field: string, problem: string): never {
    throw new ChunkValidationError(
      this.index,
      this.type,
      field,
      `${problem}, got ${describe(this.src[field])}`,
    );
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
    if (typeof v !== "boolean") this.fail(field, "must be a boolean");
    return v;
  }

  object(field: string): Record<string, unknown> | undefined {
    const v = this.src[field];
    if (v === undefined) return undefined;
    if (!isPlainObject(v)) this.fail(field, "must be a plain object");
    return v;
  }
}

/** Assigns `value` to `key` of `target` unless it is `undefined` (keeps chunks free of undefined keys). */
function opt<T extends object, K extends string, V>(target: T, key: K, value: V | undefined): void {
  if (value !== undefined) (target as Record<string, unknown>)[key] = value;
}

function build(value: Record<string, unknown>, index: number, seq: unknown, timestamp: unknown): StreamChunk {
  const rawType = value.type;
  if (typeof rawType !== "string") {
    throw new ChunkValidationError(
      index,
      undefined,
      "type",
      `must be one of ${CHUNK_TYPES.join(", ")}, got ${describe(rawType)}`,
    );
  }
  if (!TYPE_SET.has(rawType)) {
    throw new ChunkValidationError(index, rawType, "type", `must be one of ${CHUNK_TYPES.join(", ")}`);
  }
  const type = rawType as ChunkType;
  const c = new Checker({ ...value, seq, timestamp }, index, type);
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
        result: value.result,
        success: c.boolean("success") as boolean,
        ...envelope,
      };
      opt(chunk, "name", c.string("name", true));
      return chunk;
    }
    case "result": {
      const chunk: StreamChunk = {
        type,
        output: value.output,
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
  }
}

function notAnObject(value: unknown, index: number, allowString: boolean): never {
  throw new ChunkValidationError(
    index,
    undefined,
    "",
    `must be ${allowString ? "a string or " : ""}an object, got ${describe(value)}`,
  );
}

/**
 * Validates a complete chunk (envelope included: `seq` and `timestamp` are required) and returns a
 * clean copy holding only the chunk model's fields (optional fields that are `undefined` are left out).
 *
 * @param value - anything
 * @param index - position of the chunk in its stream, used in error messages
 * @throws {@link ChunkValidationError} naming the index, the type and the bad field
 */
export function validateChunk(value: unknown, index: number): StreamChunk {
  if (!isPlainObject(value)) notAnObject(value, index, false);
  return build(value, index, value.seq, value.timestamp);
}

/**
 * Turns what user code yields into a chunk: a string becomes a `token` chunk, an object is
 * validated. The envelope is filled in: `seq` defaults to `index`, `timestamp` to `now` (or `Date.now()`).
 *
 * @param value - a string, a {@link ChunkInput} or anything (validated)
 * @param index - position of the chunk in its stream (default `seq`, and named in error messages)
 * @param now - timestamp to use when the chunk has none
 * @throws {@link ChunkValidationError} for a malformed chunk
 */
export function toChunk(value: string | ChunkInput | unknown, index: number, now?: number): StreamChunk {
  if (typeof value === "string") {
    return { type: "token", text: value, seq: index, timestamp: now ?? Date.now() };
  }
  if (!isPlainObject(value)) notAnObject(value, index, true);
  return build(value, index, value.seq ?? index, value.timestamp ?? now ?? Date.now());
}
