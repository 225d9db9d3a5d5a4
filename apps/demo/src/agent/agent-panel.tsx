import { createRunStore, type RunState } from "@agentstream/core";
import {
  AgentStatus,
  AskCard,
  formatDuration,
  ProgressBar,
  ResultBlock,
  type SegmentComponentProps,
  type SegmentComponents,
  StepProgress,
  StopButton,
  StreamMetrics,
  StreamView,
  useRun,
} from "@agentstream/react";
import { useAgentRun } from "@agentstream/react/copilot";
import { renderMarkdown } from "@agentstream/react/markdown";
import { type ActionRun, useActionRuns } from "../actions/action-runs.js";

/**
 * The bar for a run: its reported progress, else indeterminate while it works; once the run
 * ended, its end (full when completed, frozen and neutral when stopped), never still animating.
 */
function RunProgress({ run, label, id }: { run: RunState; label: string; id?: string }) {
  const p = run.progress;
  if (p) {
    return (
      <ProgressBar
        id={id}
        label={p.total !== undefined ? `${p.label}` : `${label}: ${p.label}`}
        value={p.total !== undefined ? Math.min(p.current, p.total) : null}
        max={p.total !== undefined && p.total > 0 ? p.total : 100}
        status={run.status}
      />
    );
  }
  if (run.status === "idle")
    return <ProgressBar id={id} label={`${label}: waiting`} value={0} max={1} showValue={false} />;
  if (!run.done) return <ProgressBar id={id} label={`${label}: working`} value={null} />;
  const ok = run.status === "completed";
  return (
    <ProgressBar
      id={id}
      label={`${label}: ${ok ? "done" : "ended"}`}
      value={ok ? 1 : 0}
      max={1}
      showValue={false}
      status={run.status}
    />
  );
}

function ActionRunView({ action }: { action: ActionRun }) {
  const run = useRun(action.store);
  return (
    <section
      className="panel-section action-run"
      aria-labelledby="action-run-title"
      data-testid="action-run"
      data-action={action.name}
      data-state={run.status}
    >
      <div className="panel-section__head">
        <h3 id="action-run-title">
          App action <code>{action.name}</code>
        </h3>
        <AgentStatus status={run.status} announce={false} />
      </div>
      <RunProgress run={run} label={action.name} />
      {run.progress && run.progress.steps.length > 1 ? <StepProgress steps={run.progress.steps} /> : null}
      {run.progress?.message ? <p className="action-run__message">{run.progress.message}</p> : null}
      {run.error ? (
        <p className="action-run__error" data-testid="action-error">
          <strong>Failed:</strong> {run.error.message}
        </p>
      ) : null}
      {run.text ? (
        <details className="action-run__output" open={Boolean(run.error || run.interruption)}>
          <summary>Output so far ({run.text.split("\n").filter(Boolean).length} lines)</summary>
          <pre data-testid="action-output">{run.text}</pre>
        </details>
      ) : null}
    </section>
  );
}

/** The run's final result, folded: the answer is already on screen above it. */
function CompactResult({ segment }: SegmentComponentProps<"result">) {
  const { result } = segment;
  const took = formatDuration(result.duration);
  return (
    <details className="compact-result" data-state={result.success ? "success" : "failure"}>
      <summary>
        <span aria-hidden="true">{result.success ? "✓" : "✕"}</span> {result.success ? "Finished" : "Failed"}
        {took ? ` in ${took}` : ""} · show the result
      </summary>
      <ResultBlock result={result} />
    </details>
  );
}

/** Moves focus to the chat's card of question `id` (the one that answers it), else to the chat. */
function focusChatQuestion(id: string): void {
  const card = document.querySelector<HTMLElement>(`#chat .as-ask[data-ask-id="${CSS.escape(id)}"]`);
  const target = card ?? document.getElementById("chat");
  target?.scrollIntoView({ block: "nearest" });
  target?.focus();
}

/**
 * A question in the panel: read-only (the chat's card answers it, and takes the focus and the
 * announcement); while it is open, a button leads to the chat's card.
 */
function PanelQuestion({ segment }: SegmentComponentProps<"ask">) {
  return (
    <AskCard
      ask={segment.ask}
      data-testid="panel-question"
      answerElsewhere={
        <button type="button" className="as-ask__go" onClick={() => focusChatQuestion(segment.ask.id)}>
          Answer in the chat
        </button>
      }
    />
  );
}

const PANEL_SEGMENTS: Partial<SegmentComponents> = { result: CompactResult, ask: PanelQuestion };
/** An app action's output in the panel: its progress is the panel's bar already. */
const ACTION_SEGMENTS: Partial<SegmentComponents> = {
  result: CompactResult,
  progress: () => null,
  ask: PanelQuestion,
};

const emptyState = (
  <p className="empty-state">
    Nothing yet. Ask the copilot something: its thinking, tool calls, progress and answer stream here as they
    happen.
  </p>
);

/** Stands in for "no app action yet", so hooks are always called the same way. */
const NO_ACTION = createRunStore();

/** The moment between the agent's call and the action's start: busy, nothing measured yet. */
const HANDING_OVER: RunState = { ...NO_ACTION.getSnapshot(), status: "acting" };

/**
 * What the chat's agent is doing right now, through `useAgentRun`: status, progress, the streamed
 * output (one lane per agent for the team), figures, and Stop.
 */
export function AgentPanel({ agentId, description }: { agentId: string; description?: string }) {
  // The agent's turn (useAgentRun): when its run hands an app action over, the turn stays busy
  // while the page runs it, and a stopped (or, after a reload, cut-off) action ends it interrupted.
  const { store, run, running, stop, handedOver } = useAgentRun(agentId);
  const { latest } = useActionRuns();
  const action = useRun(latest?.store ?? NO_ACTION);
  // When the agent calls an app action its run ends, with the call unanswered; the action then
  // runs in the page and the agent answers in a follow-up run. Until then the turn belongs to
  // the action: show its status and progress, not the ended run's.
  const pendingId = handedOver.at(-1);
  const pendingName = pendingId ? run.toolCalls[pendingId]?.name : undefined;
  const forAction = pendingId !== undefined && latest?.toolCallId === pendingId && action.status !== "idle";
  // Before the action's first yield (the page is about to run it). A call nothing runs (the page
  // was reloaded meanwhile) is no hand-over: the turn says how it ended.
  const handingOver = pendingId !== undefined && !forAction && run.toolCalls[pendingId]?.status === "called";
  const shown = forAction ? action : run;
  // A team member's "completed" must not read as the whole run's while the others still work.
  let status = !shown.done && shown.status === "completed" ? "acting" : shown.status;
  if (handingOver) status = "acting";
  const waiting = handingOver || (forAction && !action.done);
  const liveAction = forAction && !action.done ? latest : null;
  const progressRun = handingOver ? HANDING_OVER : shown;
  const subject = forAction || handingOver ? (pendingName ?? latest?.name) : undefined;

  return (
    <section className="panel agent-panel" aria-labelledby="agent-panel-title" data-testid="agent-panel">
      <header className="panel__header">
        <div>
          <h2 id="agent-panel-title">Agent run</h2>
          <p className="panel__subtitle">
            <span className="agent-chip">{agentId}</span>
            {description ? <span className="panel__description">{description}</span> : null}
          </p>
        </div>
        <StopButton
          running={running || waiting}
          onStop={stop}
          label="Stop"
          aria-label={`Stop the ${agentId} agent`}
        />
      </header>
      <div className="agent-panel__status">
        <AgentStatus
          status={status}
          iteration={shown.iteration}
          agent={subject}
          showElapsed
          data-testid="run-status"
        />
      </div>
      <RunProgress run={progressRun} label={subject ?? agentId} id="run-progress" />
      {shown.progress && shown.progress.steps.length > 1 && !(forAction && action.done) ? (
        <StepProgress steps={shown.progress.steps} />
      ) : null}
      {liveAction ? (
        <p className="agent-panel__caption">
          The agent handed over to the app: output of <code>{liveAction.name}</code>, live.
        </p>
      ) : null}
      <StreamView
        // A fresh view per source, so scrolling and "stick to bottom" start over.
        key={liveAction ? liveAction.toolCallId : "agent"}
        store={liveAction ? liveAction.store : store}
        renderText={renderMarkdown}
        components={liveAction ? ACTION_SEGMENTS : PANEL_SEGMENTS}
        emptyState={emptyState}
        className="agent-panel__stream"
        data-testid="run-stream"
        data-source={liveAction ? "action" : "agent"}
        aria-label={liveAction ? `Output of ${liveAction.name}` : "Agent output"}
      />
      <StreamMetrics metrics={shown.metrics} data-testid="run-metrics" aria-label="Run figures" />
      {latest && !(forAction && !action.done) ? (
        <ActionRunView key={latest.toolCallId} action={latest} />
      ) : null}
    </section>
  );
}
