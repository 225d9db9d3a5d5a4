import type { RunState, RunStatus, ToolCallState, ToolCallStatus } from "@agentstream/core";
import { useContext } from "react";
import { StopButton } from "../components/stop-button.js";
import type { SegmentComponents } from "../components/stream-segment.js";
import { StreamView } from "../components/stream-view.js";
import { ToolCallCard } from "../components/tool-call-card.js";
import type { RunSource } from "../hooks/types.js";
import { handedOverStatus } from "./call-outcome.js";
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
  /**
   * Whether the page may still run this call (the agent's stream is open, or CopilotKit runs
   * another of the run's calls first). With `false`, a call that has no result and no handler
   * run on this page was cut off (the page that ran it was stopped or reloaded) and shows
   * `interrupted`. Default: unknown (such a call shows as still preparing).
   */
  pending?: boolean;
}

const Nothing = () => null;

/**
 * Timeline renderers inside the card: progress is pinned above the timeline and the status is
 * the card's badge, so neither repeats inline; the result is the card's own result section.
 */
const CARD_SEGMENTS: Partial<SegmentComponents> = { status: Nothing, progress: Nothing, result: Nothing };

/**
 * The card's status: the handler's run when this page ran it, else what CopilotKit recorded
 * (see `handedOverStatus`: the interrupted result, an error, a call cut off by a reload).
 */
function cardStatus(
  status: CopilotToolStatus,
  run: RunState,
  result: unknown,
  pending: boolean | undefined,
): ToolCallStatus {
  const decided = handedOverStatus({
    handler: run,
    executing: status === "executing",
    result:
      status !== "complete" ? undefined : typeof result === "string" ? result : JSON.stringify(result ?? ""),
    pending: pending !== false,
  });
  return decided ?? "streaming";
}

/** `data-run-state` of a card without a run on this page (history): what its status stands for. */
const RUN_STATE_OF: Record<ToolCallStatus, RunStatus> = {
  streaming: "idle",
  called: "acting",
  complete: "completed",
  failed: "error",
  interrupted: "interrupted",
};

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
 * `data-run-state` carries the run's status (`started`, `completed`, `interrupted`, `error` ...);
 * for a call this page did not run (history) the status its result stands for.
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
  pending,
}: ToolRunCardProps) {
  const runs = useContext(ToolCallRunsContext);
  const ended = run.done;
  const callStatus = cardStatus(status, run, result, pending);
  const call: ToolCallState = {
    id: toolCallId,
    name,
    argsText: "",
    args,
    status: callStatus,
    // The run's own result is exact; CopilotKit's (a string) stands in when there is no run (history).
    result: run.result ? run.result.output : run.error || run.interruption ? undefined : result,
    success: run.error ? false : run.result ? run.result.success : undefined,
    startedAt: run.metrics.startedAt ?? 0,
    endedAt: ended && run.metrics.startedAt !== undefined ? run.metrics.endedAt : undefined,
  };
  const running = runningProp ?? (!run.done && runs?.isRunning(toolCallId) === true);
  return (
    <ToolCallCard
      call={call}
      data-run-state={run.status !== "idle" ? run.status : RUN_STATE_OF[callStatus]}
      data-tool-call-id={toolCallId}
    >
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
          status={run.status}
        />
      ) : null}
      {hasVisibleTimeline(run) ? (
        <StreamView store={store} components={CARD_SEGMENTS} stickToBottom={false} />
      ) : null}
    </ToolCallCard>
  );
}
