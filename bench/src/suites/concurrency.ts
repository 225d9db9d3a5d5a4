/**
 * Suite 4, concurrency: 100, 500 and 1,000 concurrent streams of 200 events at pace 0 on the
 * plain endpoint, on loopback. A fresh server process per level; its peak RSS comes from the
 * kernel (getrusage), its idle RSS is read after a warm-up.
 *
 * @packageDocumentation
 */
import { plainUrl } from "../lib/http.js";
import { runLoad } from "../lib/load.js";
import { startServer } from "../lib/server.js";
import { fmt, fmtBytes, num, percentile, stat } from "../lib/stats.js";
import type { Suite, SuiteOptions, SuiteResult } from "../lib/types.js";

export const concurrencySuite: Suite = {
  id: "concurrency",
  title: "4. Concurrency (plain endpoint, loopback)",
  async run({ smoke, log }: SuiteOptions): Promise<SuiteResult> {
    // BENCH_CONCURRENCY_LEVELS=200 (comma-separated) measures other levels than the standard ones.
    const custom = process.env.BENCH_CONCURRENCY_LEVELS?.split(",")
      .map(Number)
      .filter((n) => n > 0);
    const levels = smoke ? [10] : custom?.length ? custom : [100, 500, 1_000];
    const reps = smoke ? 1 : 3;
    const events = smoke ? 50 : 200;
    const timeLimitMs = smoke ? 20_000 : 60_000;
    const rows: string[][] = [];
    const memRows: string[][] = [];
    const figures: Record<string, number> = {};
    const notes: string[] = [];
    for (const level of levels) {
      const server = await startServer();
      try {
        const url = plainUrl(server.url, "bench");
        await server.prepare(events);
        // Warm-up: JIT and lazy module work, outside measurements.
        await runLoad({ url, streams: 40, concurrency: 20, events, timeLimitMs });
        await new Promise((r) => setTimeout(r, 200));
        const idle = await server.stats();
        const ok: number[] = [];
        const errors: number[] = [];
        const p50: number[] = [];
        const p99: number[] = [];
        const rate: number[] = [];
        const wall: number[] = [];
        const serverCpu: number[] = [];
        const peakOpen: number[] = [];
        const reasons = new Map<string, number>();
        for (let r = 0; r < reps; r++) {
          log(`concurrency: ${num(level)} streams × ${events} events, run ${r + 1}/${reps}`);
          const before = await server.stats();
          const result = await runLoad({ url, streams: level, concurrency: level, events, timeLimitMs });
          const after = await server.stats();
          const good = result.outcomes.filter((o) => o.ok);
          const first = result.outcomes.flatMap((o) =>
            Number.isFinite(o.firstEventMs) ? [o.firstEventMs] : [],
          );
          ok.push(good.length);
          errors.push(result.outcomes.length - good.length + (level - result.outcomes.length));
          for (const o of result.outcomes)
            if (!o.ok) reasons.set(o.error ?? "?", (reasons.get(o.error ?? "?") ?? 0) + 1);
          p50.push(percentile(first, 50));
          p99.push(percentile(first, 99));
          rate.push((result.events / result.wallMs) * 1000);
          wall.push(result.wallMs);
          serverCpu.push((after.cpuUs - before.cpuUs) / 1000);
          peakOpen.push(result.peakOpen);
        }
        const end = await server.stats();
        const peakRss = end.maxRss;
        const open = Math.max(...peakOpen);
        const perStream = (peakRss - idle.rss) / Math.max(1, open);
        const okTotal = ok.reduce((a, b) => a + b, 0);
        const errTotal = errors.reduce((a, b) => a + b, 0);
        rows.push([
          num(level),
          `${okTotal}/${level * reps}`,
          String(errTotal),
          fmt(stat(p50), "ms"),
          fmt(stat(p99), "ms"),
          fmt(stat(rate.map((x) => x / 1000)), "k/s"),
          fmt(stat(wall), "ms"),
          fmt(stat(serverCpu), "ms"),
        ]);
        memRows.push([num(level), fmtBytes(idle.rss), fmtBytes(peakRss), String(open), fmtBytes(perStream)]);
        if (reasons.size)
          notes.push(
            `${num(level)} streams: errors ${[...reasons].map(([k, v]) => `${k} ×${v}`).join(", ")}`,
          );
        figures[`completed_${level}`] = okTotal;
        figures[`errors_${level}`] = errTotal;
        figures[`ttfe_p50_ms_${level}`] = stat(p50).median;
        figures[`ttfe_p99_ms_${level}`] = stat(p99).median;
        figures[`events_per_s_${level}`] = stat(rate).median;
        figures[`peak_rss_${level}`] = peakRss;
        figures[`bytes_per_stream_${level}`] = perStream;
      } finally {
        await server.close();
      }
    }
    return {
      id: "concurrency",
      title: this.title,
      method: [
        `Each level opens N concurrent streams of ${events} events (the benchmark workload, pace 0) on \`POST /api/agents/bench/run\` from the bench process (node:http, one connection per stream, core's SSE parser, ${timeLimitMs / 1000} s overall limit, 127.0.0.1 only) and reads them to the end.`,
        "A fresh server process per level, warmed up with 40 streams; then the level runs " +
          `${reps} times.`,
        "Time to first event runs from the request to the first parsed event; throughput is all events received ÷ wall time of the level. Peak RSS is the server process's peak resident set (getrusage) over the level; memory per open stream is (peak RSS − idle RSS after warm-up) ÷ the most streams open at once.",
        "Client and server share the 2 cores, so the figures are a floor for what the server alone would do.",
      ].join(" "),
      tables: [
        {
          caption: "Streams (median of runs, spread in brackets)",
          head: [
            "concurrent streams",
            "completed",
            "errors",
            "p50 time to first event",
            "p99 time to first event",
            "events/s",
            "wall time",
            "server CPU",
          ],
          rows,
        },
        {
          caption: "Server memory",
          head: ["concurrent streams", "idle RSS", "peak RSS", "peak open streams", "memory per open stream"],
          rows: memRows,
        },
      ],
      headlines: [],
      targets: [],
      figures,
      notes,
    };
  },
};
