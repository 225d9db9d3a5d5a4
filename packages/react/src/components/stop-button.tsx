import { type ComponentPropsWithoutRef, forwardRef, type MouseEvent } from "react";
import { cx } from "../internal/cx.js";

/** Props of {@link StopButton}. */
export interface StopButtonProps extends Omit<ComponentPropsWithoutRef<"button">, "onClick" | "children"> {
  /** Called when the user asks to stop the run. */
  onStop: (event: MouseEvent<HTMLButtonElement>) => void;
  /** True while a run is in progress; the button is disabled otherwise. */
  running: boolean;
  /** Visible text and accessible name. Default "Stop". */
  label?: string;
}

/**
 * A real `<button type="button">` that stops a run: focusable, activated by Enter and Space,
 * disabled (natively) when nothing runs. `data-state` is `running` or `idle`.
 *
 * Style hooks: `.as-stop`, `.as-stop__icon`, `--as-stop-*` custom properties.
 */
export const StopButton = /* @__PURE__ */ forwardRef<HTMLButtonElement, StopButtonProps>(function StopButton(
  { onStop, running, label = "Stop", className, disabled, ...rest },
  ref,
) {
  return (
    <button
      ref={ref}
      type="button"
      className={cx("as-stop", className)}
      data-state={running ? "running" : "idle"}
      disabled={disabled || !running}
      onClick={onStop}
      {...rest}
    >
      <svg
        className="as-stop__icon"
        viewBox="0 0 16 16"
        width="1em"
        height="1em"
        aria-hidden="true"
        focusable="false"
      >
        <rect x="3.5" y="3.5" width="9" height="9" rx="1.5" fill="currentColor" />
      </svg>
      <span className="as-stop__label">{label}</span>
    </button>
  );
});
