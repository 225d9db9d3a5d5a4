import type { RunsApiRun, RunsApiSnapshot } from "@agentstream/core";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import { DashboardCharts } from "./charts.js";
import { ConnectionsTable } from "./connections-table.js";
import { RunReplay } from "./run-replay.js";
import { RunsTable } from "./runs-table.js";
import { SummaryFigures } from "./summary-figures.js";
import { type RunsFeed, type RunsFeedOptions, useRunsFeed } from "./use-runs-feed.js";

/** Minutes of the series the charts can show. */
export const DASHBOARD_WINDOWS = [5, 15, 60] as const;

/** Props of {@link RunsDashboardView}. */
export interface RunsDashboardViewProps {
  /** What to show (undefined: still loading). */
  readonly data: RunsApiSnapshot | undefined;
  /** The feed's state, shown in the header. Default `live`. */
  readonly status?: RunsFeed["status"];
  /** Why the feed is not live. */
  readonly error?: string | undefined;
  /** `light`, `dark`, or `auto` (default: the OS setting, or an ancestor's `data-theme`). */
  readonly theme?: "auto" | "light" | "dark";
  /** Renders the replay of the chosen run (the live dashboard passes {@link RunReplay}); none: rows cannot be chosen. */
  readonly renderReplay?: (run: RunsApiRun, close: () => void) => ReactNode;
  /** Extra content at the end of the header (e.g. a theme switch). */
  readonly actions?: ReactNode;
  /** The page's heading. Default "Runs". */
  readonly title?: string;
}

/** True while the OS prefers a dark scheme (the charts re-read their colors when it changes). */
function usePrefersDark(): boolean {
  const [dark, setDark] = useState(false);
  useEffect(() => {
    const query = globalThis.matchMedia?.("(prefers-color-scheme: dark)");
    if (!query) return;
    setDark(query.matches);
    const onChange = () => setDark(query.matches);
    query.addEventListener("change", onChange);
    return () => query.removeEventListener("change", onChange);
  }, []);
  return dark;
}

const STATUS_TEXT: Record<RunsFeed["status"], string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  error: "Not connected",
};

/**
 * The dashboard for data you already have (a snapshot of `GET /api/runs`, a fixture in
 * Storybook): figures, charts, the recent runs and connections. {@link RunsDashboard} is this
 * plus the live feed and the replay.
 */
export function RunsDashboardView({
  data,
  status = "live",
  error,
  theme = "auto",
  renderReplay,
  actions,
  title = "Runs",
}: RunsDashboardViewProps) {
  const [minutes, setMinutes] = useState<(typeof DASHBOARD_WINDOWS)[number]>(15);
  const [selected, setSelected] = useState<RunsApiRun>();
  const dark = usePrefersDark();
  const themeKey = `${theme}/${dark ? "dark" : "light"}`;
  const series = useMemo(() => {
    if (!data) return [];
    const n = Math.ceil((minutes * 60_000) / data.bucketMs);
    return data.series.slice(-n);
  }, [data, minutes]);
  const chosen =
    selected && data
      ? (data.runs.find((r) => r.runId === selected.runId && r.threadId === selected.threadId) ?? selected)
      : undefined;

  return (
    <div className="as-dash" data-theme={theme === "auto" ? undefined : theme}>
      <header className="as-dash__head">
        <h1 className="as-dash__title">{title}</h1>
        <p className="as-dash__status" data-feed={status} role="status">
          <span className="as-dash__dot" aria-hidden="true" />
          {STATUS_TEXT[status]}
          {error && status !== "live" ? <span className="as-dash-muted"> ({error})</span> : null}
        </p>
        <label className="as-dash__window">
          Window{" "}
          <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value) as typeof minutes)}>
            {DASHBOARD_WINDOWS.map((m) => (
              <option key={m} value={m}>
                last {m} min
              </option>
            ))}
          </select>
        </label>
        {actions}
      </header>
      {data ? (
        <>
          <SummaryFigures summary={data.summary} />
          <DashboardCharts series={series} bucketMs={data.bucketMs} themeKey={themeKey} />
          <div className={chosen && renderReplay ? "as-dash__split" : undefined}>
            <RunsTable
              runs={data.runs}
              selected={chosen}
              {...(renderReplay ? { onSelect: setSelected } : {})}
            />
            {chosen && renderReplay ? renderReplay(chosen, () => setSelected(undefined)) : null}
          </div>
          <ConnectionsTable connections={data.connections} />
        </>
      ) : (
        <p className="as-dash-empty">{status === "error" ? "No data." : "Loading…"}</p>
      )}
    </div>
  );
}

/** Props of {@link RunsDashboard}. */
export interface RunsDashboardProps
  extends RunsFeedOptions,
    Omit<RunsDashboardViewProps, "data" | "status" | "error" | "renderReplay"> {}

/**
 * The live runs dashboard: reads `GET /api/runs/events` of an AgentStream server (its metrics
 * token, or the browser's own credentials) and shows active streams, rates, percentiles, errors,
 * the recent runs and connections; choosing a run replays its log into a `StreamView`.
 *
 * @example
 * import { RunsDashboard } from "@agentstream/react/dashboard";
 * import "@agentstream/react/styles.css";
 * import "@agentstream/react/dashboard.css";
 * <RunsDashboard baseUrl="" token={metricsToken} />
 */
export function RunsDashboard({ baseUrl, token, headers, fetch, ...view }: RunsDashboardProps) {
  const feed = useRunsFeed({ baseUrl, token, headers, fetch });
  return (
    <RunsDashboardView
      {...view}
      data={feed.data}
      status={feed.status}
      error={feed.error}
      renderReplay={(run, close) => (
        <RunReplay
          key={`${run.threadId}/${run.runId}`}
          run={run}
          onClose={close}
          baseUrl={baseUrl}
          token={token}
          headers={headers}
        />
      )}
    />
  );
}
