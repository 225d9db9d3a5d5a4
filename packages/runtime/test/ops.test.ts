import { request } from "node:http";
import { createBrotliDecompress, createGunzip } from "node:zlib";
import type { BaseEvent } from "@ag-ui/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, type StreamEndedEvent, type StreamStartedEvent } from "../src/index.js";
import { actAsOneClient } from "./client-fetch.js";
import { counter, forever, probe, testAgents } from "./fixtures.js";
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

/** Parses the Prometheus text format into `name{labels}` → value (labels sorted as written). */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([^\s{]+)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (m) out.set(`${m[1]}${m[2] ?? ""}`, Number(m[3]));
  }
  return out;
}

/** Sums a metric by agent and route. */
function byLabels(metrics: Map<string, number>, name: string, outcome?: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, value] of metrics) {
    if (!key.startsWith(`${name}{`)) continue;
    const agent = /agent="([^"]*)"/.exec(key)?.[1];
    const route = /route="([^"]*)"/.exec(key)?.[1];
    const o = /outcome="([^"]*)"/.exec(key)?.[1];
    if (outcome !== undefined && o !== outcome) continue;
    const k = `${agent}/${route}`;
    out.set(k, (out.get(k) ?? 0) + value);
  }
  return out;
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(await res.text());
}

function invariantHolds(m: Map<string, number>): { ok: boolean; detail: string } {
  const started = byLabels(m, "agentstream_streams_started_total");
  const active = byLabels(m, "agentstream_streams_active");
  const done = ["completed", "failed", "interrupted"].map((o) =>
    byLabels(m, "agentstream_streams_finished_total", o),
  );
  for (const [k, s] of started) {
    const sum = (active.get(k) ?? 0) + done.reduce((acc, d) => acc + (d.get(k) ?? 0), 0);
    if (sum !== s) return { ok: false, detail: `${k}: started ${s} != ${sum}` };
  }
  return { ok: true, detail: "" };
}

/** A raw POST (node:http: no automatic decompression) that decodes the body as it arrives. */
function rawStream(
  url: string,
  body: unknown,
  acceptEncoding: string | undefined,
): Promise<{
  headers: Record<string, string | string[] | undefined>;
  wireBytes: () => number;
  text: () => string;
  firstFrameAt: Promise<number>;
  done: Promise<void>;
  t0: number;
}> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "text/event-stream",
        ...(acceptEncoding ? { "Accept-Encoding": acceptEncoding } : {}),
      },
    });
    req.on("response", (res) => {
      let wire = 0;
      let text = "";
      let markFirst!: (at: number) => void;
      const firstFrameAt = new Promise<number>((r) => {
        markFirst = r;
      });
      const enc = res.headers["content-encoding"];
      const decoder = enc === "gzip" ? createGunzip() : enc === "br" ? createBrotliDecompress() : undefined;
      res.on("data", (b: Buffer) => {
        wire += b.length;
      });
      const plain = decoder ? res.pipe(decoder) : res;
      plain.setEncoding("utf8");
      plain.on("data", (s: string) => {
        text += s;
        if (text.includes("\n\n")) markFirst(performance.now() - t0);
      });
      const done = new Promise<void>((r) => plain.on("end", () => r()));
      resolve({ headers: res.headers, wireBytes: () => wire, text: () => text, firstFrameAt, done, t0 });
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

const events = (text: string): BaseEvent[] =>
  text
    .split("\n")
    .filter((l) => l.startsWith("data: "))
    .map((l) => JSON.parse(l.slice(6)) as BaseEvent);

describe("GET /metrics and server events", () => {
  let s: Started;
  const lines: string[] = [];
  beforeAll(async () => {
    s = await startServer({
      agents: testAgents,
      detachedRunMs: 0,
      logger: createLogger({ level: "error", write: (line) => lines.push(line) }),
    });
  });
  afterAll(async () => {
    await s.close();
  });

  it("serves the Prometheus text format with stream counts, histograms, bytes and the process defaults", async () => {
    const run = await runWithHttpAgent(plainRunUrl(s.url, "counter"), runInput("count"));
    expect(run.error).toBeUndefined();
    const m = await scrape(s.url);
    expect(m.get('agentstream_streams_started_total{agent="counter",route="plain"}')).toBe(1);
    expect(
      m.get('agentstream_streams_finished_total{agent="counter",route="plain",outcome="completed"}'),
    ).toBe(1);
    expect(m.get('agentstream_streams_active{agent="counter",route="plain"}')).toBe(0);
    expect(
      m.get('agentstream_stream_duration_seconds_count{agent="counter",route="plain",outcome="completed"}'),
    ).toBe(1);
    expect(m.get('agentstream_stream_first_event_seconds_count{agent="counter",route="plain"}')).toBe(1);
    expect(m.get('agentstream_stream_tokens_total{agent="counter",route="plain"}')).toBe(5);
    expect(m.get('agentstream_events_written_total{agent="counter",route="plain"}')).toBeGreaterThanOrEqual(
      10,
    );
    expect([...m.keys()].some((k) => k.startsWith('agentstream_bytes_written_total{route="plain"'))).toBe(
      true,
    );
    expect(m.get('agentstream_readers_attached{agent="counter",route="plain"}')).toBe(0);
    expect(m.has("agentstream_runner_retained_bytes")).toBe(true);
    expect(m.has("process_cpu_user_seconds_total")).toBe(true);
    expect(m.has("nodejs_eventloop_lag_seconds")).toBe(true);
  });

  it("emits stream.started / completed / failed / interrupted with agent, thread, run, route, duration, chunks, tokens", async () => {
    const seen: { name: string; e: StreamStartedEvent | StreamEndedEvent }[] = [];
    const offs = (["stream.started", "stream.completed", "stream.failed", "stream.interrupted"] as const).map(
      (name) => s.server.on(name, (e) => void seen.push({ name, e })),
    );
    // A throwing listener and a rejecting one: logged, the streams go on.
    offs.push(
      s.server.on("stream.completed", () => {
        throw new Error("listener bug");
      }),
      s.server.on("stream.started", async () => {
        throw new Error("async listener bug");
      }),
    );
    const ok = runInput("count");
    const okRun = await runWithHttpAgent(copilotRunUrl(s.url, "counter"), ok);
    expect(okRun.error).toBeUndefined();
    expect(okRun.text).toBe("1 2 3 4 5 ");
    const bad = runInput("fail");
    await runWithHttpAgent(plainRunUrl(s.url, "thrower"), bad);
    const long = runInput("tick");
    const ac = new AbortController();
    const pending = runWithHttpAgent(plainRunUrl(s.url, "forever"), long, { abortController: ac });
    await waitFor(() => (probe.produced.get(long.runId) ?? 0) > 2);
    await fetch(`${s.url}/api/agents/forever/threads/${long.threadId}/stop`, { method: "POST" });
    await pending;
    await waitFor(() => seen.some((x) => x.name === "stream.interrupted"));
    for (const off of offs) off();

    const started = seen.filter((x) => x.name === "stream.started").map((x) => x.e);
    expect(started.map((e) => [e.agent, e.route])).toEqual([
      ["counter", "copilotkit"],
      ["thrower", "plain"],
      ["forever", "plain"],
    ]);
    const completed = seen.find((x) => x.name === "stream.completed")?.e as StreamEndedEvent;
    expect(completed).toMatchObject({
      agent: "counter",
      thread: ok.threadId,
      run: ok.runId,
      route: "copilotkit",
      outcome: "completed",
      tokens: 5,
    });
    expect(completed.chunks).toBeGreaterThanOrEqual(7);
    expect(completed.duration).toBeGreaterThan(100); // five 25 ms sleeps
    const failed = seen.find((x) => x.name === "stream.failed")?.e as StreamEndedEvent;
    expect(failed).toMatchObject({ agent: "thrower", thread: bad.threadId, outcome: "failed", tokens: 2 });
    expect(failed.message).toMatch(/boom/);
    const interrupted = seen.find((x) => x.name === "stream.interrupted")?.e as StreamEndedEvent;
    expect(interrupted).toMatchObject({ agent: "forever", run: long.runId, outcome: "interrupted" });
    expect(interrupted.tokens).toBeGreaterThan(2);
    await waitFor(() => lines.filter((l) => l.includes("stream_listener_error")).length >= 2);
    expect(lines.filter((l) => l.includes("stream_listener_error")).length).toBeGreaterThanOrEqual(2);
  });

  it("started = completed + failed + interrupted + active at every scrape, under load on both routes", async () => {
    const inputs: Promise<unknown>[] = [];
    const stops: { threadId: string; runId: string }[] = [];
    const scrapes: Map<string, number>[] = [];
    let scraping = true;
    const scraper = (async () => {
      while (scraping) {
        scrapes.push(await scrape(s.url));
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    for (let i = 0; i < 60; i++) {
      const agent = ["counter", "thrower", "forever"][i % 3] as string;
      const input = runInput(`load ${i}`);
      const url = i % 2 === 0 ? plainRunUrl(s.url, agent) : copilotRunUrl(s.url, agent);
      inputs.push(runWithHttpAgent(url, input));
      if (agent === "forever") stops.push(input);
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => stops.every((x) => (probe.produced.get(x.runId) ?? 0) > 1), 5_000);
    await Promise.all(
      stops.map((x) => fetch(`${s.url}/api/agents/forever/threads/${x.threadId}/stop`, { method: "POST" })),
    );
    await Promise.all(inputs);
    await waitFor(async () => {
      const m = await scrape(s.url);
      return [...byLabels(m, "agentstream_streams_active").values()].every((v) => v === 0);
    }, 5_000);
    scraping = false;
    await scraper;
    scrapes.push(await scrape(s.url));
    expect(scrapes.length).toBeGreaterThan(5);
    const midRun = scrapes.filter((m) =>
      [...byLabels(m, "agentstream_streams_active").values()].some((v) => v > 0),
    );
    expect(midRun.length).toBeGreaterThan(0);
    for (const m of scrapes) {
      const check = invariantHolds(m);
      expect(check.detail).toBe("");
    }
    const last = scrapes[scrapes.length - 1] as Map<string, number>;
    const interrupted = byLabels(last, "agentstream_streams_finished_total", "interrupted");
    expect(
      (interrupted.get("forever/plain") ?? 0) + (interrupted.get("forever/copilotkit") ?? 0),
    ).toBeGreaterThanOrEqual(20);
  });

  it("counts resumed readers (attach to a running run)", async () => {
    const input = runInput("tick");
    const first = runWithHttpAgent(plainRunUrl(s.url, "forever"), input);
    await waitFor(() => (probe.produced.get(input.runId) ?? 0) > 1);
    const before =
      (await scrape(s.url)).get('agentstream_streams_resumed_total{agent="forever",route="plain"}') ?? 0;
    const ac = new AbortController();
    const res = await fetch(`${s.url}/api/agents/forever/threads/${input.threadId}/events`, {
      headers: { "Last-Event-ID": "3" },
      signal: ac.signal,
    });
    const reader = res.body?.getReader();
    await reader?.read();
    const m = await scrape(s.url);
    expect(m.get('agentstream_streams_resumed_total{agent="forever",route="plain"}')).toBe(before + 1);
    expect(m.get('agentstream_readers_attached{agent="forever",route="plain"}')).toBe(2);
    ac.abort();
    await fetch(`${s.url}/api/agents/forever/threads/${input.threadId}/stop`, { method: "POST" });
    await first;
  });
});

describe("/metrics protection and settings", () => {
  it("uses the bearer token, or AGENTSTREAM_METRICS_TOKEN's own; off removes it", async () => {
    const a = await startServer({ agents: [counter], authToken: "api-secret" });
    try {
      expect((await fetch(`${a.url}/metrics`)).status).toBe(401);
      expect(
        (await fetch(`${a.url}/metrics`, { headers: { Authorization: "Bearer api-secret" } })).status,
      ).toBe(200);
    } finally {
      await a.close();
    }
    const b = await startServer({ agents: [counter], authToken: "api-secret", metricsToken: "scraper" });
    try {
      expect(
        (await fetch(`${b.url}/metrics`, { headers: { Authorization: "Bearer api-secret" } })).status,
      ).toBe(401);
      expect((await fetch(`${b.url}/metrics`, { headers: { Authorization: "Bearer scraper" } })).status).toBe(
        200,
      );
    } finally {
      await b.close();
    }
    const c = await startServer({ agents: [counter], metrics: false });
    try {
      expect((await fetch(`${c.url}/metrics`)).status).toBe(404);
    } finally {
      await c.close();
    }
  });
});

describe("compressed event streams", () => {
  let s: Started;
  beforeAll(async () => {
    s = await startServer({ agents: [counter, forever], detachedRunMs: 0 });
  });
  afterAll(async () => {
    await s.close();
  });

  for (const encoding of ["gzip", "br"]) {
    it(`plain route, ${encoding}: compressed, and each event arrives while the run is still going`, async () => {
      const input = runInput("tick");
      const r = await rawStream(plainRunUrl(s.url, "forever"), input, `${encoding}, deflate`);
      expect(r.headers["content-encoding"]).toBe(encoding);
      expect(r.headers["cache-control"]).toBe("no-cache, no-transform");
      await r.firstFrameAt;
      // The run is still going (forever ticks every 10 ms), yet events have been decoded.
      await waitFor(() => events(r.text()).filter((e) => e.type === "TEXT_MESSAGE_CONTENT").length >= 3);
      expect(events(r.text()).filter((e) => e.type === "TEXT_MESSAGE_CONTENT").length).toBeGreaterThanOrEqual(
        3,
      );
      await fetch(`${s.url}/api/agents/forever/threads/${input.threadId}/stop`, {
        method: "POST",
        headers: { "x-thread-token": String(r.headers["x-thread-token"]) },
      });
      await r.done;
      expect(events(r.text()).at(-1)?.type).toBe("RUN_FINISHED");
    });
  }

  it("CopilotKit route, gzip: compressed, live, and read by @ag-ui/client's HttpAgent", async () => {
    const input = runInput("tick");
    const r = await rawStream(copilotRunUrl(s.url, "forever"), input, "gzip");
    expect(r.headers["content-encoding"]).toBe("gzip");
    await waitFor(() => events(r.text()).filter((e) => e.type === "TEXT_MESSAGE_CONTENT").length >= 3);
    expect(events(r.text()).filter((e) => e.type === "TEXT_MESSAGE_CONTENT").length).toBeGreaterThanOrEqual(
      3,
    );
    await fetch(`${s.url}/api/copilotkit/agent/forever/stop/${input.threadId}`, {
      method: "POST",
      headers: { "x-thread-token": String(r.headers["x-thread-token"]) },
    });
    await r.done;
    // HttpAgent (fetch) asks for gzip itself and verifies the stream.
    const run = await runWithHttpAgent(copilotRunUrl(s.url, "counter"), runInput("count"), {
      headers: { "Accept-Encoding": "gzip" },
    });
    expect(run.error).toBeUndefined();
    expect(run.text).toBe("1 2 3 4 5 ");
  });

  it("no Accept-Encoding: not compressed", async () => {
    const r = await rawStream(plainRunUrl(s.url, "counter"), runInput("count"), undefined);
    expect(r.headers["content-encoding"]).toBeUndefined();
    await r.done;
    expect(events(r.text()).at(-1)?.type).toBe("RUN_FINISHED");
  });

  it("compression: false (AGENTSTREAM_COMPRESSION=off) turns it off", async () => {
    const off = await startServer({ agents: [counter], compression: false });
    try {
      const r = await rawStream(plainRunUrl(off.url, "counter"), runInput("count"), "gzip, br");
      expect(r.headers["content-encoding"]).toBeUndefined();
      await r.done;
    } finally {
      await off.close();
    }
  });
});
