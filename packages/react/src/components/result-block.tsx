import type { RunResult } from "@agentstream/core";
import { type ComponentPropsWithoutRef, forwardRef } from "react";
import { cx } from "../internal/cx.js";
import { formatDuration, toDisplayText } from "../internal/format.js";

/** Props of {@link ResultBlock}. */
export interface ResultBlockProps extends Omit<ComponentPropsWithoutRef<"div">, "children"> {
  /** The run's final result. */
  result: RunResult;
  /** Heading. Default "Result" (or "Failed" when `success` is false). */
  title?: string;
}

/**
 * The final result of a run: a heading with success or failure and the duration, and the output
 * as inert text (strings as they are, other values as indented JSON). `data-state` is `success`
 * or `failure`.
 */
export const ResultBlock = /* @__PURE__ */ forwardRef<HTMLDivElement, ResultBlockProps>(function ResultBlock(
  { result, title, className, ...rest },
  ref,
) {
  const output = toDisplayText(result.output);
  const duration = formatDuration(result.duration);
  return (
    // biome-ignore lint/a11y/useSemanticElements: a named group of output, not a form control set (<fieldset>).
    <div
      ref={ref}
      role="group"
      className={cx("as-result", className)}
      data-state={result.success ? "success" : "failure"}
      aria-label={title ?? (result.success ? "Result" : "Failed")}
      {...rest}
    >
      <header className="as-result__header">
        <span className="as-result__icon" aria-hidden="true">
          {result.success ? "✓" : "✕"}
        </span>
        <span className="as-result__title">{title ?? (result.success ? "Result" : "Failed")}</span>
        {duration ? <span className="as-result__duration">in {duration}</span> : null}
      </header>
      {output ? (
        typeof result.output === "string" ? (
          <div className="as-result__output">{output}</div>
        ) : (
          <pre className="as-result__output" data-format="json">
            <code>{output}</code>
          </pre>
        )
      ) : null}
    </div>
  );
});
