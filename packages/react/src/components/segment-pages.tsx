import type { TimelineSegment, ToolCallState } from "@agentstream/core";
import type { RunEnd } from "@agentstream/core/internal";
import {
  createContext,
  memo,
  type ReactNode,
  type RefObject,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { type RenderText, Segment, type SegmentComponents } from "./stream-segment.js";

/** Segments per page of a long timeline: the unit that is mounted or unmounted. */
export const SEGMENTS_PER_PAGE = 50;
/**
 * A timeline with fewer segments than this renders every segment (find-in-page and a screen
 * reader's virtual cursor see all of it); from here on, pages far from the viewport unmount.
 */
export const WINDOW_FROM = 200;

/** Watches page elements against the scroll container (one IntersectionObserver per view). */
export interface PageWatcher {
  /** Calls `onChange(near, height)` when the element comes within (or leaves) a viewport's height of the view. */
  watch(el: Element, onChange: (near: boolean, height: number) => void): () => void;
}

const PageWatcherContext = /* @__PURE__ */ createContext<PageWatcher | null>(null);

/** Provides {@link PageWatcher} for the scroll container in `rootRef` (created on first use). */
export function usePageWatcher(rootRef: RefObject<HTMLElement | null>): PageWatcher {
  const state = useRef<{
    io: IntersectionObserver | undefined;
    calls: Map<Element, (n: boolean, h: number) => void>;
  }>({
    io: undefined,
    calls: new Map(),
  });
  useEffect(() => () => state.current.io?.disconnect(), []);
  return useMemo<PageWatcher>(
    () => ({
      watch(el, onChange) {
        const s = state.current;
        if (typeof IntersectionObserver !== "function") return () => {};
        s.io ??= new IntersectionObserver(
          (entries) => {
            for (const e of entries) s.calls.get(e.target)?.(e.isIntersecting, e.boundingClientRect.height);
          },
          // Mounted: what is within one viewport height above or below what is shown.
          { root: rootRef.current, rootMargin: "100% 0px 100% 0px" },
        );
        s.calls.set(el, onChange);
        s.io.observe(el);
        return () => {
          s.calls.delete(el);
          s.io?.unobserve(el);
        };
      },
    }),
    [rootRef],
  );
}

/** Makes `watcher` available to the segment lists below. */
export function PageWatcherProvider({ watcher, children }: { watcher: PageWatcher; children: ReactNode }) {
  return <PageWatcherContext.Provider value={watcher}>{children}</PageWatcherContext.Provider>;
}

/** What a segment list renders with. */
export interface SegmentListProps {
  segments: readonly TimelineSegment[];
  toolCalls: Readonly<Record<string, ToolCallState>>;
  live: boolean;
  renderText: RenderText | undefined;
  components: Partial<SegmentComponents> | undefined;
  /** How the run (or the lane) ended, once it has. */
  ended: RunEnd | undefined;
}

function SegmentRange({
  start,
  end,
  segments,
  toolCalls,
  live,
  renderText,
  components,
  ended,
}: SegmentListProps & { start: number; end: number }) {
  const last = segments.length - 1;
  const out: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    const segment = segments[i] as TimelineSegment;
    const call = segment.kind === "tool" ? toolCalls[segment.toolCallId] : undefined;
    out.push(
      <Segment
        key={segment.id}
        segment={segment}
        call={call}
        streaming={live && i === last}
        renderText={renderText}
        components={components}
        ended={ended}
      />,
    );
  }
  return <>{out}</>;
}

type PageProps = SegmentListProps & {
  start: number;
  end: number;
  mountedAtFirst: boolean;
  /** The last page, with the live tail: always mounted, re-rendered with every change. */
  tail: boolean;
};

/** A page re-renders only when one of its own segments (or their tool calls) changed. */
function samePage(a: PageProps, b: PageProps): boolean {
  if (a.tail || b.tail) return false;
  if (a.start !== b.start || a.end !== b.end || a.renderText !== b.renderText) return false;
  // `live` only marks the last segment, which is never on a page (it is in the tail).
  if (a.components !== b.components || a.ended !== b.ended) return false;
  for (let i = a.start; i < a.end; i++) {
    const s = a.segments[i];
    if (s !== b.segments[i]) return false;
    if (s?.kind === "tool" && a.toolCalls[s.toolCallId] !== b.toolCalls[s.toolCallId]) return false;
  }
  return true;
}

/**
 * One page of finished segments (`.as-segment-page`). While it is within a viewport's height of
 * what is shown it renders its segments; farther away it is an empty placeholder of the height
 * it last had (`data-unmounted`, `aria-hidden`), so a 50,000-segment run keeps only a few pages
 * of components and DOM nodes alive.
 */
const SegmentPage = /* @__PURE__ */ memo(function SegmentPage(props: PageProps) {
  const watcher = useContext(PageWatcherContext);
  const ref = useRef<HTMLDivElement>(null);
  // Without IntersectionObserver (SSR, old engines) every page stays mounted.
  const [near, setNear] = useState(
    props.mountedAtFirst || watcher === null || typeof IntersectionObserver !== "function",
  );
  const shown = near || props.tail;
  const [height, setHeight] = useState<number | undefined>(undefined);
  // A passive effect: the scroll container's ref is attached by then.
  useEffect(() => {
    const el = ref.current;
    if (!el || !watcher) return;
    return watcher.watch(el, (isNear, h) => {
      if (!isNear && h > 0) setHeight(h);
      setNear(isNear);
    });
  }, [watcher]);
  if (shown) {
    return (
      <div ref={ref} className="as-segment-page" data-tail={props.tail ? "" : undefined}>
        <SegmentRange {...props} />
      </div>
    );
  }
  return (
    <div
      ref={ref}
      className="as-segment-page"
      data-unmounted=""
      aria-hidden="true"
      style={{ height: height ?? `calc(${props.end - props.start} * var(--as-segment-intrinsic-size))` }}
    />
  );
}, samePage);

/**
 * The segments of a timeline. Up to {@link WINDOW_FROM} segments, each one mounted (memoized:
 * a finished segment never re-renders while the tail streams). Longer timelines are cut into
 * pages of {@link SEGMENTS_PER_PAGE}: the page holding the live tail and every page within a
 * viewport's height of the visible area are mounted, the others are placeholders of their last
 * height. Trade-off: find-in-page and a screen reader's virtual cursor reach only the mounted
 * pages of a long run (the newest output and what is near the scroll position); scrolling brings
 * the rest back.
 */
export function SegmentList(props: SegmentListProps) {
  const { segments } = props;
  const watcher = useContext(PageWatcherContext);
  if (segments.length < WINDOW_FROM || watcher === null)
    return <SegmentRange {...props} start={0} end={segments.length} />;
  const tailStart = Math.floor((segments.length - 1) / SEGMENTS_PER_PAGE) * SEGMENTS_PER_PAGE;
  const pages: ReactNode[] = [];
  for (let start = 0; start <= tailStart; start += SEGMENTS_PER_PAGE) {
    const first = segments[start] as TimelineSegment;
    const tail = start === tailStart;
    pages.push(
      // Keyed by its first segment: the tail page stays the same page once full (nothing remounts).
      <SegmentPage
        key={first.id}
        {...props}
        start={start}
        end={tail ? segments.length : start + SEGMENTS_PER_PAGE}
        // A page that appears now (a snapshot, a reload) starts mounted only near the end.
        mountedAtFirst={start >= tailStart - 2 * SEGMENTS_PER_PAGE}
        tail={tail}
      />,
    );
  }
  return <>{pages}</>;
}
