import { type ComponentPropsWithoutRef, forwardRef } from "react";
import { cx } from "../internal/cx.js";
import { Glyph } from "../internal/glyph.js";

/** Props of {@link InterruptedMarker}. */
export interface InterruptedMarkerProps extends Omit<ComponentPropsWithoutRef<"div">, "children"> {
  /** Why the run stopped (e.g. "user"). */
  reason?: string;
  /** Partial output to show after the marker (usually already shown above, so omitted). */
  partial?: string;
}

/** Friendly text for common interruption reasons. */
function reasonText(reason: string | undefined): string {
  if (!reason) return "";
  if (reason === "user" || reason === "abort" || reason === "aborted") return "stopped by the user";
  return reason;
}

/**
 * A marker where a run was interrupted (`role="note"`, `data-state="interrupted"`):
 * "Interrupted — stopped by the user". Output produced before stays above it.
 */
export const InterruptedMarker = /* @__PURE__ */ forwardRef<HTMLDivElement, InterruptedMarkerProps>(
  function InterruptedMarker({ reason, partial, className, ...rest }, ref) {
    const text = reasonText(reason);
    return (
      <div
        ref={ref}
        role="note"
        className={cx("as-interrupted", className)}
        data-state="interrupted"
        {...rest}
      >
        <span className="as-interrupted__line" aria-hidden="true" />
        <span className="as-interrupted__label">
          <Glyph path="M5.5 3v10M10.5 3v10" /> Interrupted{text ? ` — ${text}` : ""}
        </span>
        <span className="as-interrupted__line" aria-hidden="true" />
        {partial ? <div className="as-interrupted__partial">{partial}</div> : null}
      </div>
    );
  },
);
