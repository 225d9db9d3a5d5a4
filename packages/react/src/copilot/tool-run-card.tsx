import type { RunState, ToolCallState, ToolCallStatus } from "@agentstream/core";
import { useContext } from "react";
import { StopButton } from "../components/stop-button.js";
import type { SegmentComponents } from "../components/stream-segment.js";
import { StreamView } from "../components/stream-view.js";
import { ToolCallCard } from "../components/tool-call-card.js";
import type { RunSource } from "../hooks/types.js";
import { ProgressPanel } from "./progress-panel.js";
import { ToolCallRunsContext } from "./tool-runs.js";

/** CopilotKit's status of a tool call in a render: arguments streaming, handler running, done. */
export type CopilotToolStatus = "inProgress" | "executing" | "complete";

/** Props of {@link ToolRunCard}. */
export interface ToolRunCardProps {
  /** The tool's name. */
  name: string;
  /** The tool call's id. */
  toolCallId: string;
  /** CopilotKit's status of the call. */
  status: CopilotToolStatus;
  /** The arguments (partial while `inProgress`). */
  args: Record<string, unknown>;
  /** The tool result (parsed), once `complete`. */
  result: unknown;
  /** The run of the handler. */
  run: RunState;
  /** The store of that run. */
  store: RunSource;
  /** Whether the handler runs on this page (shows the Stop button). Default: asked of the provider's tool-call runs. */
  running?: boolean;
  /** Stops this call's handler. Default: the provider's tool-call runs stop it. */
  onStop?: () => void;
}

const Nothing = () => null;

/**
 * Timeline renderers inside the card: progress is pinned above the timeline and the status is
 * the card's badge, so neither repeats inline; the result is the card's own result section.
 */
const CARD_SEGMENTS: Partial<SegmentComponents> = { status: Nothing, progress: Nothing, result: Nothing };

function cardStatus(status: CopilotToolStatus, run: RunState): ToolCallStatus {
  if (run.error) return "failed";
  if (run.interruption) return "interrupted";
  if (status === "inProgress") return "streaming";
  if (status === "executing" && !run.done) return "called";
  return "complete";
}

function hasVisibleTimeline(run: RunState): boolean {
  return run.timeline.some(
    (segment) => segment.kind !== "status" && segment.kind !== "progress" && segment.kind !== "result",
  );
}

/**
 * The default render of a streaming action: a {@link ToolCallCard} (name, status, arguments,
 * result) holding the live progress (bar and steps), the handler's output as a
 * {@link StreamView} (text, thinking, nested tool calls, errors, interruption) and, while the
 * handler runs, a Stop button for this action alone (the agent then receives the
 * "interrupted" result and carries on).
 *
 * `data-run-state` carries the run's status (`started`, `completed`, `interrupted`, `error` ...).
 */
export function ToolRunCard({
  name,
  toolCallId,
  status,
  args,
  result,
  run,
  store,
  running: runningProp,
  onStop,
}: ToolRunCardProps) {
  const runs = useContext(ToolCallRunsContext);
  const ended = run.done;
  const call: ToolCallState = {
    id: toolCallId,
    name,
    argsText: "",
    args,
    status: cardStatus(status, run),
    // The run's own result is exact; CopilotKit's (a string) stands in when there is no run (history).
    result: run.result ? run.result.output : run.error || run.interruption ? undefined : result,
    success: run.error ? false : run.result ? run.result.success : undefined,
    startedAt: run.metrics.startedAt ?? 0,
    endedAt: ended && run.metrics.startedAt !== undefined ? run.metrics.endedAt : undefined,
  };
  const running = runningProp ?? (!run.done && runs?.isRunning(toolCallId) === true);
  return (
    <ToolCallCard call={call} data-run-state={run.status} data-tool-call-id={toolCallId}>
      {running ? (
        <StopButton
          className="as-tool__stop"
          running
          onStop={onStop ?? (() => runs?.stop(toolCallId))}
          label="Stop action"
        />
      ) : null}
      {run.progress ? (
        <ProgressPanel
          label={run.progress.label}
          current={run.progress.current}
          total={run.progress.total}
          message={run.progress.message}
          steps={run.progress.steps}
        />
      ) : null}
      {hasVisibleTimeline(run) ? (
        <StreamView store={store} components={CARD_SEGMENTS} stickToBottom={false} />
      ) : null}
    </ToolCallCard>
  );
}
