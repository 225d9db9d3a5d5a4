/**
 * `@agentstream/react/dashboard`: the live runs dashboard of an AgentStream server
 * (`RunsDashboard`), its parts, and the feed hook. Charts are drawn with uPlot, which only this
 * entry pulls in. Import its styles next to the kit's:
 * `import "@agentstream/react/styles.css"; import "@agentstream/react/dashboard.css";`.
 *
 * @packageDocumentation
 */
export type {
  RunsApiBucket,
  RunsApiConnection,
  RunsApiEvent,
  RunsApiPercentiles,
  RunsApiRun,
  RunsApiSnapshot,
  RunsApiStatus,
  RunsApiSummary,
} from "@agentstream/core";
export { ConnectionsTable, clientName } from "./connections-table.js";
export { applyRunsEvent } from "./merge.js";
export { RunReplay, type RunReplayProps } from "./run-replay.js";
export {
  DASHBOARD_WINDOWS,
  RunsDashboard,
  type RunsDashboardProps,
  RunsDashboardView,
  type RunsDashboardViewProps,
} from "./runs-dashboard.js";
export { RunsTable, type RunsTableProps } from "./runs-table.js";
export { SummaryFigures } from "./summary-figures.js";
export { type ChartLine, describeLines, TimeChart, type TimeChartProps } from "./time-chart.js";
export { type RunsFeed, type RunsFeedOptions, runsHeaders, useRunsFeed } from "./use-runs-feed.js";
