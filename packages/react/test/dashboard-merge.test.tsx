import type { RunsApiRun, RunsApiSnapshot } from "@agentstream/core";
import { describe, expect, it } from "vitest";
import { clientName } from "../src/dashboard/connections-table.js";
import { applyRunsEvent, MAX_ROWS } from "../src/dashboard/merge.js";
import { describeLines, withAlpha } from "../src/dashboard/time-chart.js";

const bucket = (t: number, started = 0) => ({
  t,
  started,
  completed: 0,
  failed: 0,
  interrupted: 0,
  tokens: 0,
  slowReaders: 0,
  active: 0,
});
const summary = {
  activeStreams: 0,
  readers: 0,
  runsPerMinute: 0,
  tokensPerSecond: 0,
  timeToFirstEvent: {},
  duration: {},
  errors: 0,
  slowReaders: 0,
  reconnects: 0,
  totalRuns: 0,
};
const run = (runId: string, status: RunsApiRun["status"] = "running"): RunsApiRun => ({
  agentId: "a",
  threadId: `t-${runId}`,
  runId,
  route: "plain",
  status,
  startedAt: 0,
  durationMs: 0,
  chunks: 0,
  tokens: 0,
  readers: 0,
});
const snapshot: RunsApiSnapshot = {
  now: 20_000,
  bucketMs: 10_000,
  summary,
  series: [bucket(0), bucket(10_000), bucket(20_000)],
  runs: [],
  connections: [],
};

describe("the dashboard feed's merge", () => {
  it("ignores updates before the first snapshot, then upserts runs newest first", () => {
    expect(applyRunsEvent(undefined, { type: "run", run: run("1") })).toBeUndefined();
    let s = applyRunsEvent(undefined, { type: "snapshot", snapshot });
    s = applyRunsEvent(s, { type: "run", run: run("1") });
    s = applyRunsEvent(s, { type: "run", run: run("2") });
    s = applyRunsEvent(s, { type: "run", run: run("1", "completed") });
    expect(s?.runs.map((r) => `${r.runId}:${r.status}`)).toEqual(["2:running", "1:completed"]);
  });

  it("keeps at most MAX_ROWS runs", () => {
    let s = applyRunsEvent(undefined, { type: "snapshot", snapshot });
    for (let i = 0; i < MAX_ROWS + 5; i++) s = applyRunsEvent(s, { type: "run", run: run(String(i)) });
    expect(s?.runs).toHaveLength(MAX_ROWS);
    expect(s?.runs[0]?.runId).toBe(String(MAX_ROWS + 4));
  });

  it("replaces named buckets, appends newer ones and keeps the window's length", () => {
    let s = applyRunsEvent(undefined, { type: "snapshot", snapshot });
    s = applyRunsEvent(s, {
      type: "series",
      buckets: [bucket(20_000, 3), bucket(30_000, 1)],
      summary: { ...summary, totalRuns: 4 },
    });
    expect(s?.series.map((b) => [b.t, b.started])).toEqual([
      [10_000, 0],
      [20_000, 3],
      [30_000, 1],
    ]);
    expect(s?.summary.totalRuns).toBe(4);
    expect(s?.now).toBe(30_000);
  });
});

describe("the dashboard's helpers", () => {
  it("names clients from their User-Agent", () => {
    expect(clientName("Mozilla/5.0 (X11) AppleWebKit/537.36 Chrome/142.0.0.0 Safari/537.36")).toBe(
      "Chrome 142",
    );
    expect(clientName("curl/8.5.0")).toBe("curl 8");
    expect(clientName("node")).toBe("node");
    expect(clientName("")).toBe("–");
  });

  it("describes each chart line in words (the text alternative)", () => {
    const t0 = Date.UTC(2026, 11, 8, 9, 0);
    const text = describeLines(
      [t0, t0 + 60_000],
      [
        { label: "p50", color: "--x", values: [5, 3] },
        { label: "p95", color: "--y", values: [null, null] },
      ],
      (v) => `${v} ms`,
    );
    expect(text).toMatch(/^p50: latest 3 ms, highest 5 ms at \d\d:\d\d; p95: no data$/);
  });

  it("turns hex colors into rgba for the canvas", () => {
    expect(withAlpha("#0969da", 0.5)).toBe("rgba(9, 105, 218, 0.5)");
    expect(withAlpha("#fff", 1)).toBe("rgba(255, 255, 255, 1)");
    expect(withAlpha("red", 0.5)).toBe("red");
  });
});
