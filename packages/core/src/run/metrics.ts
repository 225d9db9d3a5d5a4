/**
 * A run's figures as the reducer counts them (chunks, tokens, times, model usage) and the
 * {@link RunMetrics} they give, the same object while nothing changed.
 *
 * @packageDocumentation
 */
import type { ModelUsage, RunMetrics } from "../state.js";

const count = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined);

/** The mutable counters behind a run's {@link RunMetrics}. */
export class MetricsDraft {
  chunkCount = 0;
  tokenCount = 0;
  startedAt: number | undefined;
  firstTokenAt: number | undefined;
  endedAt: number | undefined;
  lastAt: number | undefined;
  usage: ModelUsage | undefined;

  /** Something happened at `at`: the run started then if it had not. */
  touch(at: number): void {
    if (this.startedAt === undefined) this.startedAt = at;
    this.lastAt = at;
  }

  /** One token at `at`. */
  token(at: number): void {
    this.tokenCount++;
    if (this.firstTokenAt === undefined) this.firstTokenAt = at;
  }

  /** Adds a chunk's `metadata.usage` (ignored unless it has numeric token counts). */
  addUsage(value: unknown): void {
    if (typeof value !== "object" || value === null) return;
    const u = value as Record<string, unknown>;
    const input = count(u.inputTokens);
    const output = count(u.outputTokens);
    if (input === undefined && output === undefined) return;
    const prev = this.usage;
    const next: ModelUsage = {
      inputTokens: (prev?.inputTokens ?? 0) + (input ?? 0),
      outputTokens: (prev?.outputTokens ?? 0) + (output ?? 0),
      cachedInputTokens: (prev?.cachedInputTokens ?? 0) + (count(u.cachedInputTokens) ?? 0),
    };
    const reasoning = count(u.reasoningTokens);
    if (reasoning !== undefined || prev?.reasoningTokens !== undefined)
      next.reasoningTokens = (prev?.reasoningTokens ?? 0) + (reasoning ?? 0);
    this.usage = next;
  }

  /** The figures now: `prev` itself when they equal it. */
  snapshot(prev: RunMetrics): RunMetrics {
    const metrics: RunMetrics = { chunkCount: this.chunkCount, tokenCount: this.tokenCount };
    const last = this.endedAt ?? this.lastAt;
    if (this.startedAt !== undefined) {
      metrics.startedAt = this.startedAt;
      if (last !== undefined) metrics.duration = last - this.startedAt;
    }
    if (this.firstTokenAt !== undefined) {
      metrics.firstTokenAt = this.firstTokenAt;
      if (this.startedAt !== undefined) metrics.timeToFirstToken = this.firstTokenAt - this.startedAt;
      if (last !== undefined && last > this.firstTokenAt)
        metrics.tokensPerSecond = this.tokenCount / ((last - this.firstTokenAt) / 1000);
    }
    if (this.endedAt !== undefined) metrics.endedAt = this.endedAt;
    if (this.usage !== undefined) metrics.usage = this.usage;
    return sameMetrics(prev, metrics) ? prev : metrics;
  }
}

function sameMetrics(a: RunMetrics, b: RunMetrics): boolean {
  return (
    a.chunkCount === b.chunkCount &&
    a.tokenCount === b.tokenCount &&
    a.startedAt === b.startedAt &&
    a.firstTokenAt === b.firstTokenAt &&
    a.endedAt === b.endedAt &&
    a.duration === b.duration &&
    a.tokensPerSecond === b.tokensPerSecond &&
    a.timeToFirstToken === b.timeToFirstToken &&
    a.usage === b.usage
  );
}
