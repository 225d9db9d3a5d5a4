import type { ProgressStep, RunStatus } from "@agentstream/core";
import { ProgressBar } from "../components/progress-bar.js";
import { StepProgress } from "../components/step-progress.js";
import { progressValue } from "../internal/progress.js";

/** Props of {@link ProgressPanel}: a progress report (`RunState.progress` or an activity's content). */
export interface ProgressPanelProps {
  /** Label of the step now running. */
  label: string;
  /** Steps done. */
  current: number;
  /** Total steps; absent makes the bar indeterminate. */
  total?: number;
  /** Free text about the current step. */
  message?: string;
  /** Every step reported so far; a list is shown when there are two or more. */
  steps?: readonly ProgressStep[];
  /** The status of the run the progress belongs to: an ended run's bar shows its end (see `ProgressBar`). */
  status?: RunStatus;
}

/** A progress bar, the step list when there are several steps, and the current message. */
export function ProgressPanel({ label, current, total, message, steps, status }: ProgressPanelProps) {
  return (
    <div className="as-progress-panel" data-current={current} data-total={total}>
      <ProgressBar {...progressValue(current, total)} label={label} status={status} />
      {steps && steps.length > 1 ? <StepProgress steps={steps} /> : null}
      {message ? <div className="as-progress__message">{message}</div> : null}
    </div>
  );
}
