import type { RunsApiEvent, RunsApiSnapshot } from "@agentstream/core";
import { parseSse } from "@agentstream/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRunTable, serverOptionsFromEnv } from "../src/index.js";
import { percentiles, RunSeries } from "../src/server/run-series.js";
import { actAsOneClient } from "./client-fetch.js";
import { counter, forever, thrower } from "./fixtures.js";
import {
  copilotRunUrl,
  plainRunUrl,
  runInput,
  runWithHttpAgent,
  type Started,
  startServer,
  waitFor,
} from "./helpers.js";

/** One client: every fetch keeps the session cookie of the threads it creates (see client-fetch.ts). */
actAsOneClient();

async function snapshot(url: string, headers: Record<string, string> = {}): Promise<RunsApiSnapshot> {
  const res = await fetch(`${url}/api/runs`, { headers });
  expect(res.status).toBe(200);
  return (await res.json()) as RunsApiSnapshot;
}

/** Reads `GET /api/runs/events` into `events` until aborted. */
function feed(url: string, signal: AbortSignal, headers: Record<string, string> = {}) {
  const events: RunsApiEvent[] = [];
  const done = (async () => {
    const res = await fetch(`${url}/api/runs/events`, { headers, signal });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    if (!res.body) throw new Error("no body");
    for await (const message of parseSse(res.body, { signal })) {
      const event = JSON.parse(message.data) as RunsApiEvent;
      expect(message.event).toBe(event.type);
      events.push(event);
    }
  })().catch((error: unknown) => {
    if (!signal.aborted) throw error;
  });
  return { events, done };
}

describe("the run series", () => {
  it("buckets counts by time, keeps the window bounded and carries active runs over empty buckets", () => {
    let t = 1_000_000;
    const series = new RunSeries({ bucketMs: 1000, buckets: 5, now: () => t });
    series.started();
    series.firstEvent(12);
    series.tokens(3);
    t += 2000;
    series.started();
    series.ended("failed", 40);
    t += 1000;
    const buckets = series.buckets();
    expect(buckets).toHaveLength(5);
    expect(buckets.map((b) => b.started)).toEqual([0, 1, 0, 1, 0]);
    expect(buckets[1]).toMatchObject({ tokens: 3, active: 1, ttfeP50: 12 });
    expect(buckets[2]?.active).toBe(1); // the empty bucket between: still one run active
    expect(buckets[3]).toMatchObject({ failed: 1, active: 2, durationP50: 40 });
    expect(buckets[4]?.active).toBe(1);
    t += 10_000; // the whole window later: the old buckets are gone
    expect(series.buckets().every((b) => b.started === 0)).toBe(true);
    expect(series.sum(60_000, "started")).toBe(0);
  });

  it("computes nearest-rank percentiles", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentiles(values)).toEqual({ p50: 50, p95: 95, p99: 99 });
    expect(percentiles([])).toEqual({});
  });

  it("counts a slow reader in the series and marks its connection", () => {
    const table = createRunTable();
    const reader = { agentId: "a", threadId: "t", route: "plain", resumed: false };
    table.observer.readerAttached?.(reader);
    table.observer.slowReader?.(reader);
    table.observer.readerDetached?.(reader);
    const snap = table.snapshot();
    expect(snap.series.at(-1)?.slowReaders).toBe(1);
    expect(snap.summary.slowReaders).toBe(1);
    expect(snap.connections[0]).toMatchObject({ slow: true, reconnect: false });
    expect(snap.connections[0]?.endedAt).toBeDefined();
    expect(snap.summary.readers).toBe(0);
  });

  it("pushes changed runs to subscribers, and the series of a new bucket even when idle", async () => {
    let t = 5_000_000;
    const table = createRunTable({ now: () => t, bucketMs: 1000, flushMs: 10, seriesMs: 20 });
    const got: RunsApiEvent[] = [];
    const off = table.subscribe((e) => got.push(e));
    try {
      const run = { agentId: "a", threadId: "t", runId: "r", route: "plain", startedAt: t };
      table.observer.runStarted?.(run);
      table.observer.chunks?.(run, [{ type: "token", text: "x", seq: 0, timestamp: t }]);
      expect(got.map((e) => e.type)).toEqual(["run"]); // the start at once, the chunk with the next flush
      expect(await waitFor(() => got.some((e) => e.type === "run" && e.run.tokens === 1), 1_000)).toBe(true);
      table.observer.runEnded?.({
        ...run,
        outcome: "completed",
        durationMs: 5,
        chunks: 1,
        coalesced: 0,
        tokens: 1,
        timeToFirstEventMs: 1,
        message: undefined,
      });
      await new Promise((r) => setTimeout(r, 60));
      got.length = 0;
      await new Promise((r) => setTimeout(r, 60));
      expect(got.filter((e) => e.type === "series")).toHaveLength(0); // idle, same bucket: quiet
      t += 1000;
      expect(await waitFor(() => got.some((e) => e.type === "series"), 1_000)).toBe(true);
      const series = got.find((e): e is Extract<RunsApiEvent, { type: "series" }> => e.type === "series");
      expect(series?.buckets.at(-1)?.t).toBe(5_001_000);
    } finally {
      off();
    }
  });

  it("keeps at most maxRuns runs", () => {
    const table = createRunTable({ maxRuns: 3 });
    for (let i = 0; i < 5; i++)
      table.observer.runStarted?.({
        agentId: "a",
        threadId: `t${i}`,
        runId: `r${i}`,
        route: "plain",
        startedAt: i,
      });
    const snap = table.snapshot();
    expect(snap.runs.map((r) => r.threadId)).toEqual(["t4", "t3", "t2"]);
    expect(snap.summary.totalRuns).toBe(5);
    expect(snap.summary.activeStreams).toBe(5);
  });
});

describe("GET /api/runs and its live feed on a real server", () => {
  let s: Started;
  beforeAll(async () => {
    s = await startServer({ agents: [counter, thrower, forever], compression: false });
  });
  afterAll(() => s.close());

  it("lists a finished run with its figures and the connection that read it", async () => {
    const input = runInput("count");
    const run = await runWithHttpAgent(plainRunUrl(s.url, "counter"), input);
    expect(run.text).toContain("5");
    let row: RunsApiSnapshot["runs"][number] | undefined;
    await waitFor(async () => {
      row = (await snapshot(s.url)).runs.find((r) => r.runId === input.runId);
      return row?.status === "completed";
    });
    expect(row).toMatchObject({
      agentId: "counter",
      threadId: input.threadId,
      route: "plain",
      status: "completed",
    });
    expect(row?.tokens).toBe(5);
    expect(row?.durationMs).toBeGreaterThanOrEqual(100); // five sleeps of 25 ms
    expect(row?.timeToFirstEventMs).toBeGreaterThanOrEqual(0);
    const snap = await snapshot(s.url);
    const connection = snap.connections.find((c) => c.threadId === input.threadId);
    expect(connection).toMatchObject({
      route: "plain",
      agentId: "counter",
      client: "127.0.0.1",
      slow: false,
    });
    expect(connection?.events).toBeGreaterThan(5);
    expect(connection?.endedAt).toBeDefined();
    // Bytes on the wire, as the Node adapter wrote them: at least the frames' JSON.
    expect(connection?.bytes).toBeGreaterThan(200);
    expect(snap.summary.runsPerMinute).toBeGreaterThanOrEqual(1);
    expect(snap.summary.duration.p50).toBeGreaterThan(0);
    expect(snap.series.length).toBe(360);
    // Reading the finished run's log from its start (a replay, `?after=0`) is a connection, not a reconnect.
    const replay = await fetch(`${s.url}/api/runs/agents/counter/threads/${input.threadId}/events?after=0`);
    expect(await replay.text()).toContain("RUN_FINISHED");
    const readsOf = async () =>
      (await snapshot(s.url)).connections.filter((c) => c.threadId === input.threadId);
    expect(await waitFor(async () => (await readsOf()).length === 2)).toBe(true);
    const reads = await readsOf();
    expect(reads).toHaveLength(2);
    expect(reads.map((c) => c.reconnect)).toEqual([false, false]);
    expect(snap.series.at(-1)?.started).toBeGreaterThanOrEqual(0);
  });

  it("streams a snapshot, then the run as it starts and ends, with failures", async () => {
    const abort = new AbortController();
    const live = feed(s.url, abort.signal);
    try {
      expect(await waitFor(() => live.events.length > 0)).toBe(true);
      expect(live.events[0]?.type).toBe("snapshot");
      const input = runInput("fail");
      await runWithHttpAgent(plainRunUrl(s.url, "thrower"), input);
      const of = (status: string) =>
        live.events.some((e) => e.type === "run" && e.run.runId === input.runId && e.run.status === status);
      expect(await waitFor(() => of("running") && of("failed"), 5_000)).toBe(true);
      const failed = live.events.find(
        (e): e is Extract<RunsApiEvent, { type: "run" }> => e.type === "run" && e.run.status === "failed",
      );
      expect(failed?.run.message).toContain("boom");
      expect(
        await waitFor(
          () => live.events.some((e) => e.type === "connection" && e.connection.threadId === input.threadId),
          3_000,
        ),
      ).toBe(true);
      expect(
        await waitFor(() => live.events.some((e) => e.type === "series" && e.summary.errors >= 1), 5_000),
      ).toBe(true);
    } finally {
      abort.abort();
      await live.done;
    }
  });

  it("shows a running run as active with its reader, and a second reader as a reconnect", async () => {
    const input = runInput("tick");
    const abort = new AbortController();
    const res = await fetch(plainRunUrl(s.url, "forever"), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(input),
      signal: abort.signal,
    });
    const reader = res.body?.getReader();
    await reader?.read();
    const second = new AbortController();
    const attach = await fetch(`${s.url}/api/agents/forever/threads/${input.threadId}/events`, {
      headers: { "Last-Event-ID": "1" },
      signal: second.signal,
    });
    await attach.body?.getReader().read();
    try {
      let snap: RunsApiSnapshot | undefined;
      expect(
        await waitFor(async () => {
          snap = await snapshot(s.url);
          return snap.runs.find((r) => r.runId === input.runId)?.readers === 2;
        }),
      ).toBe(true);
      expect(snap?.summary.activeStreams).toBeGreaterThanOrEqual(1);
      const conns = snap?.connections.filter((c) => c.threadId === input.threadId) ?? [];
      expect(conns.map((c) => c.reconnect).sort()).toEqual([false, true]);
      expect(conns.every((c) => c.endedAt === undefined)).toBe(true);
    } finally {
      second.abort();
      abort.abort();
      await fetch(`${s.url}/api/agents/forever/threads/${input.threadId}/stop`, { method: "POST" });
    }
    expect(
      await waitFor(
        async () =>
          (await snapshot(s.url)).runs.find((r) => r.runId === input.runId)?.status === "interrupted",
        3_000,
      ),
    ).toBe(true);
  });

  it("labels runs and connections of the CopilotKit route as copilotkit", async () => {
    const input = runInput("count");
    await runWithHttpAgent(copilotRunUrl(s.url, "counter"), input);
    let snap: RunsApiSnapshot | undefined;
    expect(
      await waitFor(async () => {
        snap = await snapshot(s.url);
        return snap.runs.find((r) => r.threadId === input.threadId)?.status === "completed";
      }),
    ).toBe(true);
    expect(snap?.runs.find((r) => r.threadId === input.threadId)?.route).toBe("copilotkit");
    const connection = snap?.connections.find((c) => c.threadId === input.threadId);
    expect(connection).toMatchObject({ route: "copilotkit", client: "127.0.0.1" });
    expect(connection?.events).toBeGreaterThan(5);
  });

  it("refuses bad input with the JSON envelope", async () => {
    for (const q of ["0", "201", "abc", "1.5", ""]) {
      const res = await fetch(`${s.url}/api/runs?limit=${q}`);
      expect(res.status, q).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "invalid_input" } });
    }
    const post = await fetch(`${s.url}/api/runs`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(await post.json()).toMatchObject({ error: { code: "method_not_allowed" } });
    expect((await snapshot(s.url)).runs.length).toBeGreaterThan(0);
    const limited = await fetch(`${s.url}/api/runs?limit=1`);
    expect(((await limited.json()) as RunsApiSnapshot).runs).toHaveLength(1);
  });

  it("answers /dashboard with 404 JSON when no page was given", async () => {
    const res = await fetch(`${s.url}/dashboard`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });
});

describe("dashboard protection and settings", () => {
  it("is protected like /metrics: bearer or Basic with the metrics token, 401 with WWW-Authenticate", async () => {
    const s = await startServer({
      agents: [counter],
      authToken: "api-secret",
      metricsToken: "ops",
      dashboard: { html: "<!doctype html><title>dash</title>" },
    });
    try {
      for (const path of ["/dashboard", "/api/runs", "/api/runs/events"]) {
        const res = await fetch(`${s.url}${path}`);
        expect(res.status, path).toBe(401);
        expect(res.headers.get("www-authenticate")).toMatch(/^Basic realm="AgentStream dashboard"/);
        expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
        const wrong = await fetch(`${s.url}${path}`, { headers: { Authorization: "Bearer api-secret" } });
        expect(wrong.status, path).toBe(401);
      }
      const basic = `Basic ${btoa("anyone:ops")}`;
      const page = await fetch(`${s.url}/dashboard`, { headers: { Authorization: basic } });
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(page.headers.get("content-security-policy")).toContain("connect-src 'self'");
      expect(await page.text()).toContain("<title>dash</title>");
      // Gzipped for clients that take it (fetch decodes it), and 304 for the version the client has.
      expect(page.headers.get("content-encoding")).toBe("gzip");
      const etag = page.headers.get("etag") ?? "";
      expect(etag).toMatch(/^"[0-9a-f]{24}"$/);
      const again = await fetch(`${s.url}/dashboard`, {
        headers: { Authorization: basic, "If-None-Match": etag },
      });
      expect(again.status).toBe(304);
      expect(
        (await fetch(`${s.url}/dashboard`, { method: "POST", headers: { Authorization: basic } })).status,
      ).toBe(405);
      expect((await fetch(`${s.url}/api/runs`, { headers: { Authorization: "Bearer ops" } })).status).toBe(
        200,
      );
      expect((await fetch(`${s.url}/api/runs`, { headers: { Authorization: basic } })).status).toBe(200);
      // The API's own token still guards the API, not the dashboard's.
      expect((await fetch(`${s.url}/api/agents`, { headers: { Authorization: basic } })).status).toBe(401);
    } finally {
      await s.close();
    }
  });

  it("reads AGENTSTREAM_DASHBOARD", () => {
    expect(serverOptionsFromEnv({ AGENTSTREAM_DASHBOARD: "off" }).dashboard).toBe(false);
    expect(serverOptionsFromEnv({ AGENTSTREAM_DASHBOARD: "on" }).dashboard).toBe(true);
    expect(serverOptionsFromEnv({}).dashboard).toBeUndefined();
    expect(() => serverOptionsFromEnv({ AGENTSTREAM_DASHBOARD: "maybe" })).toThrow(/AGENTSTREAM_DASHBOARD/);
  });

  it("is off with metrics off, or with dashboard: false", async () => {
    for (const options of [{ metrics: false }, { dashboard: false }] as const) {
      const s = await startServer({ agents: [counter], ...options });
      try {
        expect((await fetch(`${s.url}/api/runs`)).status).toBe(404);
        expect((await fetch(`${s.url}/dashboard`)).status).toBe(404);
        expect(s.server.handler.runs).toBeUndefined();
      } finally {
        await s.close();
      }
    }
  });
});
