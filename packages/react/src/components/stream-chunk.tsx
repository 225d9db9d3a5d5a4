import type { ChunkInput, StreamChunk as StreamChunkData } from "@agentstream/core";
import { readCanonicalChunk, validateChunk } from "@agentstream/core";
import { type ComponentPropsWithoutRef, type ComponentType, forwardRef, useEffect, useState } from "react";
import { useLatest } from "../hooks/use-latest.js";
import { cx } from "../internal/cx.js";
import { isDev } from "../internal/dev.js";
import {
  type ChunkComponentProps,
  type ChunkComponents,
  DEFAULT_CHUNK_COMPONENTS,
} from "./chunk-renderers.js";

/** Props of {@link StreamChunk} besides the chunk's own fields. */
export interface StreamChunkOwnProps
  extends Omit<ComponentPropsWithoutRef<"div">, "children" | "content" | "id"> {
  /**
   * The chunk to render: a canonical chunk (`seq` and `timestamp` may be left out), or with
   * `StreamChunk` from `@agentstream/react/seed`, one in a seed spelling. Instead of `chunk`, the
   * chunk's fields may be spread as props (`{...chunk}`).
   */
  chunk?: StreamChunkData | ChunkInput | null;
  /** Renderers that replace the default ones, per chunk type. */
  components?: Partial<ChunkComponents>;
  /** The wrapper's DOM id with `chunk={…}`; with spread fields, a tool call's id. */
  id?: unknown;
}

/** The fields of a chunk spread as props, canonical and seed spellings (checked when rendering). */
export type SpreadChunkFields = {
  [K in
    | "type"
    | "seq"
    | "timestamp"
    | "agent"
    | "metadata"
    | "data"
    | "text"
    | "content"
    | "token"
    | "delta"
    | "status"
    | "iteration"
    | "step"
    | "current"
    | "total"
    | "message"
    | "name"
    | "tool_name"
    | "toolName"
    | "tool"
    | "tool_call_id"
    | "toolCallId"
    | "args"
    | "argsDelta"
    | "parameters"
    | "tool_input"
    | "input"
    | "arguments"
    | "result"
    | "output"
    | "tool_output"
    | "success"
    | "duration"
    | "execution_time"
    | "error"
    | "code"
    | "recoverable"
    | "reason"
    | "partial"]?: unknown;
};

/**
 * Props of {@link StreamChunk}: `chunk={c}`, or the chunk's fields spread as props (canonical or
 * seed spelling, e.g. seed 000's `<StreamChunk key={i} {...chunk} />`).
 */
export interface StreamChunkProps extends StreamChunkOwnProps, SpreadChunkFields {}

const DOM_PROPS: ReadonlySet<string> = new Set([
  "style",
  "title",
  "role",
  "tabIndex",
  "hidden",
  "dir",
  "lang",
  "slot",
]);

/**
 * With spread fields, only these reach the wrapper div; everything else belongs to the chunk (no
 * chunk field, canonical or seed spelling, has one of these names).
 */
function isDomProp(key: string): boolean {
  return DOM_PROPS.has(key) || key.startsWith("data-") || key.startsWith("aria-") || /^on[A-Z]/.test(key);
}

/**
 * Turns what a `StreamChunk` was given into a canonical chunk, or throws an error whose message
 * says what is wrong (or, with an `explain` property, a function that finds it: the reason can
 * then be loaded on demand). `seq` is the given `seq` when it is a non-negative number, else 0.
 */
export type ChunkReader = (input: unknown, seq: number) => StreamChunkData;

/** How a `StreamChunk` finds the reason it shows for a refused chunk (a hook: called each render). */
type ReasonHook = (parsed: Parsed) => string | undefined;

const givenReason: ReasonHook = (parsed) => (parsed.ok ? undefined : parsed.reason);

type Parsed =
  | { ok: true; chunk: StreamChunkData }
  | {
      ok: false;
      type: string;
      preview: string;
      reason: string;
      /** With `explain`: the refused input as JSON, what the loaded reason belongs to. */
      key?: string;
      explain?: () => Promise<string>;
    };

/** The reason shown for a refused chunk: the reader's, or the one `explain` gives once loaded. */
function useExplainedReason(parsed: Parsed): string | undefined {
  const [explained, setExplained] = useState<{ key: string; reason: string } | undefined>(undefined);
  const key = parsed.ok ? undefined : parsed.key;
  // `explain` belongs to the input `key` names: a re-render with the same input does not reload.
  const explain = useLatest(parsed.ok ? undefined : parsed.explain);
  useEffect(() => {
    const load = explain.current;
    if (key === undefined || !load) return;
    let live = true;
    load().then(
      (reason) => live && setExplained({ key, reason }),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [key, explain]);
  if (parsed.ok) return undefined;
  return key !== undefined && explained?.key === key ? explained.reason : parsed.reason;
}

const warned = new Set<string>();

function jsonPreview(value: unknown, max = 120): string {
  let text: string;
  try {
    text =
      JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Builds a `StreamChunk` component around a reader: the kit's main entry reads canonical chunks
 * only (core's `readCanonicalChunk`, the strict validator for a refused one),
 * `@agentstream/react/seed` reads the seed patterns' spellings too (core's `toChunk`), so the
 * seed-shape normaliser is not in every app. With `seedHint`, the development warning for a chunk
 * the reader refuses points to `@agentstream/react/seed`; `useReason` finds the reason shown
 * (default: the error's message).
 */
export function chunkComponent(read: ChunkReader, seedHint = false, useReason: ReasonHook = givenReason) {
  const parsedChunks = new WeakMap<object, Parsed>();

  /** Reads what was passed (never throws): a canonical chunk, or a description of what is wrong. */
  function parse(input: unknown): Parsed {
    const isObject = typeof input === "object" && input !== null;
    const cached = isObject ? parsedChunks.get(input) : undefined;
    if (cached !== undefined) return cached;
    let parsed: Parsed;
    try {
      const seq = isObject ? (input as { seq?: unknown }).seq : undefined;
      parsed = { ok: true, chunk: read(input, typeof seq === "number" && seq >= 0 ? seq : 0) };
    } catch (error) {
      const type =
        isObject && typeof (input as { type?: unknown }).type === "string"
          ? ((input as { type: string }).type as string)
          : "unknown";
      parsed = {
        ok: false,
        type,
        preview: jsonPreview(input),
        reason: error instanceof Error ? error.message : String(error),
      };
      const explain = (error as { explain?: () => Promise<string> } | undefined)?.explain;
      if (typeof explain === "function") {
        parsed.explain = explain;
        parsed.key = `${type}\u0000${jsonPreview(input, Number.POSITIVE_INFINITY)}`;
      }
    }
    if (isObject) parsedChunks.set(input, parsed);
    return parsed;
  }

  // biome-ignore lint/correctness/noComponentHookFactories: called once per module (the main entry and /seed), never during a render
  return forwardRef<HTMLDivElement, StreamChunkProps>(function StreamChunk(props, ref) {
    const { chunk: chunkProp, components, className, ...rest } = props;
    let input: unknown = chunkProp;
    let domProps: Record<string, unknown> = rest as Record<string, unknown>;
    if (chunkProp === undefined) {
      const fields: Record<string, unknown> = {};
      domProps = {};
      for (const [key, value] of Object.entries(rest as Record<string, unknown>)) {
        if (isDomProp(key)) domProps[key] = value;
        else fields[key] = value;
      }
      input = fields;
    }
    const parsed = parse(input);
    const reason = useReason(parsed);
    if (!parsed.ok) {
      if (isDev() && process.env.NODE_ENV !== "production" && !warned.has(parsed.reason)) {
        warned.add(parsed.reason);
        const hint = seedHint
          ? " (for the seed patterns' spellings, use StreamChunk from @agentstream/react/seed)"
          : "";
        console.warn(`[@agentstream/react] StreamChunk cannot render this chunk: ${parsed.reason}${hint}`);
      }
      return (
        <div
          ref={ref}
          className={cx("as-chunk", "as-chunk--invalid", className)}
          data-type={parsed.type}
          data-invalid=""
          title={reason}
          {...domProps}
        >
          <code className="as-chunk__type">{parsed.type}</code>
          <code className="as-chunk__preview">{parsed.preview}</code>
        </div>
      );
    }
    const chunk = parsed.chunk;
    const Renderer = (components?.[chunk.type] ??
      DEFAULT_CHUNK_COMPONENTS[chunk.type]) as ComponentType<ChunkComponentProps>;
    return (
      <div
        ref={ref}
        className={cx("as-chunk", className)}
        data-type={chunk.type}
        data-seq={chunk.seq}
        data-agent={chunk.agent}
        {...domProps}
      >
        <Renderer chunk={chunk} />
      </div>
    );
  });
}

/**
 * Core's strict validator in development builds (a refused chunk's reason at once, and the
 * warning); `undefined` in production builds, whose bundlers fold this and leave the validator
 * out: a refused chunk's reason is then loaded with the first one (`@agentstream/core/validate`).
 */
function strictValidator(): typeof validateChunk | undefined {
  // A development-only branch (see isDev).
  return isDev() && process.env.NODE_ENV !== "production" ? validateChunk : undefined;
}

/**
 * A canonical chunk; `seq` and `timestamp` may be left out (timestamp 0: the same props render
 * the same markup on the server and the client). Read by core's `readCanonicalChunk`: the strict
 * validator, which says what is wrong, runs only for a chunk that one refuses.
 */
const readCanonical: ChunkReader = (input, seq) => {
  const value = typeof input === "object" && input !== null ? { seq, timestamp: 0, ...input } : input;
  const chunk = readCanonicalChunk(value);
  if (chunk !== undefined) return chunk;
  const strict = strictValidator();
  if (strict) return strict(value, seq);
  const explain = () =>
    import("@agentstream/core/validate").then(({ validateChunk: check }) => {
      try {
        check(value, seq);
        return "not a canonical chunk";
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    });
  throw Object.assign(new Error("not a canonical chunk"), { explain });
};

/**
 * Renders one chunk of any type, each type in its own readable way (text, a thinking note, a
 * status badge, a progress bar, a tool call card, a tool result, the final result, an error
 * alert, an interruption marker, a question). Override any type with `components`.
 *
 * Takes `chunk={c}` or the chunk's fields spread as props, in the canonical spelling (the chunks
 * of a run store, an agent's typed yields). For the seed patterns' spellings (`content`,
 * `tool_name`, `complete`, `stream_chunk`…; see docs/protocol.md) use the `StreamChunk` of
 * `@agentstream/react/seed`, which normalises them and costs ≈3 KiB more. A chunk that is
 * malformed, or of an unknown type, renders a small fallback (its type and a short JSON preview,
 * `.as-chunk--invalid`) with a development-time warning; it never throws.
 *
 * The wrapper carries `data-type`, `data-seq` and `data-agent` (and `data-invalid` on the
 * fallback). Style hooks: `.as-chunk` and the classes of the components used.
 */
export const StreamChunk = /* @__PURE__ */ chunkComponent(readCanonical, true, useExplainedReason);

export type { ChunkComponentProps, ChunkComponents };
export { DEFAULT_CHUNK_COMPONENTS };
