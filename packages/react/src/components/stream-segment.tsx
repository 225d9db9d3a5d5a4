import type { SegmentKind, TimelineSegment, ToolCallState } from "@agentstream/core";
import type { RunEnd } from "@agentstream/core/internal";
import { type ComponentType, memo, type ReactNode, useMemo, useRef } from "react";
import { progressValue } from "../internal/progress.js";
import { AgentStatus } from "./agent-status.js";
import { AskCard } from "./ask-card.js";
import { ErrorBlock } from "./error-block.js";
import { InterruptedMarker } from "./interrupted-marker.js";
import { ProgressBar } from "./progress-bar.js";
import { ResultBlock } from "./result-block.js";
import { splitTextBlocks, TextBlock, type TextBlocks } from "./text-blocks.js";
import { ThinkingIndicator } from "./thinking-indicator.js";
import { ToolCallCard } from "./tool-call-card.js";

/** The segment of a given kind. */
export type SegmentOf<K extends SegmentKind> = Extract<TimelineSegment, { kind: K }>;

/** What `renderText` receives besides the text. */
export interface RenderTextContext {
  /** True while this text is the live tail of a running stream. */
  streaming: boolean;
  /** The text segment. */
  segment: SegmentOf<"text">;
}

/**
 * Renders answer text (e.g. `renderMarkdown` from `@agentstream/react/markdown`). Keep it stable
 * (module level or `useCallback`) so that finished segments are not re-rendered.
 */
export type RenderText = (text: string, context: RenderTextContext) => ReactNode;

/** Props every segment renderer receives. */
export interface SegmentComponentProps<K extends SegmentKind = SegmentKind> {
  segment: SegmentOf<K>;
  /** True for the last segment of a run still in progress. */
  streaming: boolean;
  /** For `tool` segments: the tool call (`run.toolCalls[segment.toolCallId]`). */
  call?: ToolCallState;
  renderText?: RenderText;
  /**
   * How the run (or the segment's lane) ended, once it has: `completed`, `interrupted` or
   * `error` (a progress segment then shows the end, not a bar still loading). Absent while it goes.
   */
  ended?: RunEnd;
}

/** One renderer per segment kind. As a full record it is exhaustive. */
export type SegmentComponents = { [K in SegmentKind]: ComponentType<SegmentComponentProps<K>> };

function TextSegmentView({ segment, streaming, renderText }: SegmentComponentProps<"text">) {
  if (renderText) return <>{renderText(segment.text, { streaming, segment })}</>;
  return <PlainText segment={segment} />;
}

/**
 * Finished blocks are grouped in pages of this many: a page, once full, is one memoized element,
 * so an update reconciles about `blocks / BLOCKS_PER_PAGE + BLOCKS_PER_PAGE` children instead of
 * every block of the answer (a 1,000,000-character answer has about 3,500 blocks).
 */
export const BLOCKS_PER_PAGE = 64;

interface BlockPageProps {
  blocks: readonly string[];
  start: number;
}

/** Pages are made only once full, and blocks only ever append: a page never changes. */
function samePage(a: BlockPageProps, b: BlockPageProps): boolean {
  return a.start === b.start;
}

/**
 * {@link BLOCKS_PER_PAGE} finished blocks (`.as-text__page`, `content-visibility: auto`:
 * offscreen pages skip style, layout and paint). It renders once.
 */
const BlockPage = /* @__PURE__ */ memo(function BlockPage({ blocks, start }: BlockPageProps) {
  const own: ReactNode[] = [];
  // Blocks only append: the position is the identity.
  const end = Math.min(blocks.length, start + BLOCKS_PER_PAGE);
  for (let i = start; i < end; i++) own.push(<TextBlock key={i} text={blocks[i] as string} />);
  return <div className="as-text__page">{own}</div>;
}, samePage);

/**
 * Plain text in blocks (see {@link splitTextBlocks}): one element per paragraph (or ~2,000
 * characters of a long line), finished blocks memoized, so that each update re-renders and lays
 * out only the last block instead of the whole answer. Blocks are children of `.as-text`; in an
 * answer of more than {@link BLOCKS_PER_PAGE} blocks, each full run of them is grouped in a
 * `.as-text__page`, so an update reconciles a few dozen elements, not thousands (the blocks of a
 * page that fills up move into it once). `textContent` is the segment's text.
 */
function PlainText({ segment }: { segment: SegmentOf<"text"> }) {
  // Per segment: the blocks of the previous render, extended with the new text only.
  const cache = useRef<{ id: string; blocks: TextBlocks } | null>(null);
  const previous = cache.current?.id === segment.id ? cache.current.blocks : undefined;
  const split = splitTextBlocks(segment.text, previous);
  cache.current = { id: segment.id, blocks: split };
  const { blocks, start, text } = split;
  const finished = useMemo(() => {
    const out: ReactNode[] = [];
    const paged = blocks.length - (blocks.length % BLOCKS_PER_PAGE);
    for (let at = 0; at < paged; at += BLOCKS_PER_PAGE)
      out.push(<BlockPage key={`page-${at}`} blocks={blocks} start={at} />);
    // Blocks only ever append: the position is the identity.
    for (let i = paged; i < blocks.length; i++) out.push(<TextBlock key={i} text={blocks[i] as string} />);
    return out;
  }, [blocks]);
  const tail = text.slice(start);
  return (
    <div className="as-text">
      {tail ? [...finished, <TextBlock key={blocks.length} text={tail} />] : finished}
    </div>
  );
}

function ThinkingSegmentView({ segment, streaming }: SegmentComponentProps<"thinking">) {
  const active = segment.endedAt === undefined && streaming;
  const duration = segment.endedAt !== undefined ? segment.endedAt - segment.startedAt : undefined;
  return <ThinkingIndicator active={active} text={segment.text} duration={duration} />;
}

function ToolSegmentView({ call }: SegmentComponentProps<"tool">) {
  if (!call) return null;
  return <ToolCallCard call={call} />;
}

function StatusSegmentView({ segment }: SegmentComponentProps<"status">) {
  return <AgentStatus status={segment.status} iteration={segment.iteration} announce={false} />;
}

function ProgressSegmentView({ segment, ended }: SegmentComponentProps<"progress">) {
  return (
    <>
      <ProgressBar {...progressValue(segment.current, segment.total)} label={segment.label} status={ended} />
      {segment.message ? <div className="as-progress__message">{segment.message}</div> : null}
    </>
  );
}

function ResultSegmentView({ segment }: SegmentComponentProps<"result">) {
  return <ResultBlock result={segment.result} />;
}

function ErrorSegmentView({ segment }: SegmentComponentProps<"error">) {
  return <ErrorBlock error={segment.error} />;
}

function InterruptedSegmentView({ segment }: SegmentComponentProps<"interrupted">) {
  return <InterruptedMarker reason={segment.interruption.reason} />;
}

function AskSegmentView({ segment }: SegmentComponentProps<"ask">) {
  return <AskCard ask={segment.ask} />;
}

/** The default renderer of each segment kind (exhaustive). */
export const DEFAULT_SEGMENT_COMPONENTS: SegmentComponents = {
  text: TextSegmentView,
  thinking: ThinkingSegmentView,
  tool: ToolSegmentView,
  status: StatusSegmentView,
  progress: ProgressSegmentView,
  result: ResultSegmentView,
  error: ErrorSegmentView,
  interrupted: InterruptedSegmentView,
  ask: AskSegmentView,
};

interface SegmentProps {
  segment: TimelineSegment;
  streaming: boolean;
  call: ToolCallState | undefined;
  renderText: RenderText | undefined;
  components: Partial<SegmentComponents> | undefined;
  ended?: SegmentComponentProps["ended"];
}

/**
 * One timeline segment in its wrapper. Memoized: segments are immutable, so a finished segment
 * never re-renders while the tail streams.
 */
export const Segment = /* @__PURE__ */ memo(function Segment({
  segment,
  streaming,
  call,
  renderText,
  components,
  ended,
}: SegmentProps) {
  const Renderer = (components?.[segment.kind] ??
    DEFAULT_SEGMENT_COMPONENTS[segment.kind]) as ComponentType<SegmentComponentProps>;
  return (
    <div
      className="as-segment"
      data-kind={segment.kind}
      data-agent={segment.agent}
      data-streaming={streaming ? "" : undefined}
      data-state={segment.kind === "tool" ? call?.status : undefined}
    >
      <Renderer segment={segment} streaming={streaming} call={call} renderText={renderText} ended={ended} />
    </div>
  );
});
