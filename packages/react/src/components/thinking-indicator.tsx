import { type ComponentPropsWithoutRef, forwardRef, type Ref } from "react";
import { cx } from "../internal/cx.js";
import { formatDurationWords } from "../internal/format.js";

/** Props of {@link ThinkingIndicator}. */
export interface ThinkingIndicatorProps extends Omit<ComponentPropsWithoutRef<"details">, "children"> {
  /** True while the agent is thinking. */
  active: boolean;
  /** The reasoning text; when present it is shown in a collapsible section. */
  text?: string;
  /** How long the thinking took, in milliseconds ("Thought for 3 seconds"). */
  duration?: number;
  /** Open the reasoning section initially. Default false. */
  defaultOpen?: boolean;
  /** Label while active. Default "Thinking…". */
  activeLabel?: string;
  /**
   * Label once done; receives the duration in words ("1 second", "12 seconds"; "" when unknown).
   * Default "Thought for 12 seconds", or "Thought for a few seconds" when the duration is unknown.
   */
  doneLabel?: (duration: string) => string;
}

const defaultDoneLabel = (duration: string) => `Thought for ${duration || "a few seconds"}`;

/**
 * Shows that the agent is (or was) thinking. With `text`, the reasoning is a collapsible
 * `<details>` whose summary reads "Thinking…" while active and "Thought for 3 seconds" after; without
 * it, a single line. `data-state` is `active` or `done`.
 *
 * Style hooks: `.as-thinking`, `.as-thinking__summary`, `.as-thinking__dots`, `.as-thinking__text`.
 */
export const ThinkingIndicator = /* @__PURE__ */ forwardRef<HTMLElement, ThinkingIndicatorProps>(
  function ThinkingIndicator(
    {
      active,
      text,
      duration,
      defaultOpen = false,
      activeLabel = "Thinking…",
      doneLabel = defaultDoneLabel,
      className,
      ...rest
    },
    ref,
  ) {
    const state = active ? "active" : "done";
    const label = active ? activeLabel : doneLabel(formatDurationWords(duration));
    const summary = (
      <>
        <span className="as-thinking__icon" aria-hidden="true">
          {active ? (
            <span className="as-thinking__dots">
              <span />
              <span />
              <span />
            </span>
          ) : (
            "✦"
          )}
        </span>
        <span className="as-thinking__label">{label}</span>
      </>
    );

    if (!text) {
      return (
        <div
          ref={ref as Ref<HTMLDivElement>}
          className={cx("as-thinking", className)}
          data-state={state}
          {...(rest as ComponentPropsWithoutRef<"div">)}
        >
          <div className="as-thinking__summary">{summary}</div>
        </div>
      );
    }

    return (
      <details
        ref={ref as Ref<HTMLDetailsElement>}
        className={cx("as-thinking", className)}
        data-state={state}
        open={defaultOpen || undefined}
        {...rest}
      >
        <summary className="as-thinking__summary">{summary}</summary>
        <div className="as-thinking__text">{text}</div>
      </details>
    );
  },
);
