import type { RunsApiSummary } from "@agentstream/core";
import { formatDuration, formatNumber } from "../internal/format.js";

/** The headline figures, as a description list in a polite live region. */
export function SummaryFigures({ summary }: { summary: RunsApiSummary }) {
  const ms = (v: number | undefined) => (v === undefined ? "–" : formatDuration(v));
  const figures: [string, string, string?][] = [
    ["Active streams", String(summary.activeStreams), `${summary.readers} readers attached`],
    ["Runs per minute", String(summary.runsPerMinute), `${summary.totalRuns} since start`],
    ["Tokens per second", formatNumber(summary.tokensPerSecond), "last 60 s"],
    [
      "Time to first event",
      ms(summary.timeToFirstEvent.p50),
      `p95 ${ms(summary.timeToFirstEvent.p95)} · p99 ${ms(summary.timeToFirstEvent.p99)}`,
    ],
    [
      "Duration",
      ms(summary.duration.p50),
      `p95 ${ms(summary.duration.p95)} · p99 ${ms(summary.duration.p99)}`,
    ],
    [
      "Errors",
      String(summary.errors),
      `${summary.slowReaders} slow readers · ${summary.reconnects} reconnects`,
    ],
  ];
  return (
    <section className="as-dash-figures" aria-label="Live figures" aria-live="polite" aria-atomic="false">
      <dl className="as-dash-figures__list">
        {figures.map(([label, value, note]) => (
          <div key={label} className="as-dash-figure">
            <dt className="as-dash-figure__label">{label}</dt>
            <dd className="as-dash-figure__value" data-figure={label}>
              {value}
            </dd>
            {note ? <dd className="as-dash-figure__note">{note}</dd> : null}
          </div>
        ))}
      </dl>
    </section>
  );
}
