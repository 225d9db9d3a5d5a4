import type { ProgressStep, StepState } from "@agentstream/core";
import { type ComponentPropsWithoutRef, forwardRef } from "react";
import { cx } from "../internal/cx.js";
import { formatDuration } from "../internal/format.js";
import { VisuallyHidden } from "../internal/visually-hidden.js";

/** How each step state looks and reads. Exhaustive: a new state is a compile error. */
export const STEP_STATE_META: Record<StepState, { label: string; icon: string }> = {
  pending: { label: "Pending", icon: "○" },
  active: { label: "In progress", icon: "◐" },
  done: { label: "Done", icon: "✓" },
  failed: { label: "Failed", icon: "✕" },
  // The run was stopped while the step was under way: neutral, not a failure.
  stopped: { label: "Stopped", icon: "■" },
};

/** Props of {@link StepProgress}. */
export interface StepProgressProps extends Omit<ComponentPropsWithoutRef<"ol">, "children"> {
  /** The steps, in order (e.g. `run.progress.steps`). */
  steps: readonly ProgressStep[];
  /** Show each finished step's duration. Default true. */
  showDurations?: boolean;
}

/**
 * An ordered list of steps, each `pending`, `active`, `done`, `failed` or `stopped` (the run was
 * interrupted during it: neutral, not an error) as `data-state` on the `<li>`, with durations.
 * The active step has `aria-current="step"`; each step's state is also given to assistive
 * technology as text.
 *
 * Style hooks: `.as-steps`, `.as-step`, `.as-step__icon`, `.as-step__label`, `.as-step__duration`.
 */
export const StepProgress = /* @__PURE__ */ forwardRef<HTMLOListElement, StepProgressProps>(
  function StepProgress({ steps, showDurations = true, className, ...rest }, ref) {
    return (
      <ol ref={ref} className={cx("as-steps", className)} data-count={steps.length} {...rest}>
        {steps.map((step, index) => {
          const meta = STEP_STATE_META[step.state];
          const duration = showDurations ? formatDuration(step.duration) : "";
          return (
            <li
              // Labels may repeat; the position is the identity of a step.
              // biome-ignore lint/suspicious/noArrayIndexKey: steps only ever append.
              key={index}
              className="as-step"
              data-state={step.state}
              aria-current={step.state === "active" ? "step" : undefined}
            >
              <span className="as-step__icon" aria-hidden="true">
                {meta.icon}
              </span>
              <span className="as-step__label">{step.label}</span>
              <VisuallyHidden>{` (${meta.label})`}</VisuallyHidden>
              {duration ? (
                <span className="as-step__duration">
                  <VisuallyHidden>took </VisuallyHidden>
                  {duration}
                </span>
              ) : null}
            </li>
          );
        })}
      </ol>
    );
  },
);
