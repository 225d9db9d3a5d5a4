import type { RunError } from "@agentstream/core";
import { type ComponentPropsWithoutRef, forwardRef } from "react";
import { cx } from "../internal/cx.js";

/** Props of {@link ErrorBlock}. */
export interface ErrorBlockProps extends Omit<ComponentPropsWithoutRef<"div">, "children"> {
  /** The error. */
  error: RunError;
}

/**
 * An error (`role="alert"`): the message, the code when there is one, and whether the run can
 * go on. `data-state` is `recoverable` or `fatal`.
 */
export const ErrorBlock = /* @__PURE__ */ forwardRef<HTMLDivElement, ErrorBlockProps>(function ErrorBlock(
  { error, className, ...rest },
  ref,
) {
  return (
    <div
      ref={ref}
      role="alert"
      className={cx("as-error", className)}
      data-state={error.recoverable ? "recoverable" : "fatal"}
      data-code={error.code}
      {...rest}
    >
      <span className="as-error__icon" aria-hidden="true">
        !
      </span>
      <div className="as-error__body">
        <div className="as-error__title">
          {error.recoverable ? "Error (recovering)" : "Error"}
          {error.code ? <code className="as-error__code">{error.code}</code> : null}
        </div>
        <div className="as-error__message">{error.message}</div>
      </div>
    </div>
  );
});
