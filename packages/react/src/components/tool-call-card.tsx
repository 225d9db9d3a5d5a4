import type { ToolCallState, ToolCallStatus } from "@agentstream/core";
import { type ComponentPropsWithoutRef, forwardRef, type ReactNode, useId } from "react";
import { cx } from "../internal/cx.js";
import { formatBytes, formatDuration, toDisplayText } from "../internal/format.js";

/** Label and icon of each tool call status. Exhaustive: a new status is a compile error. */
export const TOOL_CALL_STATUS_META: Record<ToolCallStatus, { label: string; icon: string }> = {
  streaming: { label: "Preparing", icon: "…" },
  called: { label: "Running", icon: "⟳" },
  complete: { label: "Done", icon: "✓" },
  failed: { label: "Failed", icon: "✕" },
  interrupted: { label: "Stopped", icon: "■" },
};

/** Payloads longer than this (characters) start collapsed. */
const COLLAPSE_OVER = 2_000;

/** Props of {@link ToolCallCard}. */
export interface ToolCallCardProps extends Omit<ComponentPropsWithoutRef<"article">, "children"> {
  /** The call, e.g. `run.toolCalls[id]`. */
  call: ToolCallState;
  /** Extra content in the card's body (a custom view of the arguments or result). */
  children?: ReactNode;
  /** Hide the arguments section. */
  hideArgs?: boolean;
  /** Hide the result section. */
  hideResult?: boolean;
  /** Payloads longer than this many characters start collapsed. Default 2000. */
  collapseOver?: number;
}

/** The arguments as readable text: parsed (partial) args, else the raw streamed JSON text. */
function argsText(call: ToolCallState): string {
  const hasArgs = call.args && Object.keys(call.args).length > 0;
  if (hasArgs) return toDisplayText(call.args);
  return call.argsText ?? "";
}

interface PayloadProps {
  title: string;
  /** Accessible name of the scrollable region ("search arguments"). */
  label: string;
  text: string;
  collapseOver: number;
  kind: "args" | "result";
  live?: boolean;
}

/**
 * A payload shown as inert text in a `<pre>` (never as HTML), scrollable and keyboard-focusable;
 * large payloads start collapsed in a `<details>`.
 */
function Payload({ title, label, text, collapseOver, kind, live }: PayloadProps) {
  const pre = (
    // biome-ignore lint/a11y/useSemanticElements: a named group of output, not a form control set (<fieldset>).
    <div
      role="group"
      className="as-tool__payload"
      data-kind={kind}
      aria-label={label}
      data-streaming={live ? "" : undefined}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
      tabIndex={0}
    >
      <pre>
        <code>{text}</code>
      </pre>
    </div>
  );
  if (text.length > collapseOver) {
    return (
      <details className="as-tool__section" data-kind={kind} data-collapsed="">
        <summary className="as-tool__section-title">
          {title} <span className="as-tool__size">({formatBytes(text.length)})</span>
        </summary>
        {pre}
      </details>
    );
  }
  return (
    <div className="as-tool__section" data-kind={kind}>
      <div className="as-tool__section-title">{title}</div>
      {pre}
    </div>
  );
}

/**
 * A card for one tool call: its name, a status badge (`data-state` = `streaming | called |
 * complete | failed`), its arguments pretty-printed as they stream in, then its result. Payloads
 * are always rendered as text (HTML in them stays inert); large ones are collapsed and scroll.
 *
 * Style hooks: `.as-tool`, `.as-tool__header`, `.as-tool__name`, `.as-tool__badge`,
 * `.as-tool__payload`, and `--as-tool-*` custom properties.
 */
export const ToolCallCard = /* @__PURE__ */ forwardRef<HTMLElement, ToolCallCardProps>(function ToolCallCard(
  { call, children, hideArgs, hideResult, collapseOver = COLLAPSE_OVER, className, ...rest },
  ref,
) {
  const titleId = useId();
  const meta = TOOL_CALL_STATUS_META[call.status] ?? TOOL_CALL_STATUS_META.called;
  const args = hideArgs ? "" : argsText(call);
  const hasResult = !hideResult && call.result !== undefined;
  const duration = call.endedAt !== undefined ? formatDuration(call.endedAt - call.startedAt) : "";
  const failed = call.status === "failed" || call.success === false;
  const name = call.name || "tool";

  return (
    <article
      ref={ref}
      className={cx("as-tool", className)}
      data-state={call.status}
      data-success={call.success === undefined ? undefined : String(call.success)}
      aria-labelledby={titleId}
      {...rest}
    >
      <header className="as-tool__header">
        <span className="as-tool__icon" aria-hidden="true">
          ⚙
        </span>
        <span id={titleId} className="as-tool__title">
          <span className="as-tool__kind">Tool </span>
          <code className="as-tool__name">{name}</code>
        </span>
        <span className="as-tool__badge" data-state={call.status}>
          <span aria-hidden="true">{meta.icon} </span>
          {meta.label}
        </span>
        {duration ? <span className="as-tool__duration">{duration}</span> : null}
      </header>
      {args ? (
        <Payload
          title="Arguments"
          label={`${name} arguments`}
          kind="args"
          text={args}
          collapseOver={collapseOver}
          live={call.status === "streaming"}
        />
      ) : null}
      {children}
      {hasResult ? (
        <Payload
          title={failed ? "Error" : "Result"}
          label={`${name} ${failed ? "error" : "result"}`}
          kind="result"
          text={toDisplayText(call.result)}
          collapseOver={collapseOver}
        />
      ) : null}
    </article>
  );
});
