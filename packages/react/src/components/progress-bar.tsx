import { type ComponentPropsWithoutRef, type CSSProperties, forwardRef, useEffect } from "react";
import { cx } from "../internal/cx.js";
import { devError } from "../internal/dev.js";

const DEFAULT_MAX = 100;

/** `data-state` of a {@link ProgressBar}. */
export type ProgressBarState = "indeterminate" | "loading" | "complete";

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

/** The `data-state` a value and max give (exported for custom progress renderers). */
export function progressState(value: number | null | undefined, max: number): ProgressBarState {
  if (value == null) return "indeterminate";
  return value >= max ? "complete" : "loading";
}

/**
 * A progress bar (`role="progressbar"`) in the style of Radix Progress: `aria-valuenow/min/max`,
 * `aria-valuetext`, `data-state="indeterminate | loading | complete"`, `data-value`, `data-max`.
 * Indeterminate when `value` is `null` or `undefined`.
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

  const state = progressState(value, max);
  const valueText = value == null ? undefined : getValueLabel(value, max);
  const fraction = value == null ? 0 : value / max;
  const showValueText = (showValue ?? value != null) && valueText !== undefined;
  const indicatorStyle = { "--as-progress-fraction": fraction } as CSSProperties;

  return (
    <div
      ref={ref}
      role="progressbar"
      aria-label={rest["aria-labelledby"] ? undefined : (label ?? "Progress")}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value ?? undefined}
      aria-valuetext={valueText}
      data-state={state}
      data-value={value ?? undefined}
      data-max={max}
      className={cx("as-progress", className)}
      style={style}
      {...rest}
    >
      {(label && !hideLabel) || showValueText ? (
        <div className="as-progress__header" aria-hidden="true">
          {label && !hideLabel ? <span className="as-progress__label">{label}</span> : null}
          {showValueText ? <span className="as-progress__value">{valueText}</span> : null}
        </div>
      ) : null}
      <div className="as-progress__track">
        <div className="as-progress__indicator" data-state={state} style={indicatorStyle} />
      </div>
    </div>
  );
});
