/**
 * The lenient input layer: what user code writes (server agents, `runChild`, browser generator
 * actions, `StreamChunk` props) in the canonical spelling or in any spelling the seed patterns
 * use, turned into the canonical chunk fields before they are validated strictly.
 *
 * The table of accepted spellings is {@link SEED_TYPE_ALIASES} and {@link FIELD_ALIASES}; it is
 * documented in docs/protocol.md ("Accepted spellings").
 *
 * @packageDocumentation
 */
import { normalizeChoices } from "./ask.js";
import { CHUNK_TYPES, type ChunkInput, type ChunkType, type StreamChunk } from "./chunk.js";
import { buildChunk, isPlainObject, notAnObject, type SpellingHints } from "./validate.js";

/** Chunk `type` spellings of the seed patterns and the canonical type each one stands for. */
export const SEED_TYPE_ALIASES: Readonly<Record<string, ChunkType>> = {
  content: "token",
  chunk: "token",
  stream_chunk: "token",
  reasoning: "thinking",
  tool_start: "tool_call",
  tool_end: "tool_result",
  complete: "result",
};

/**
 * Field spellings per canonical type: for each canonical field, the names read in order (the
 * canonical name first; the first one that is not `undefined` wins).
 */
export const FIELD_ALIASES = {
  token: { text: ["text", "content", "token", "delta"] },
  thinking: { text: ["text", "content", "token", "delta"] },
  status: { status: ["status"], iteration: ["iteration"] },
  progress: { step: ["step"], current: ["current"], total: ["total"], message: ["message", "content"] },
  tool_call: {
    id: ["id", "tool_call_id", "toolCallId"],
    name: ["name", "tool_name", "toolName", "tool"],
    argsDelta: ["argsDelta"],
    args: ["args", "parameters", "tool_input", "input", "arguments"],
  },
  tool_result: {
    id: ["id", "tool_call_id", "toolCallId"],
    name: ["name", "tool_name", "toolName", "tool"],
    result: ["result", "output", "tool_output", "content"],
    success: ["success"],
  },
  result: {
    output: ["output", "result", "content"],
    success: ["success"],
    duration: ["duration"],
  },
  error: { message: ["message", "error", "content"], code: ["code"], recoverable: ["recoverable"] },
  interrupted: { reason: ["reason", "message"], partial: ["partial"] },
  ask: {
    id: ["id"],
    prompt: ["prompt", "question", "message"],
    choices: ["choices", "options"],
    schema: ["schema"],
    state: ["state"],
    value: ["value"],
  },
} as const satisfies { [K in ChunkType]: Record<string, readonly string[]> };

/** The reason given to an `interrupted` chunk that names none. */
export const DEFAULT_INTERRUPT_REASON = "interrupted";

/** What {@link ChunkNormalizer.normalize} returns: canonical fields, not yet validated. */
export interface NormalizedFields {
  /** The canonical type, or the written `type` when it is unknown (validation rejects it). */
  type: unknown;
  /** The `type` as the user wrote it (for error messages). */
  writtenType: unknown;
  /** Canonical field name -> value (envelope fields included). */
  fields: Record<string, unknown>;
  /** Canonical field name -> the name the user wrote it under (for error messages). */
  writtenAs: Record<string, string>;
}

/** Options of {@link ChunkNormalizer}. */
export interface ChunkNormalizerOptions {
  /**
   * Prefix of the ids generated for tool calls that have none (followed by a counter).
   * Default `call_<6 random characters>_`, unique per normalizer.
   */
  idPrefix?: string;
}

interface OpenCall {
  id: string;
  name: string;
  agent: string | undefined;
}

const CANONICAL: ReadonlySet<string> = new Set(CHUNK_TYPES);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Seed tool arguments (`parameters`, `tool_input`, …) as an object: a JSON object text is parsed, anything else is `{ input }`. */
function toArgs(value: unknown): Record<string, unknown> {
  if (isObject(value)) return value;
  if (typeof value === "string") {
    try {
      const parsed: unknown = JSON.parse(value);
      if (isObject(parsed)) return parsed;
    } catch {
      // not JSON: the text itself is the input
    }
  }
  return { input: value };
}

function errorText(value: unknown): unknown {
  if (value instanceof Error) return value.message || value.name;
  if (isObject(value) && typeof value.message === "string") return value.message;
  return value;
}

/**
 * Normalises the chunks of one stream: spellings of the seed patterns become canonical fields,
 * and what the seeds leave out is filled in (`success: true`, tool-call ids, an interruption
 * reason, a progress count). It keeps a little state across the chunks of a stream, so a
 * `tool_result` that names only its tool is paired with the latest open call of that name
 * (same agent). Keep one instance per stream and pass it to `toChunk`.
 *
 * @example
 * ```ts
 * const normalizer = new ChunkNormalizer();
 * toChunk({ type: "tool_call", tool_name: "search", parameters: { q: "x" } }, 0, now, normalizer);
 * toChunk({ type: "tool_result", tool_name: "search", result: [] }, 1, now, normalizer);
 * // both chunks carry the same generated `id`; the result has `success: true`
 * ```
 */
export class ChunkNormalizer {
  private readonly idPrefix: string;
  private nextId = 1;
  private readonly open: OpenCall[] = [];
  private readonly stepLabels = new Map<string, Set<string>>();

  /** @param options - see {@link ChunkNormalizerOptions} */
  constructor(options: ChunkNormalizerOptions = {}) {
    this.idPrefix = options.idPrefix ?? `call_${Math.random().toString(36).slice(2, 8)}_`;
  }

  /**
   * Maps one plain object written by user code onto canonical field names and fills the optional
   * gaps. Does not validate: `toChunk` checks the result strictly.
   *
   * @param value - a plain object (a chunk in any accepted spelling)
   */
  normalize(value: Record<string, unknown>): NormalizedFields {
    const writtenType = value.type;
    let src = value;
    if (isObject(value.data)) src = { ...value.data, ...value };
    else if (typeof value.data === "string" && value.content === undefined)
      src = { ...value, content: value.data };
    const type =
      typeof writtenType === "string" && !CANONICAL.has(writtenType)
        ? (SEED_TYPE_ALIASES[writtenType] ?? writtenType)
        : writtenType;
    const fields: Record<string, unknown> = {};
    const writtenAs: Record<string, string> = {};

    // Envelope.
    for (const key of ["seq", "agent", "metadata"] as const) {
      const v = src[key];
      if (v !== undefined && !(v === null && key !== "seq")) fields[key] = v;
    }
    const ts = src.timestamp;
    fields.timestamp = typeof ts === "string" && Number.isFinite(Date.parse(ts)) ? Date.parse(ts) : ts;

    if (typeof type !== "string" || !CANONICAL.has(type)) return { type, writtenType, fields, writtenAs };
    const canonical = type as ChunkType;
    const aliases: Record<string, readonly string[]> = FIELD_ALIASES[canonical];
    for (const [field, names] of Object.entries(aliases)) {
      for (const name of names) {
        if (src[name] !== undefined) {
          fields[field] = src[name];
          writtenAs[field] = name;
          break;
        }
      }
    }
    const agent = typeof fields.agent === "string" ? fields.agent : undefined;

    switch (canonical) {
      case "status":
        if (typeof fields.status === "string") fields.status = fields.status.toLowerCase();
        break;
      case "progress": {
        if (typeof fields.step === "number") {
          // Seed 004: a numeric step is the count; the message names it.
          fields.current ??= fields.step;
          if (typeof fields.message === "string" && fields.message !== "") {
            fields.step = fields.message;
            delete fields.message;
          } else {
            fields.step = `Step ${fields.step}`;
          }
        }
        if (
          fields.message !== undefined &&
          typeof fields.message !== "string" &&
          writtenAs.message === "content"
        ) {
          fields.message = JSON.stringify(fields.message) ?? String(fields.message);
        }
        if (fields.current === undefined && typeof fields.step === "string") {
          // Seed 000 names steps without counting them: count the distinct steps of this agent.
          const key = agent ?? "";
          let labels = this.stepLabels.get(key);
          if (labels === undefined) {
            labels = new Set();
            this.stepLabels.set(key, labels);
          }
          labels.add(fields.step);
          fields.current = labels.size;
        }
        break;
      }
      case "tool_call": {
        if (writtenAs.args !== undefined && writtenAs.args !== "args") fields.args = toArgs(fields.args);
        if (fields.id === undefined) {
          fields.id = this.newId();
        } else if (fields.name === undefined) {
          // A later delta of a call names only its id.
          const call = this.open.find((c) => c.id === fields.id);
          if (call !== undefined) fields.name = call.name;
        }
        break;
      }
      case "tool_result": {
        const error = src.error;
        if (fields.success === undefined)
          fields.success = error === undefined || error === null || error === false;
        if (fields.result === undefined && error !== undefined && error !== null && error !== false) {
          fields.result = errorText(error);
        }
        if (fields.id === undefined) {
          const name = typeof fields.name === "string" ? fields.name : undefined;
          const call = this.latestOpen(name, agent);
          fields.id = call?.id ?? this.newId();
          if (call !== undefined && fields.name === undefined) fields.name = call.name;
        }
        break;
      }
      case "result":
        if (fields.success === undefined) fields.success = true;
        if (fields.duration === undefined && typeof src.execution_time === "number") {
          fields.duration = src.execution_time * 1000;
          writtenAs.duration = "execution_time";
        }
        break;
      case "error":
        if (writtenAs.message === "error") fields.message = errorText(fields.message);
        break;
      case "interrupted":
        fields.reason ??= DEFAULT_INTERRUPT_REASON;
        break;
      case "ask":
        fields.id ??= `ask_${Math.random().toString(36).slice(2, 10)}`;
        fields.state ??= "open";
        if (Array.isArray(fields.choices)) fields.choices = normalizeChoices(fields.choices);
        break;
      default:
        break;
    }
    return { type: canonical, writtenType, fields, writtenAs };
  }

  /** Records a validated chunk of the stream (opens and closes tool calls for pairing). */
  observe(chunk: StreamChunk): void {
    if (chunk.type === "tool_call") {
      if (!this.open.some((c) => c.id === chunk.id)) {
        this.open.push({ id: chunk.id, name: chunk.name, agent: chunk.agent });
      }
    } else if (chunk.type === "tool_result") {
      const i = this.open.findIndex((c) => c.id === chunk.id);
      if (i >= 0) this.open.splice(i, 1);
    }
  }

  private latestOpen(name: string | undefined, agent: string | undefined): OpenCall | undefined {
    for (let i = this.open.length - 1; i >= 0; i--) {
      const call = this.open[i] as OpenCall;
      if (call.agent === agent && (name === undefined || call.name === name)) return call;
    }
    return undefined;
  }

  private newId(): string {
    return `${this.idPrefix}${this.nextId++}`;
  }
}

/** The spellings `toChunk`'s error messages mention. */
const SEED_HINTS: SpellingHints = {
  typeNames: Object.keys(SEED_TYPE_ALIASES).join(", "),
  fields: FIELD_ALIASES,
};

/**
 * Turns what user code yields into a canonical chunk. This is the one lenient input layer of
 * AgentStream: server agents' yields, `runChild`, browser generator actions and `StreamChunk`
 * props all go through it.
 *
 * - A string becomes a `token` chunk.
 * - An object may use the canonical spelling or any spelling of the seed patterns (`content` for
 *   text, `tool_name`/`parameters`/`tool_input`, `complete`, `tool_start`/`tool_end`,
 *   `stream_chunk`, `error` as a string, numeric steps, fields wrapped in `data`…; the table is in
 *   docs/protocol.md). What the seeds leave optional is filled in: `success: true`, tool-call ids,
 *   an interruption reason, a progress count. A canonical chunk comes back unchanged.
 * - The envelope is filled in: `seq` defaults to `index`, `timestamp` to `now` (or `Date.now()`).
 *
 * Pass the same {@link ChunkNormalizer} for every chunk of a stream so that a `tool_result`
 * naming only its tool is paired with the latest open call of that tool; without one, each call
 * gets a fresh normaliser (no pairing across chunks).
 *
 * @param value - a string, a {@link ChunkInput} or anything (validated)
 * @param index - position of the chunk in its stream (default `seq`, and named in error messages)
 * @param now - timestamp to use when the chunk has none
 * @param normalizer - the stream's normaliser (state across the chunks of one stream)
 * @throws {@link ChunkValidationError} for a chunk still malformed after normalisation, e.g.
 *   ``chunk 2 (tool_result): `success` must be true or false, got the string "yes"``
 */
export function toChunk(
  value: string | ChunkInput | unknown,
  index: number,
  now?: number,
  normalizer: ChunkNormalizer = new ChunkNormalizer(),
): StreamChunk {
  if (typeof value === "string") {
    return { type: "token", text: value, seq: index, timestamp: now ?? Date.now() };
  }
  if (!isPlainObject(value)) notAnObject(value, index, true);
  const n = normalizer.normalize(value);
  n.fields.seq ??= index;
  n.fields.timestamp ??= now ?? Date.now();
  const chunk = buildChunk(n, index, SEED_HINTS);
  normalizer.observe(chunk);
  return chunk;
}
