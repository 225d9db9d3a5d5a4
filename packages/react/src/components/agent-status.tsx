import { isBusyStatus, type RunStatus } from "@agentstream/core";
import { type ComponentPropsWithoutRef, forwardRef, type ReactNode, useEffect, useState } from "react";
import { useNow } from "../hooks/use-now.js";
import { cx } from "../internal/cx.js";
import { formatDuration } from "../internal/format.js";
import { Glyph } from "../internal/glyph.js";
import { VisuallyHidden, visuallyHiddenStyle } from "../internal/visually-hidden.js";

/** The glyph of a status (inline SVG, decorative). */
function Dot({ filled = true }: { filled?: boolean }) {
  return (
    <svg viewBox="0 0 16 16" width="1em" height="1em" aria-hidden="true" focusable="false">
      <circle
        cx="8"
        cy="8"
        r="5"
        fill={filled ? "currentColor" : "none"}
        stroke="currentColor"
        strokeWidth="2"
      />
    </svg>
  );
}

/**
 * Label and icon of every run status. Exhaustive (`Record<RunStatus, …>`): adding a status to
 * core without describing it here is a compile error, never a blank badge.
 */
export const RUN_STATUS_META: Record<RunStatus, { label: string; icon: ReactNode }> = {
  idle: { label: "Idle", icon: <Dot filled={false} /> },
  started: { label: "Started", icon: <Glyph path="M5 3l8 5-8 5z" /> },
  thinking: { label: "Thinking", icon: <Glyph path="M3 8h.01M8 8h.01M13 8h.01" /> },
  acting: { label: "Acting", icon: <Glyph path="M9 2L4 9h4l-1 5 5-7H8z" /> },
  observing: {
    label: "Observing",
    icon: (
      <Glyph path="M1.5 8s2.5-4.5 6.5-4.5S14.5 8 14.5 8s-2.5 4.5-6.5 4.5S1.5 8 1.5 8zM8 6.5a1.5 1.5 0 100 3 1.5 1.5 0 000-3z" />
    ),
  },
  completed: { label: "Completed", icon: <Glyph path="M3 8.5l3 3 7-7" /> },
  interrupted: { label: "Interrupted", icon: <Glyph path="M5.5 3v10M10.5 3v10" /> },
  error: { label: "Error", icon: <Glyph path="M8 3v6M8 12.5h.01" /> },
};

/** The glyph shown while the connection is being resumed (two arrows in a circle). */
const RECONNECTING_ICON = (
  <Glyph path="M13 8a5 5 0 01-8.5 3.5M3 8a5 5 0 018.5-3.5M11.5 2v2.5H9M4.5 14v-2.5H7" />
);

/** Props of {@link AgentStatus}. */
export interface AgentStatusProps extends Omit<ComponentPropsWithoutRef<"div">, "children"> {
  /** The run's status. */
  status: RunStatus;
  /** Loop turn, from 1 (shown as "· 2"). */
  iteration?: number;
  /** When the current status began (ms since epoch); used by `showElapsed`. */
  since?: number;
  /** Show the time spent in the current status, ticking once a second while busy. */
  showElapsed?: boolean;
  /** Override a status's label (e.g. for translation). */
  labels?: Partial<Record<RunStatus, string>>;
  /** Name of the agent, for multi-agent views ("Researcher: Thinking"). */
  agent?: string;
  /**
   * The connection to the run dropped and is being resumed (`useAgentStream`'s status
   * `reconnecting`): the badge says "Reconnecting" (and `data-reconnecting` is set) until
   * events flow again; the run's own status comes back after that.
   */
  reconnecting?: boolean;
  /** The label shown while {@link AgentStatusProps.reconnecting}. Default "Reconnecting". */
  reconnectingLabel?: string;
  /**
   * Announce status changes through the polite live region. Default true; turn off for
   * badges repeated in a timeline, so that only one region speaks.
   */
  announce?: boolean;
}

/**
 * A badge showing an agent's status (`idle`, `started`, `thinking`, `acting`, `observing`,
 * `completed`, `interrupted`, `error`) with an optional iteration and elapsed time.
 *
 * Status changes are announced through a visually hidden `aria-live="polite"` region whose text
 * depends only on the status (and agent name), so a screen reader hears "Thinking" once, not
 * once per token. `data-state` carries the status, `data-busy` is present while the agent works.
 *
 * Style hooks: `.as-status`, `.as-status__icon`, `.as-status__label`, `.as-status__iteration`,
 * `.as-status__elapsed`, and `--as-status-*` custom properties.
 */
export const AgentStatus = /* @__PURE__ */ forwardRef<HTMLDivElement, AgentStatusProps>(function AgentStatus(
  {
    status,
    iteration,
    since,
    showElapsed = false,
    labels,
    agent,
    announce = true,
    reconnecting = false,
    reconnectingLabel = "Reconnecting",
    className,
    ...rest
  },
  ref,
) {
  const meta = RUN_STATUS_META[status] ?? RUN_STATUS_META.idle;
  const label = reconnecting ? reconnectingLabel : (labels?.[status] ?? meta.label);
  const icon = reconnecting ? RECONNECTING_ICON : meta.icon;
  // The badge animates and the elapsed time ticks while the agent is at work.
  const busy = reconnecting || isBusyStatus(status);

  // When no `since` is given, elapsed time counts from the moment the status was first seen.
  const [seenAt, setSeenAt] = useState<number | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new status restarts the clock.
  useEffect(() => {
    if (showElapsed && since === undefined) setSeenAt(Date.now());
  }, [status, showElapsed, since]);
  const now = useNow(showElapsed && busy);
  const start = since ?? seenAt;
  const elapsed =
    showElapsed && now !== null && start !== null ? formatDuration(Math.max(0, now - start)) : "";

  const announcement = agent ? `${agent}: ${label}` : label;

  return (
    <div
      ref={ref}
      className={cx("as-status", className)}
      data-state={status}
      data-busy={busy ? "" : undefined}
      data-reconnecting={reconnecting ? "" : undefined}
      {...rest}
    >
      <span className="as-status__badge" aria-hidden="true">
        <span className="as-status__icon">{icon}</span>
        {agent ? <span className="as-status__agent">{agent}</span> : null}
        <span className="as-status__label">{label}</span>
        {iteration !== undefined ? <span className="as-status__iteration">· {iteration}</span> : null}
        {elapsed ? <span className="as-status__elapsed">{elapsed}</span> : null}
      </span>
      {announce ? (
        <span
          role="status"
          aria-live="polite"
          aria-atomic="true"
          className="as-sr-only"
          style={visuallyHiddenStyle}
        >
          {announcement}
        </span>
      ) : (
        <VisuallyHidden>{announcement}</VisuallyHidden>
      )}
      {iteration !== undefined ? <VisuallyHidden>{`, iteration ${iteration}`}</VisuallyHidden> : null}
    </div>
  );
});
