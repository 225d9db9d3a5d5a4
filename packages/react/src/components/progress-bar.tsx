import type { RunStatus } from "@agentstream/core";
import { endOfStatus } from "@agentstream/core/internal";
import { type ComponentPropsWithoutRef, type CSSProperties, forwardRef, useEffect } from "react";
import { cx } from "../internal/cx.js";
import { devError, isDev } from "../internal/dev.js";

const DEFAULT_MAX = 100;

/**
 * `data-state` of a {@link ProgressBar}: `indeterminate`, `loading` and `complete` as Radix
 * Progress; `stopped` (the run was interrupted: frozen, neutral) and `failed` (the run failed:
 * frozen) once the run ended without completing.
 */
export type ProgressBarState = "indeterminate" | "loading" | "complete" | "stopped" | "failed";

/** Props of {@link ProgressBar}. */
export interface ProgressBarProps extends Omit<ComponentPropsWithoutRef<"div">, "children"> {
  /** Work done, from 0 to `max`. `null`/`undefined` makes the bar indeterminate. */
  value?: number | null;
  /** Total amount of work. Must be a positive, finite number. Default 100. */
  max?: number;
  /** Accessible name, also shown above the bar unless `hideLabel`. */
  label?: string;
  /** Hide the visible label (it remains the accessible name). */
  hideLabel?: boolean;
  /** Builds `aria-valuetext` and the visible value; default "42%" (or "3 of 7" with `max` ≠ 100). */
  getValueLabel?: (value: number, max: number) => string;
  /** Show the value label next to the label. Default true when the bar is determinate. */
  showValue?: boolean;
  /**
   * The status of the run the bar belongs to (e.g. `run.status`). While it works the bar follows
   * `value`; once the run ended it shows the end and never animates: `completed` fills it
   * (`complete`, even without a total), `interrupted` freezes it where it was (`stopped`,
   * neutral), `error` freezes it (`failed`).
   */
  status?: RunStatus;
}

function defaultValueLabel(value: number, max: number): string {
  if (max === DEFAULT_MAX) return `${Math.round((value / max) * 100)}%`;
  return `${value} of ${max}`;
}

function isValidMax(max: unknown): max is number {
  return typeof max === "number" && Number.isFinite(max) && max > 0;
}

function isValidValue(value: unknown, max: number): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= max;
}

/**
 * The `data-state` a value, max and (optionally) the run's status give (exported for custom
 * progress renderers): a run that ended shows its end, whatever the value.
 */
export function progressState(
  value: number | null | undefined,
  max: number,
  status?: RunStatus,
): ProgressBarState {
  const end = status === undefined ? undefined : endOfStatus(status);
  if (end === "completed") return "complete";
  if (value != null && value >= max) return "complete";
  if (end === "interrupted") return "stopped";
  if (end === "error") return "failed";
  return value == null ? "indeterminate" : "loading";
}

const END_TEXT: Partial<Record<ProgressBarState, string>> = { stopped: "stopped", failed: "failed" };

/**
 * A progress bar (`role="progressbar"`) in the style of Radix Progress: `aria-valuenow/min/max`,
 * `aria-valuetext`, `data-state="indeterminate | loading | complete | stopped | failed"`,
 * `data-value`, `data-max`. Indeterminate when `value` is `null` or `undefined`; pass the run's
 * `status` and an ended run's bar shows the end (full, or frozen where it stopped) instead of
 * animating on.
 *
 * Invalid props (a `max` that is not a positive number, a `value` outside `0..max`) log a clear
 * `console.error` in development and fall back to `max = 100` / indeterminate; production is silent.
 *
 * Style hooks: `.as-progress`, `.as-progress__label`, `.as-progress__track`, `.as-progress__indicator`,
 * and the `--as-progress-*` custom properties.
 */
export const ProgressBar = /* @__PURE__ */ forwardRef<HTMLDivElement, ProgressBarProps>(function ProgressBar(
  {
    value: valueProp,
    max: maxProp,
    label,
    hideLabel,
    getValueLabel = defaultValueLabel,
    showValue,
    status,
    className,
    style,
    ...rest
  },
  ref,
) {
  const maxIsValid = maxProp === undefined || isValidMax(maxProp);
  const max = maxIsValid && maxProp !== undefined ? maxProp : DEFAULT_MAX;
  const valueIsValid = valueProp == null || isValidValue(valueProp, max);
  const value = valueIsValid ? (valueProp ?? null) : null;

  useEffect(() => {
    if (!isDev() || process.env.NODE_ENV === "production") return;
    if (!maxIsValid) {
      devError(
        `ProgressBar: invalid \`max\` (${String(maxProp)}); expected a number > 0. Using ${DEFAULT_MAX}.`,
      );
    }
    if (!valueIsValid) {
      devError(
        `ProgressBar: invalid \`value\` (${String(valueProp)}); expected 0..${max} or null. Using null.`,
      );
    }
  }, [maxIsValid, valueIsValid, maxProp, valueProp, max]);

  const state = progressState(value, max, status);
  // A completed run fills the bar; a stopped or failed one stays where it was.
  const shown = state === "complete" ? max : value;
  const ended = END_TEXT[state];
  const numberText = shown == null ? undefined : getValueLabel(shown, max);
  const valueText =
    ended === undefined
      ? numberText
      : numberText === undefined
        ? capitalize(ended)
        : `${numberText}, ${ended}`;
  const fraction = shown == null ? 0 : shown / max;
  const showValueText = (showValue ?? value != null) && numberText !== undefined;
  const indicatorStyle = { "--as-progress-fraction": fraction } as CSSProperties;

  return (
    <div
      ref={ref}
      role="progressbar"
      aria-label={rest["aria-labelledby"] ? undefined : (label ?? "Progress")}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={shown ?? undefined}
      aria-valuetext={valueText}
      data-state={state}
      data-value={shown ?? undefined}
      data-max={max}
      className={cx("as-progress", className)}
      style={style}
      {...rest}
    >
      {(label && !hideLabel) || showValueText ? (
        <div className="as-progress__header" aria-hidden="true">
          {label && !hideLabel ? <span className="as-progress__label">{label}</span> : null}
          {showValueText ? <span className="as-progress__value">{numberText}</span> : null}
        </div>
      ) : null}
      <div className="as-progress__track">
        <div className="as-progress__indicator" data-state={state} style={indicatorStyle} />
      </div>
    </div>
  );
});

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
