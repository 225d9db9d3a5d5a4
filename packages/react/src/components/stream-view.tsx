import { type AgentLane, type RunState, settleRun, type TimelineSegment } from "@agentstream/core";
import { laneEnd, runEnd } from "@agentstream/core/internal";
import { type ComponentPropsWithoutRef, forwardRef, type ReactNode, useMemo } from "react";
import type { RunSource } from "../hooks/types.js";
import { useRun } from "../hooks/use-run.js";
import { useStickToBottom } from "../hooks/use-stick-to-bottom.js";
import { cx } from "../internal/cx.js";
import { mergeRefs } from "../internal/merge-refs.js";
import { AgentStatus } from "./agent-status.js";
import { PageWatcherProvider, SegmentList, type SegmentListProps, usePageWatcher } from "./segment-pages.js";
import type { RenderText, SegmentComponents } from "./stream-segment.js";

interface StreamViewOwnProps extends Omit<ComponentPropsWithoutRef<"div">, "children"> {
  /**
   * Renders answer text. Default: plain text with `white-space: pre-wrap`, in memoized blocks
   * (`.as-text` > `.as-text__block`, one per paragraph; past 64 blocks, full runs of 64 are grouped
   * in `.as-text__page`) so that only the last block changes per
   * frame; `textContent` is the text exactly. Pass `renderMarkdown` from
   * `@agentstream/react/markdown` for markdown. Keep it stable.
   */
  renderText?: RenderText;
  /** Renderers that replace the default ones, per segment kind. Keep the object stable. */
  components?: Partial<SegmentComponents>;
  /** Follow new content while the user is at the bottom. Default true. */
  stickToBottom?: boolean;
  /**
   * `"auto"` (default) shows one section per agent when the run has lanes (a multi-agent stream),
   * `"timeline"` always shows one merged timeline, `"lanes"` forces lanes.
   */
  layout?: "auto" | "timeline" | "lanes";
  /** Shown while the run has produced nothing yet. */
  emptyState?: ReactNode;
  /** Label of the button that scrolls back to the latest output. Default "Jump to latest". */
  jumpLabel?: string;
}

/** Props of {@link StreamView}: either a live `store` or a `run` snapshot. */
export type StreamViewProps = StreamViewOwnProps &
  ({ store: RunSource; run?: undefined } | { run: RunState; store?: undefined });

function Lane({
  lane,
  run,
  ...list
}: { lane: AgentLane; run: RunState } & Omit<SegmentListProps, "segments" | "toolCalls">) {
  return (
    <section className="as-lane" aria-label={lane.agent} data-agent={lane.agent} data-state={lane.status}>
      <header className="as-lane__header">
        <span className="as-lane__name">{lane.agent}</span>
        <AgentStatus status={lane.status} announce={false} />
      </header>
      <div className="as-lane__body">
        <SegmentList
          segments={lane.timeline}
          toolCalls={run.toolCalls}
          {...list}
          live={list.live && !isLaneDone(lane)}
          ended={list.ended ?? laneEnd(lane)}
        />
      </div>
    </section>
  );
}

function isLaneDone(lane: AgentLane): boolean {
  return lane.status === "completed" || lane.status === "error" || lane.status === "interrupted";
}

const RunView = /* @__PURE__ */ forwardRef<HTMLDivElement, StreamViewOwnProps & { run: RunState }>(
  function RunView(
    {
      run: runProp,
      renderText,
      components,
      stickToBottom = true,
      layout = "auto",
      emptyState,
      jumpLabel = "Jump to latest",
      className,
      ...rest
    },
    ref,
  ) {
    // A snapshot passed in is settled as the store's would be (see `useRun`): an ended run shows nothing live.
    const run = settleRun(runProp);
    const { scrollRef, contentRef, stuck, scrollToBottom } = useStickToBottom<HTMLDivElement, HTMLDivElement>(
      run.version,
      {
        enabled: stickToBottom,
      },
    );
    const rootRef = useMemo(() => mergeRefs(ref, scrollRef), [ref, scrollRef]);
    const watcher = usePageWatcher(scrollRef);
    const live = !run.done && run.status !== "idle";
    const useLanes = layout === "lanes" || (layout === "auto" && run.lanes.length > 0);
    const listProps = { live, renderText, components, ended: runEnd(run) };
    const empty = run.timeline.length === 0;

    return (
      <div
        ref={rootRef}
        className={cx("as-stream", className)}
        role="log"
        aria-live="off"
        aria-label="Agent output"
        data-live={live ? "" : undefined}
        data-state={run.status}
        data-done={run.done ? "" : undefined}
        data-layout={useLanes ? "lanes" : "timeline"}
        data-stuck={stickToBottom && stuck ? "" : undefined}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the scrolling log must be reachable by keyboard.
        tabIndex={0}
        {...rest}
      >
        <div ref={contentRef} className="as-stream__content">
          <PageWatcherProvider watcher={watcher}>
            {empty ? emptyState : null}
            {useLanes ? (
              <>
                <div className="as-stream__lanes" data-count={run.lanes.length}>
                  {run.lanes.map((lane) => (
                    <Lane key={lane.agent} lane={lane} run={run} {...listProps} />
                  ))}
                </div>
                <SegmentList
                  segments={sharedSegments(run.timeline)}
                  toolCalls={run.toolCalls}
                  {...listProps}
                />
              </>
            ) : (
              <SegmentList segments={run.timeline} toolCalls={run.toolCalls} {...listProps} />
            )}
          </PageWatcherProvider>
        </div>
        {stickToBottom && !stuck ? (
          <button type="button" className="as-stream__jump" onClick={scrollToBottom}>
            <span aria-hidden="true">↓ </span>
            {jumpLabel}
          </button>
        ) : null}
      </div>
    );
  },
);

/** Segments that belong to no agent (the orchestrator's), shown under the lanes. */
function sharedSegments(timeline: readonly TimelineSegment[]): readonly TimelineSegment[] {
  return timeline.filter((segment) => segment.agent === undefined);
}

const StoreView = /* @__PURE__ */ forwardRef<HTMLDivElement, StreamViewOwnProps & { store: RunSource }>(
  function StoreView({ store, ...rest }, ref) {
    const run = useRun(store);
    return <RunView ref={ref} run={run} {...rest} />;
  },
);

/**
 * Renders a whole run as it streams: consecutive tokens as one text block, thinking as a
 * collapsible "Thought for 3 seconds", tool calls as cards whose arguments fill in as they stream and
 * then show their result, progress and status inline, the final result, an error below the
 * partial output, an interruption marker. Multi-agent runs get one section per agent (lanes).
 *
 * Pass a `store` (subscribed with {@link useRun}, one commit per frame at most) or a `run`
 * snapshot. The view is a `role="log"` scroll container that sticks to the bottom while content
 * grows, lets go when the user scrolls up and re-arms at the bottom ("Jump to latest").
 *
 * Long streams stay smooth: each segment is memoized on its (immutable) segment object, so only
 * the tail re-renders; plain text is split into memoized paragraph blocks, grouped in pages of 64,
 * so only the last block re-renders and lays out again; offscreen segments and text pages skip
 * layout and paint (`content-visibility: auto`). A timeline of 200 segments or more is cut into
 * pages of 50 (`.as-segment-page`): pages farther than a viewport's height from what is shown
 * unmount and leave a placeholder of their height (`data-unmounted`), so a run of 50,000 chunks
 * keeps a few hundred segments mounted. Trade-off: in such a run, find-in-page and a screen
 * reader's virtual cursor reach only the mounted pages (the live tail and what is near the scroll
 * position); shorter runs are mounted whole.
 *
 * Attributes: `data-state` (run status), `data-live` (running), `data-done`, `data-layout`, `data-stuck`; segments have
 * `data-kind`, `data-agent`, `data-streaming`.
 */
export const StreamView = /* @__PURE__ */ forwardRef<HTMLDivElement, StreamViewProps>(
  function StreamView(props, ref) {
    if (props.store) {
      const { run: _run, ...rest } = props;
      return <StoreView ref={ref} {...rest} store={props.store} />;
    }
    const { store: _store, ...rest } = props;
    return <RunView ref={ref} {...rest} run={props.run} />;
  },
);
