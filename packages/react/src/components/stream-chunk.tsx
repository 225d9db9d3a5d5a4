import {
  type ChunkInput,
  type ChunkOf,
  type ChunkType,
  FIELD_ALIASES,
  type StreamChunk as StreamChunkData,
  type ToolCallState,
  toChunk,
} from "@agentstream/core";
import { type ComponentPropsWithoutRef, type ComponentType, forwardRef } from "react";
import { cx } from "../internal/cx.js";
import { isDev } from "../internal/dev.js";
import { progressValue } from "../internal/progress.js";
import { AgentStatus } from "./agent-status.js";
import { AskCard } from "./ask-card.js";
import { ErrorBlock } from "./error-block.js";
import { InterruptedMarker } from "./interrupted-marker.js";
import { ProgressBar } from "./progress-bar.js";
import { ResultBlock } from "./result-block.js";
import { ThinkingIndicator } from "./thinking-indicator.js";
import { ToolCallCard } from "./tool-call-card.js";

/** Props every chunk renderer receives. */
export interface ChunkComponentProps<K extends ChunkType = ChunkType> {
  chunk: ChunkOf<K>;
}

/** One renderer per chunk type. As a full record it is exhaustive: a new chunk type must be added. */
export type ChunkComponents = { [K in ChunkType]: ComponentType<ChunkComponentProps<K>> };

function TokenChunkView({ chunk }: ChunkComponentProps<"token">) {
  return <span className="as-chunk__text">{chunk.text}</span>;
}

function ThinkingChunkView({ chunk }: ChunkComponentProps<"thinking">) {
  return <ThinkingIndicator active={false} text={chunk.text} doneLabel={() => "Thinking"} />;
}

function StatusChunkView({ chunk }: ChunkComponentProps<"status">) {
  return (
    <AgentStatus status={chunk.status} iteration={chunk.iteration} agent={chunk.agent} announce={false} />
  );
}

function ProgressChunkView({ chunk }: ChunkComponentProps<"progress">) {
  return (
    <>
      <ProgressBar {...progressValue(chunk.current, chunk.total)} label={chunk.step} />
      {chunk.message ? <div className="as-progress__message">{chunk.message}</div> : null}
    </>
  );
}

function ToolCallChunkView({ chunk }: ChunkComponentProps<"tool_call">) {
  const complete = chunk.args !== undefined;
  const call: ToolCallState = {
    id: chunk.id,
    name: chunk.name,
    agent: chunk.agent,
    argsText: chunk.argsDelta ?? "",
    args: chunk.args ?? {},
    status: complete ? "called" : "streaming",
    startedAt: chunk.timestamp,
  };
  return <ToolCallCard call={call} />;
}

function ToolResultChunkView({ chunk }: ChunkComponentProps<"tool_result">) {
  const call: ToolCallState = {
    id: chunk.id,
    name: chunk.name ?? chunk.id,
    agent: chunk.agent,
    argsText: "",
    args: {},
    status: chunk.success ? "complete" : "failed",
    result: chunk.result,
    success: chunk.success,
    startedAt: chunk.timestamp,
  };
  return <ToolCallCard className="as-tool-result" call={call} hideArgs />;
}

function ResultChunkView({ chunk }: ChunkComponentProps<"result">) {
  return <ResultBlock result={{ output: chunk.output, success: chunk.success, duration: chunk.duration }} />;
}

function ErrorChunkView({ chunk }: ChunkComponentProps<"error">) {
  return <ErrorBlock error={{ message: chunk.message, code: chunk.code, recoverable: chunk.recoverable }} />;
}

function InterruptedChunkView({ chunk }: ChunkComponentProps<"interrupted">) {
  return <InterruptedMarker reason={chunk.reason} partial={chunk.partial} />;
}

function AskChunkView({ chunk }: ChunkComponentProps<"ask">) {
  return <AskCard ask={chunk} />;
}

/** The default renderer of each chunk type (exhaustive). */
export const DEFAULT_CHUNK_COMPONENTS: ChunkComponents = {
  token: TokenChunkView,
  thinking: ThinkingChunkView,
  status: StatusChunkView,
  progress: ProgressChunkView,
  tool_call: ToolCallChunkView,
  tool_result: ToolResultChunkView,
  result: ResultChunkView,
  error: ErrorChunkView,
  interrupted: InterruptedChunkView,
  ask: AskChunkView,
};

/** Props of {@link StreamChunk} besides the chunk's own fields. */
export interface StreamChunkOwnProps
  extends Omit<ComponentPropsWithoutRef<"div">, "children" | "content" | "id"> {
  /**
   * The chunk to render: a canonical chunk, or one in a seed spelling (normalised with core's
   * `toChunk`). Instead of `chunk`, the chunk's fields may be spread as props (`{...chunk}`).
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

/** Names read as chunk fields when a chunk is spread as props (all others go to the wrapper div). */
const CHUNK_FIELDS: ReadonlySet<string> = new Set([
  "type",
  "seq",
  "timestamp",
  "agent",
  "metadata",
  "data",
  "error",
  "execution_time",
  ...Object.values(FIELD_ALIASES).flatMap((fields) => Object.values(fields).flat()),
]);

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

/** With spread fields, only these reach the wrapper div; everything else belongs to the chunk. */
function isDomProp(key: string): boolean {
  return DOM_PROPS.has(key) || key.startsWith("data-") || key.startsWith("aria-") || /^on[A-Z]/.test(key);
}

type Parsed =
  | { ok: true; chunk: StreamChunkData }
  | { ok: false; type: string; preview: string; reason: string };

const parsedChunks = new WeakMap<object, Parsed>();
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

/** Normalises what was passed (never throws): a canonical chunk, or a description of what is wrong. */
function parse(input: unknown): Parsed {
  const cached = typeof input === "object" && input !== null ? parsedChunks.get(input) : undefined;
  if (cached !== undefined) return cached;
  let parsed: Parsed;
  try {
    const seq = typeof input === "object" && input !== null ? (input as { seq?: unknown }).seq : undefined;
    // Timestamp 0, not Date.now(): the same props render the same markup on the server and the client.
    parsed = { ok: true, chunk: toChunk(input, typeof seq === "number" && seq >= 0 ? seq : 0, 0) };
  } catch (error) {
    const type =
      typeof input === "object" && input !== null && typeof (input as { type?: unknown }).type === "string"
        ? ((input as { type: string }).type as string)
        : "unknown";
    parsed = {
      ok: false,
      type,
      preview: jsonPreview(input),
      reason: error instanceof Error ? error.message : String(error),
    };
  }
  if (typeof input === "object" && input !== null) parsedChunks.set(input, parsed);
  return parsed;
}

/**
 * Renders one chunk of any type, each type in its own readable way (text, a thinking note, a
 * status badge, a progress bar, a tool call card, a tool result, the final result, an error
 * alert, an interruption marker). Override any type with `components`.
 *
 * Takes `chunk={c}` or the chunk's fields spread as props, in the canonical spelling or a seed
 * spelling (`content`, `tool_name`, `complete`, `stream_chunk`…; see docs/protocol.md). A chunk
 * that is still malformed, or of an unknown type, renders a small fallback (its type and a short
 * JSON preview, `.as-chunk--invalid`) with a development-time warning; it never throws.
 *
 * The wrapper carries `data-type`, `data-seq` and `data-agent` (and `data-invalid` on the
 * fallback). Style hooks: `.as-chunk` and the classes of the components used.
 */
export const StreamChunk = /* @__PURE__ */ forwardRef<HTMLDivElement, StreamChunkProps>(
  function StreamChunk(props, ref) {
    const { chunk: chunkProp, components, className, ...rest } = props;
    let input: unknown = chunkProp;
    let domProps: Record<string, unknown> = rest as Record<string, unknown>;
    if (chunkProp === undefined) {
      const fields: Record<string, unknown> = {};
      domProps = {};
      for (const [key, value] of Object.entries(rest as Record<string, unknown>)) {
        if (!CHUNK_FIELDS.has(key) && isDomProp(key)) domProps[key] = value;
        else fields[key] = value;
      }
      input = fields;
    }
    const parsed = parse(input);
    if (!parsed.ok) {
      if (isDev() && !warned.has(parsed.reason)) {
        warned.add(parsed.reason);
        console.warn(`[@agentstream/react] StreamChunk cannot render this chunk: ${parsed.reason}`);
      }
      return (
        <div
          ref={ref}
          className={cx("as-chunk", "as-chunk--invalid", className)}
          data-type={parsed.type}
          data-invalid=""
          title={parsed.reason}
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
  },
);
