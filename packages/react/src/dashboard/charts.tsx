import type { RunsApiBucket } from "@agentstream/core";
import { useMemo } from "react";
import { formatDuration, formatNumber } from "../internal/format.js";
import { type ChartLine, TimeChart } from "./time-chart.js";

const count = (v: number) => formatNumber(v, 1);
const ms = (v: number) => formatDuration(v);

/** The dashboard's six charts over `series` (already cut to the window shown). */
export function DashboardCharts({
  series,
  bucketMs,
  themeKey,
}: {
  series: readonly RunsApiBucket[];
  bucketMs: number;
  themeKey: string;
}) {
  const charts = useMemo(() => {
    const perMinute = 60_000 / bucketMs;
    const perSecond = 1000 / bucketMs;
    const pick = (f: (b: RunsApiBucket) => number | undefined) => series.map((b) => f(b) ?? null);
    const list: { title: string; lines: ChartLine[]; format: (v: number) => string }[] = [
      {
        title: "Active streams",
        lines: [{ label: "active", color: "--as-color-accent", values: pick((b) => b.active), fill: true }],
        format: count,
      },
      {
        title: "Runs per minute",
        lines: [
          {
            label: "started",
            color: "--as-color-accent",
            values: pick((b) => b.started * perMinute),
            fill: true,
          },
          { label: "completed", color: "--as-color-success", values: pick((b) => b.completed * perMinute) },
        ],
        format: count,
      },
      {
        title: "Time to first event",
        lines: [
          { label: "p50", color: "--as-color-accent", values: pick((b) => b.ttfeP50), points: true },
          { label: "p95", color: "--as-color-thinking", values: pick((b) => b.ttfeP95), points: true },
        ],
        format: ms,
      },
      {
        title: "Run duration",
        lines: [
          { label: "p50", color: "--as-color-accent", values: pick((b) => b.durationP50), points: true },
          { label: "p95", color: "--as-color-thinking", values: pick((b) => b.durationP95), points: true },
        ],
        format: ms,
      },
      {
        title: "Tokens per second",
        lines: [
          {
            label: "tokens/s",
            color: "--as-color-success",
            values: pick((b) => b.tokens * perSecond),
            fill: true,
          },
        ],
        format: count,
      },
      {
        title: "Errors and slow readers",
        lines: [
          { label: "failed", color: "--as-color-danger", values: pick((b) => b.failed) },
          { label: "slow readers", color: "--as-color-warning", values: pick((b) => b.slowReaders) },
          { label: "interrupted", color: "--as-color-stopped", values: pick((b) => b.interrupted) },
        ],
        format: count,
      },
    ];
    return list;
  }, [series, bucketMs]);
  const times = useMemo(() => series.map((b) => b.t), [series]);
  return (
    <div className="as-dash-charts">
      {charts.map((c) => (
        <TimeChart
          key={c.title}
          title={c.title}
          times={times}
          lines={c.lines}
          format={c.format}
          themeKey={themeKey}
        />
      ))}
    </div>
  );
}
