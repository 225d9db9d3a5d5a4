/**
 * The run client against a real node:http server speaking the routes' contract
 * (./sse-server.ts): resume with Last-Event-ID across dropped sockets, no event twice, clear
 * errors for 404/409/410 with no loop, stop during a reconnect, the body cancelled on `break`.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { type AgUiEvent, createRunClient, type RunClientError } from "../../src/index.js";
import { startTestServer, type TestServer, tokenRun, tokenText } from "./sse-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const fast = { minDelayMs: 1, maxDelayMs: 5 };

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const deltas = (events: AgUiEvent[]): string =>
  events
    .filter((e) => e.type === "TEXT_MESSAGE_CONTENT")
    .map((e) => (e as unknown as { delta: string }).delta)
    .join("");

async function until(check: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("createRunClient", () => {
  it("starts a run, streams every event once into the store, ends done; sends the bearer token", async () => {
    server = await startTestServer();
    const client = createRunClient({ baseUrl: server.url, token: "s3cret" });
    const run = client.run("words", { threadId: "t1", runId: "r1" });
    expect(run.status).toBe("idle");
    const events = await all(run);
    expect(events.map((e) => e.type)).toEqual(tokenRun(20).map((e) => e.type));
    expect(deltas(events)).toBe(tokenText(20));
    expect(run.status).toBe("done");
    expect(run.error).toBeUndefined();
    expect(run.lastEventId).toBe(24);
    const state = run.store.getSnapshot();
    expect(state.text).toBe(tokenText(20));
    expect(state.done).toBe(true);
    expect(state.result?.output).toEqual({ n: 20 });
    expect(server.requests[0]?.headers.authorization).toBe("Bearer s3cret");
    expect(server.requests[0]?.url).toBe("/api/agents/words/run");
  });

  it("chunks() yields the decoded chunks and result() the final state", async () => {
    server = await startTestServer();
    const client = createRunClient({ baseUrl: server.url });
    const chunks = await all(client.run("a", "hi").chunks());
    expect(chunks.filter((c) => c.type === "token")).toHaveLength(20);
    expect(chunks.at(-1)?.type).toBe("result");
    const state = await client.run("a", "hi").result();
    expect(state.text).toBe(tokenText(20));
  });

  it("resumes after random cut points and random byte splits: every event exactly once (property)", async () => {
    server = await startTestServer();
    const srv = server;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 6 }),
        fc.integer({ min: 0, max: 3 }),
        async (cuts, splits, perTick) => {
          srv.behaviour = {
            script: (_a, input) => tokenRun(40, String(input.runId), String(input.threadId)),
            perTick,
            tickMs: 1,
            cutAfter: (n) => cuts[n],
            split: (frame) => splits.filter((s) => s < frame.length).sort((a, b) => a - b),
          };
          srv.connections.length = 0;
          const client = createRunClient({ baseUrl: srv.url, reconnect: { ...fast, retries: 10 } });
          const run = client.run("a", "go");
          const events = await all(run);
          expect(deltas(events)).toBe(tokenText(40));
          expect(events).toHaveLength(44);
          expect(run.status).toBe("done");
          expect(run.store.getSnapshot().text).toBe(tokenText(40));
          const resumes = srv.connections.filter((c) => c.kind === "events");
          expect(run.reconnects).toBe(resumes.length);
          for (const r of resumes) expect(Number(r.headers["last-event-id"])).toBe(r.after);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("survives a reconnect storm: every connection cut after a frame or two", async () => {
    server = await startTestServer({
      script: (_a, input) => tokenRun(150, String(input.runId), String(input.threadId)),
      perTick: 2,
      tickMs: 1,
      cutAfter: (n) => 120 + ((n * 37) % 200), // the heartbeat and one to three frames
    });
    const client = createRunClient({ baseUrl: server.url, reconnect: { ...fast, retries: 3 } });
    const statuses = new Set<string>();
    const run = client.run("a", "go");
    run.subscribe(() => statuses.add(run.status));
    const events = await all(run);
    expect(deltas(events)).toBe(tokenText(150));
    expect(run.reconnects).toBeGreaterThan(20);
    expect(statuses.has("reconnecting")).toBe(true);
    expect(run.status).toBe("done");
  });

  it("a connection that goes silent without closing is replaced after idleTimeoutMs, without a gap", async () => {
    server = await startTestServer({
      script: (_a, input) => tokenRun(30, String(input.runId), String(input.threadId)),
      stallAfter: (n) => (n === 0 ? 8 : undefined), // the first connection stops after 8 frames, open
    });
    const client = createRunClient({ baseUrl: server.url, reconnect: { ...fast, idleTimeoutMs: 150 } });
    const run = client.run("a", "go");
    const t0 = performance.now();
    const events = await all(run);
    expect(deltas(events)).toBe(tokenText(30));
    expect(run.reconnects).toBe(1);
    expect(run.status).toBe("done");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect(server.requests.filter((r) => r.method === "GET")[0]?.headers["last-event-id"]).toBe("8");
    // Without the timeout the same stall would hang: 0 disables it (checked by racing a timer).
    server.behaviour.stallAfter = () => 3;
    const stuck = createRunClient({ baseUrl: server.url, reconnect: { ...fast, idleTimeoutMs: 0 } }).run(
      "a",
      "go",
    );
    const outcome = await Promise.race([
      all(stuck).then(() => "ended"),
      new Promise((r) => setTimeout(() => r("hung"), 400)),
    ]);
    expect(outcome).toBe("hung");
    stuck.detach();
  });

  it("409 on resume: a clear error, no loop", async () => {
    server = await startTestServer({ cutAfter: (n) => (n === 0 ? 300 : undefined), eventsStatus: () => 409 });
    const client = createRunClient({ baseUrl: server.url, reconnect: fast });
    const run = client.run("a", "go");
    await expect(all(run)).rejects.toMatchObject({
      name: "RunClientError",
      code: "event_id_ahead",
      status: 409,
    });
    expect(run.status).toBe("error");
    expect(run.error?.message).toMatch(/HTTP 409 forced 409/);
    expect((run.error as RunClientError).newestId).toBe(24);
    expect(server.requests.filter((r) => r.method === "GET")).toHaveLength(1);
  });

  it("410 on resume: a clear error, no loop", async () => {
    server = await startTestServer({ cutAfter: (n) => (n === 0 ? 300 : undefined), eventsStatus: () => 410 });
    const client = createRunClient({ baseUrl: server.url, reconnect: fast });
    const run = client.run("a", "go");
    const state = await run.result();
    expect(run.status).toBe("error");
    expect((run.error as RunClientError).code).toBe("event_id_expired");
    expect(state.done).toBe(false);
    expect(server.requests.filter((r) => r.method === "GET")).toHaveLength(1);
  });

  it("gives up after the retry limit with a clear error", async () => {
    server = await startTestServer({ cutAfter: (n) => (n === 0 ? 300 : undefined), eventsStatus: () => 503 });
    const client = createRunClient({ baseUrl: server.url, reconnect: { ...fast, retries: 3 } });
    const run = client.run("a", "go");
    await expect(all(run)).rejects.toMatchObject({ code: "retries_exhausted" });
    expect(run.error?.message).toMatch(/after 3 attempts: .*HTTP 503/);
    expect(server.requests.filter((r) => r.method === "GET")).toHaveLength(3);
  });

  it("stop() during a reconnect: no further request, the server is told, status stopped", async () => {
    server = await startTestServer({
      perTick: 1,
      tickMs: 5,
      cutAfter: (n) => (n === 0 ? 300 : undefined),
      eventsStatus: () => 503,
    });
    const client = createRunClient({
      baseUrl: server.url,
      reconnect: { minDelayMs: 200, maxDelayMs: 200, retries: 5 },
    });
    const run = client.run("a", "go", {});
    const done = run.result();
    await until(() => run.status === "reconnecting");
    await until(() => server?.requests.some((r) => r.method === "GET") === true);
    await until(() => run.status === "reconnecting");
    const gets = server.requests.filter((r) => r.method === "GET").length;
    await run.stop();
    expect(run.status).toBe("stopped");
    const state = await done;
    expect(state.status).toBe("interrupted");
    expect(server.stops).toEqual([run.threadId]);
    await run.stop(); // a second stop (Stop, then unmounting): the server is not asked again
    expect(server.stops).toEqual([run.threadId]);
    await new Promise((r) => setTimeout(r, 300));
    expect(server.requests.filter((r) => r.method === "GET")).toHaveLength(gets);
  });

  it("leaving the loop early cancels the body: the server sees the socket close", async () => {
    server = await startTestServer({
      script: (_a, input) => tokenRun(100_000, String(input.runId), String(input.threadId)),
      perTick: 1,
      tickMs: 2,
    });
    const client = createRunClient({ baseUrl: server.url });
    const run = client.run("a", "go");
    let n = 0;
    for await (const _ of run) if (++n === 5) break;
    await until(() => server?.connections[0]?.closedByClient === true, 2_000);
    expect(run.status).toBe("stopped");
    expect(server.stops).toEqual([]); // a detach, not a stop
  });

  it("an aborted signal closes the connection and is not retried", async () => {
    server = await startTestServer({
      script: (_a, i) => tokenRun(100_000, String(i.runId)),
      perTick: 1,
      tickMs: 2,
    });
    const ac = new AbortController();
    const client = createRunClient({ baseUrl: server.url });
    const run = client.run("a", "go", { signal: ac.signal });
    const done = run.result();
    await until(() => (run.lastEventId ?? 0) > 3);
    ac.abort();
    await done;
    expect(run.status).toBe("stopped");
    await until(() => server?.connections[0]?.closedByClient === true, 2_000);
    expect(server.connections).toHaveLength(1);
  });

  it("attach(after) delivers only the later events; 404 for an unknown thread", async () => {
    server = await startTestServer();
    const client = createRunClient({ baseUrl: server.url });
    await client.run("a", { threadId: "t9" }).result();
    const late = await all(client.attach("a", "t9", { after: 20 }));
    expect(late.map((e) => e.type)).toEqual([
      "TEXT_MESSAGE_CONTENT",
      "TEXT_MESSAGE_CONTENT",
      "TEXT_MESSAGE_END",
      "RUN_FINISHED",
    ]);
    const unknown = client.attach("a", "nope");
    await expect(all(unknown)).rejects.toMatchObject({ code: "not_found", status: 404 });
  });

  it("skips malformed frames, counts them, and goes on", async () => {
    server = await startTestServer({
      script: () => [
        '{"type":"RUN_STARTED","threadId":"t","runId":"r"}',
        "{not json",
        "[1,2]",
        ...tokenRun(3)
          .slice(1)
          .map((e) => JSON.stringify(e)),
      ],
    });
    const client = createRunClient({ baseUrl: server.url });
    const run = client.run("a", "go");
    const events = await all(run);
    expect(run.malformed).toBe(2);
    expect(deltas(events)).toBe(tokenText(3));
    expect(run.status).toBe("done");
  });

  it("an agent's RUN_ERROR ends the run with status error; an unknown agent is HTTP 404", async () => {
    server = await startTestServer({
      script: (agentId) =>
        agentId === "nobody"
          ? undefined
          : [
              { type: "RUN_STARTED", threadId: "t", runId: "r" },
              { type: "RUN_ERROR", message: "the agent broke" },
            ],
    });
    const client = createRunClient({ baseUrl: server.url });
    const run = client.run("failing", "x");
    await run.result();
    expect(run.status).toBe("error");
    expect(run.error?.message).toBe("the agent broke");
    const missing = client.run("nobody", "x");
    await missing.result();
    expect(missing.error?.message).toMatch(/HTTP 404 Unknown agent nobody/);
    expect(server.requests.filter((r) => r.url.includes("nobody"))).toHaveLength(1);
  });

  it("stop(agentId, threadId) answers the run id, or undefined when nothing runs", async () => {
    server = await startTestServer({ perTick: 1, tickMs: 20 });
    const client = createRunClient({ baseUrl: server.url });
    const run = client.run("a", { threadId: "t5", runId: "r5" });
    const done = run.result();
    await until(() => (run.lastEventId ?? 0) > 1);
    expect(await client.stop("a", "t5")).toBe("r5");
    await done;
    expect(run.status).toBe("done");
    expect(await client.stop("a", "t5")).toBeUndefined();
  });
});
