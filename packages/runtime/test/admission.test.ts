/**
 * Admission control (`maxRuns`): a full instance refuses new runs at once with 503 and
 * `Retry-After`, keeps serving the runs it has (follow, stop) and answers `/healthz`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverOptionsFromEnv } from "../src/index.js";
import { actAsOneClient } from "./client-fetch.js";
import { forever } from "./fixtures.js";
import { runInput, type Started, startServer, waitFor } from "./helpers.js";

/** One client: every fetch keeps the session cookie of the threads it creates. */
actAsOneClient();

const json = { "content-type": "application/json" };

describe("maxRuns", () => {
  let s: Started;
  beforeAll(async () => {
    s = await startServer({ agents: { forever }, maxRuns: 2 });
  });
  afterAll(() => s.close());

  const start = async () => {
    const input = runInput("go");
    const controller = new AbortController();
    const res = await fetch(`${s.url}/api/agents/forever/run`, {
      method: "POST",
      headers: json,
      body: JSON.stringify(input),
      signal: controller.signal,
    });
    if (res.ok) await res.body?.getReader().read();
    return { input, res, close: () => controller.abort() };
  };
  const stop = (threadId: string) =>
    fetch(`${s.url}/api/agents/forever/threads/${threadId}/stop`, {
      method: "POST",
      headers: json,
      body: "{}",
    });
  const health = async () =>
    (await (await fetch(`${s.url}/healthz`)).json()) as { activeStreams: number; overloaded?: boolean };

  it("the run over the limit gets 503 overloaded with Retry-After; the others go on; a freed slot takes the next", async () => {
    const a = await start();
    const b = await start();
    expect([a.res.status, b.res.status]).toEqual([200, 200]);
    const c = await start();
    expect(c.res.status).toBe(503);
    expect(c.res.headers.get("retry-after")).toBe("1");
    expect((await c.res.json()) as unknown).toMatchObject({ error: { code: "overloaded" } });
    // Nothing of the refused run started; the instance says it is full and still answers.
    expect(await health()).toMatchObject({ activeStreams: 2, overloaded: true });
    // Following a run and stopping it are never refused.
    a.close();
    const follow = await fetch(`${s.url}/api/agents/forever/threads/${a.input.threadId}/events?after=1`);
    expect(follow.status).toBe(200);
    await follow.body?.cancel();
    expect((await stop(a.input.threadId)).status).toBe(200);
    expect(await waitFor(async () => (await health()).activeStreams === 1, 2_000)).toBe(true);
    const d = await start();
    expect(d.res.status).toBe(200);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toContain('agentstream_runs_rate_limited_total{limit="instance"} 1');
    for (const run of [b, d]) {
      run.close();
      await stop(run.input.threadId);
    }
  });

  it("AGENTSTREAM_MAX_RUNS sets it; anything but a positive integer is refused", async () => {
    expect(serverOptionsFromEnv({ AGENTSTREAM_MAX_RUNS: "300" }).maxRuns).toBe(300);
    expect(() => serverOptionsFromEnv({ AGENTSTREAM_MAX_RUNS: "0" })).toThrow(/AGENTSTREAM_MAX_RUNS/);
    await expect(startServer({ agents: { forever }, maxRuns: 0 })).rejects.toThrow(/maxRuns/);
  });
});
