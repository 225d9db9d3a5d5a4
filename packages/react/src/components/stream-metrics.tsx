import type { RunMetrics } from "@agentstream/core";
import { type ComponentPropsWithoutRef, forwardRef } from "react";
import { cx } from "../internal/cx.js";
import { formatDuration, formatNumber } from "../internal/format.js";

/** Props of {@link StreamMetrics}. */
export interface StreamMetricsProps extends Omit<ComponentPropsWithoutRef<"dl">, "children"> {
  /** The run's metrics (`run.metrics`). */
  metrics: RunMetrics;
  /** Shown for values not known yet. Default "—". */
  placeholder?: string;
}

/**
 * A run's figures as a description list (`<dl>`): time to first token, tokens per second,
 * chunks, duration, and, when the agent reported a model's usage (`metrics.usage`), input tokens
 * (with the cached ones) and output tokens. Each item has `data-metric`; unknown values show a
 * placeholder.
 *
 * Style hooks: `.as-metrics`, `.as-metrics__item`, `dt`, `dd`.
 */
export const StreamMetrics = /* @__PURE__ */ forwardRef<HTMLDListElement, StreamMetricsProps>(
  function StreamMetrics({ metrics, placeholder = "—", className, ...rest }, ref) {
    const items: Array<[key: string, term: string, value: string]> = [
      ["ttft", "Time to first token", formatDuration(metrics.timeToFirstToken)],
      ["tps", "Tokens/s", formatNumber(metrics.tokensPerSecond)],
      ["chunks", "Chunks", formatNumber(metrics.chunkCount, 0)],
      ["duration", "Duration", formatDuration(metrics.duration)],
    ];
    const usage = metrics.usage;
    if (usage) {
      const cached =
        usage.cachedInputTokens > 0 ? ` (${formatNumber(usage.cachedInputTokens, 0)} cached)` : "";
      items.push(
        ["input-tokens", "Input tokens", `${formatNumber(usage.inputTokens, 0)}${cached}`],
        ["output-tokens", "Output tokens", formatNumber(usage.outputTokens, 0)],
      );
    }
    return (
      <dl ref={ref} className={cx("as-metrics", className)} {...rest}>
        {items.map(([key, term, value]) => (
          <div key={key} className="as-metrics__item" data-metric={key}>
            <dt>{term}</dt>
            <dd data-empty={value ? undefined : ""}>{value || placeholder}</dd>
          </div>
        ))}
      </dl>
    );
  },
);
