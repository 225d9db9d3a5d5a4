/**
 * examples/hono as a user gets it: installed with npm from our packed tarballs and started with
 * `node server.mjs` (Hono on @hono/node-server, `app.all("/api/*", (c) => handler.fetch(c.req.raw))`).
 * There is no page: the API is driven with fetch, and with the example's own run-client script.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freePort,
  npmInstall,
  prepare,
  printTimings,
  type RunningServer,
  run,
  startServer,
  timed,
  type Workspace,
} from "./harness.js";

const NAME = "hono";

type Event = { type: string; [key: string]: unknown };

/** Reads an SSE response event by event, with the time each arrived. */
async function* sse(res: Response): AsyncGenerator<{ event: Event; at: number }> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trim())
        .join("\n");
      if (data) yield { event: JSON.parse(data) as Event, at: performance.now() };
      end = buffer.indexOf("\n\n");
    }
  }
}

const runBody = (threadId: string, prompt: string) =>
  JSON.stringify({
    threadId,
    runId: `${threadId}-run`,
    messages: [{ id: `${threadId}-m1`, role: "user", content: prompt }],
    tools: [],
    context: [],
    state: {},
    forwardedProps: {},
  });

describe("examples/hono", () => {
  let ws: Workspace | undefined;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    ws = await prepare(NAME);
    await npmInstall(NAME, ws);
    const port = await freePort();
    server = await timed(NAME, "start node server.mjs", () =>
      startServer(process.execPath, ["server.mjs"], { cwd: ws!.dir, port, readyPath: "/api/agents" }),
    );
  });

  afterAll(async () => {
    await server?.stop();
    if (ws) await timed(NAME, "remove the temporary copy", async () => ws?.remove());
    printTimings(NAME);
  });

  it("lists the agents under /api on the Hono app", async () => {
    const res = await fetch(`${server!.url}/api/agents`);
    expect(res.status).toBe(200);
    const { agents } = (await res.json()) as { agents: { id: string }[] };
    expect(agents.map((a) => a.id)).toEqual(["counter"]);
    // Hono's own routes live beside the API; unknown API paths get the runtime's JSON error.
    expect((await fetch(`${server!.url}/`)).status).toBe(200);
    const missing = await fetch(`${server!.url}/api/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it("streams a run token by token, and Stop ends the generator", async () => {
    await timed(NAME, "fetch: stream and stop a run", async () => {
      const threadId = `hono-${Date.now()}`;
      const res = await fetch(`${server!.url}/api/agents/counter/run`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream" },
        body: runBody(threadId, "200"),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const threadToken = res.headers.get("x-thread-token") ?? "";
      const tokens: { delta: string; at: number }[] = [];
      const types: string[] = [];
      let stopped: Response | undefined;
      for await (const { event, at } of sse(res)) {
        types.push(event.type);
        if (event.type === "TEXT_MESSAGE_CONTENT") tokens.push({ delta: String(event.delta), at });
        if (tokens.length === 10 && !stopped) {
          stopped = await fetch(`${server!.url}/api/agents/counter/threads/${threadId}/stop`, {
            method: "POST",
            // The thread's capability, from the run that created it.
            headers: { "content-type": "application/json", "x-thread-token": threadToken },
            body: "{}",
          });
        }
      }
      expect(stopped?.status).toBe(200);
      // The tokens arrived one by one (50 ms apart on the server), not in one burst at the end.
      const spread = tokens[9]!.at - tokens[0]!.at;
      expect(spread, "ms between the 1st and the 10th token").toBeGreaterThan(250);
      expect(tokens.map((t) => t.delta.trim()).slice(0, 10)).toEqual([
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "10",
      ]);
      expect(tokens.length).toBeLessThan(200);
      expect(types[types.length - 1]).toBe("RUN_FINISHED");
      const closed = await server!.waitForLine(
        new RegExp(`generator closed after (\\d+) of 200 \\(thread ${threadId}\\)`),
      );
      expect(Number(/after (\d+) of/.exec(closed)?.[1])).toBeLessThan(200);
      // The thread's log replays the stopped run (what a reconnecting client reads).
      const replay = await fetch(`${server!.url}/api/agents/counter/threads/${threadId}/events`, {
        headers: { accept: "text/event-stream", "x-thread-token": threadToken },
      });
      expect(replay.status).toBe(200);
      const replayed: string[] = [];
      for await (const { event } of sse(replay))
        if (event.type === "TEXT_MESSAGE_CONTENT") replayed.push(String(event.delta));
      expect(replayed.length).toBe(tokens.length);
    });
  });

  it("runs from the terminal with the example's client (core's run client)", async () => {
    const output = await timed(NAME, "node client.mjs 5", () =>
      run(process.execPath, ["client.mjs", "5"], {
        cwd: ws!.dir,
        env: { BASE_URL: server!.url },
        timeoutMs: 30_000,
      }),
    );
    expect(output).toContain("1 2 3 4 5");
    expect(output).toMatch(/done \(completed\)/);
  });
});
