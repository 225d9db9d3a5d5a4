/**
 * Thread capabilities against a real server: the run that creates a thread hands out a token and
 * a session cookie; everyone else gets what an unknown thread gets, on every route.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineAgent } from "../src/index.js";
import { MemoryLogStore } from "../src/runner/memory-store.js";
import { sessionOf } from "./client-fetch.js";
import { forever } from "./fixtures.js";
import { runInput, type Started, startServer } from "./helpers.js";

const asker = defineAgent({
  name: "asker",
  description: "Asks, then says what it got.",
  async *run(_input, ctx) {
    const way = await ctx.ask<string>({ prompt: "Which way?", choices: ["Left", "Right"] });
    yield `went ${way}`;
  },
});

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const json = { "content-type": "application/json" };

/** Starts a run on the plain route and reads until its first event; the response stays open. */
async function startPlain(s: Started, agent: string, body: object, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(`${s.url}/api/agents/${agent}/run`, {
    method: "POST",
    headers: { ...json, ...headers },
    body: JSON.stringify(body),
    signal: controller.signal,
  });
  const reader = response.body?.getReader();
  const first = reader ? new TextDecoder().decode((await reader.read()).value) : "";
  /** Reads on until the stream so far contains `needle`; returns what was read. */
  const until = async (needle: string) => {
    let text = first;
    while (reader && !text.includes(needle)) text += new TextDecoder().decode((await reader.read()).value);
    return text;
  };
  return { response, first, until, close: () => controller.abort() };
}

async function errorOf(response: Response) {
  return {
    status: response.status,
    body: (await response.json()) as { error: { code: string; message: string } },
  };
}

describe("thread capabilities (the default)", () => {
  let s: Started;
  beforeAll(async () => {
    s = await startServer({ agents: { forever, asker } });
  });
  afterAll(() => s.close());

  it("the creating run gets a token (header and first frame) and an HttpOnly session cookie", async () => {
    const { threadId: _omitted, ...input } = runInput("hi");
    const run = await startPlain(s, "forever", input);
    try {
      const token = run.response.headers.get("x-thread-token") ?? "";
      expect(token).toMatch(TOKEN);
      expect(run.first).toContain(`: thread-token ${token}`);
      const cookie = run.response.headers.getSetCookie()[0] ?? "";
      expect(cookie).toMatch(
        /^agentstream_session=[\w-]+\.[\w-]+; Path=\/api; Max-Age=\d+; HttpOnly; SameSite=Lax$/,
      );
      // A thread id the client omitted is generated (a UUID).
      expect(run.response.headers.get("x-thread-id")).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      run.close();
    }
  });

  it("a stranger gets the unknown thread's 404 on events, stop, answer and a new run; the run goes on", async () => {
    const input = runInput("hi");
    const run = await startPlain(s, "forever", input);
    const thread = `${s.url}/api/agents/forever/threads/${input.threadId}`;
    const unknown = `${s.url}/api/agents/forever/threads/never-was`;
    try {
      const strangers = [
        fetch(`${thread}/events`),
        fetch(`${thread}/stop`, { method: "POST", headers: json, body: "{}" }),
        fetch(`${thread}/answer`, {
          method: "POST",
          headers: json,
          body: JSON.stringify({ askId: "a", value: 1 }),
        }),
        fetch(`${s.url}/api/agents/forever/run`, {
          method: "POST",
          headers: json,
          body: JSON.stringify({ ...runInput("again"), threadId: input.threadId }),
        }),
      ];
      for (const answer of await Promise.all(strangers)) {
        const got = await errorOf(answer);
        expect(got.status).toBe(404);
        expect(got.body.error.code).toBe("unknown_thread");
      }
      // The same answer as a thread that does not exist (ids aside).
      const none = await errorOf(await fetch(`${unknown}/events`));
      const mine = await errorOf(await fetch(`${thread}/events`));
      expect(mine.body.error.message.replace(input.threadId, "X")).toBe(
        none.body.error.message.replace("never-was", "X"),
      );
      // A token of another thread, a forged cookie: still 404.
      const other = await startPlain(s, "forever", runInput("other"));
      other.close();
      const wrongToken = await fetch(`${thread}/events`, {
        headers: { "x-thread-token": other.response.headers.get("x-thread-token") ?? "" },
      });
      expect(wrongToken.status).toBe(404);
      const cookie = sessionOf(run.response).cookie ?? "";
      const forged = await fetch(`${thread}/events`, { headers: { cookie: `${cookie.slice(0, -2)}xx` } });
      expect(forged.status).toBe(404);
      const health = (await (await fetch(`${s.url}/healthz`)).json()) as { activeStreams: number };
      expect(health.activeStreams).toBeGreaterThanOrEqual(1); // nothing a stranger sent stopped it
    } finally {
      run.close();
      await fetch(`${thread}/stop`, {
        method: "POST",
        headers: { ...json, ...sessionOf(run.response) },
        body: "{}",
      });
    }
  });

  it("the token alone (no cookie) and the cookie alone (no token) each open the thread", async () => {
    const input = runInput("hi");
    const run = await startPlain(s, "forever", input);
    run.close();
    const thread = `${s.url}/api/agents/forever/threads/${input.threadId}`;
    const token = run.response.headers.get("x-thread-token") ?? "";
    const byToken = await fetch(`${thread}/events?after=1`, { headers: { "x-thread-token": token } });
    expect(byToken.status).toBe(200);
    await byToken.body?.cancel();
    const byCookie = await fetch(`${thread}/events?after=1`, { headers: sessionOf(run.response) });
    expect(byCookie.status).toBe(200);
    await byCookie.body?.cancel();
    const stop = await fetch(`${thread}/stop`, {
      method: "POST",
      headers: { ...json, "x-thread-token": token },
      body: "{}",
    });
    expect(stop.status).toBe(200);
  });

  it("answers: only the creator's answer reaches the waiting generator", async () => {
    const input = runInput("ask");
    const run = await startPlain(s, "asker", input);
    const thread = `${s.url}/api/agents/asker/threads/${input.threadId}`;
    const text = await run.until('"agentstream.ask"');
    const snapshot = text.split("\n").find((line) => line.includes('"agentstream.ask"')) ?? "";
    const askId = (JSON.parse(snapshot.slice("data: ".length)) as { content: { id: string } }).content.id;
    const body = JSON.stringify({ askId, value: "Left" });
    const stranger = await fetch(`${thread}/answer`, { method: "POST", headers: json, body });
    expect(stranger.status).toBe(404);
    const creator = await fetch(`${thread}/answer`, {
      method: "POST",
      headers: { ...json, ...sessionOf(run.response) },
      body,
    });
    expect(creator.status).toBe(200);
    run.close();
  });

  it("CopilotKit's connect shows a stranger an empty thread and its stop a 404; the creator's cookie works", async () => {
    const input = runInput("hi");
    const controller = new AbortController();
    const run = await fetch(`${s.url}/api/copilotkit/agent/forever/run`, {
      method: "POST",
      headers: json,
      body: JSON.stringify(input),
      signal: controller.signal,
    });
    expect(run.headers.get("x-thread-token")).toMatch(TOKEN);
    await run.body?.getReader().read();
    controller.abort();
    const connect = (headers: Record<string, string>) =>
      fetch(`${s.url}/api/copilotkit/agent/forever/connect`, {
        method: "POST",
        headers: { ...json, ...headers },
        body: JSON.stringify(input),
        signal: AbortSignal.timeout(1_000),
      });
    const stranger = await connect({});
    expect(stranger.status).toBe(200);
    expect(await stranger.text()).not.toContain("RUN_STARTED");
    const mine = await connect(sessionOf(run));
    const reader = mine.body?.getReader();
    const first = new TextDecoder().decode((await reader?.read())?.value);
    expect(first).toContain("RUN_STARTED");
    await reader?.cancel();
    const stop = (headers: Record<string, string>) =>
      fetch(`${s.url}/api/copilotkit/agent/forever/stop/${input.threadId}`, {
        method: "POST",
        headers: { ...json, ...headers },
        body: "{}",
      });
    expect((await stop({})).status).toBe(404);
    expect((await stop(sessionOf(run))).status).toBe(200);
  });

  it("the seed route's thread frame carries the token; a resume needs it or the cookie", async () => {
    const controller = new AbortController();
    const res = await fetch(`${s.url}/api/agents/forever/stream?command=go`, { signal: controller.signal });
    const reader = res.body?.getReader();
    let text = "";
    while (!text.includes("\n\n")) text += new TextDecoder().decode((await reader?.read())?.value);
    controller.abort();
    const frame = JSON.parse(/data: (.*)/.exec(text)?.[1] ?? "{}") as {
      threadId: string;
      threadToken: string;
    };
    expect(frame.threadToken).toBe(res.headers.get("x-thread-token"));
    const resume = (headers: Record<string, string>) =>
      fetch(`${s.url}/api/agents/forever/stream?thread=${frame.threadId}&after=1`, {
        headers,
        signal: AbortSignal.timeout(500),
      });
    expect((await resume({})).status).toBe(404);
    const mine = await resume({ "x-thread-token": frame.threadToken });
    expect(mine.status).toBe(200);
    await mine.body?.cancel();
    await fetch(`${s.url}/api/agents/forever/threads/${frame.threadId}/stop`, {
      method: "POST",
      headers: { ...json, "x-thread-token": frame.threadToken },
      body: "{}",
    });
  });
});

describe("other access modes", () => {
  it('threadAccess "open": no token, no cookie, anyone who knows the id may follow', async () => {
    const s = await startServer({ agents: { forever }, threadAccess: "open" });
    try {
      const input = runInput("hi");
      const run = await startPlain(s, "forever", input);
      run.close();
      expect(run.response.headers.get("x-thread-token")).toBeNull();
      expect(run.response.headers.getSetCookie()).toEqual([]);
      const stop = await fetch(`${s.url}/api/agents/forever/threads/${input.threadId}/stop`, {
        method: "POST",
        headers: json,
        body: "{}",
      });
      expect(stop.status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it("authorize decides instead of capabilities (403 when it refuses)", async () => {
    const s = await startServer({
      agents: { forever },
      authorize: ({ request, action }) => action === "run" || request.headers.get("x-user") === "ada",
    });
    try {
      const input = runInput("hi");
      const run = await startPlain(s, "forever", input);
      run.close();
      expect(run.response.headers.get("x-thread-token")).toBeNull();
      const thread = `${s.url}/api/agents/forever/threads/${input.threadId}`;
      expect((await fetch(`${thread}/stop`, { method: "POST", headers: json, body: "{}" })).status).toBe(403);
      const ada = await fetch(`${thread}/stop`, {
        method: "POST",
        headers: { ...json, "x-user": "ada" },
        body: "{}",
      });
      expect(ada.status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it("a configured threadSecret makes tokens that another server with the same secret accepts", async () => {
    const threadSecret = "x".repeat(40);
    const a = await startServer({ agents: { forever }, threadSecret });
    const b = await startServer({ agents: { forever }, threadSecret });
    const c = await startServer({ agents: { forever } });
    try {
      const tokenOn = async (s: Started, threadId: string) => {
        const run = await startPlain(s, "forever", { ...runInput("hi"), threadId });
        run.close();
        await fetch(`${s.url}/api/agents/forever/threads/${threadId}/stop`, {
          method: "POST",
          headers: { ...json, "x-thread-token": run.response.headers.get("x-thread-token") ?? "" },
          body: "{}",
        });
        return run.response.headers.get("x-thread-token");
      };
      expect(await tokenOn(a, "same-id")).toBe(await tokenOn(b, "same-id"));
      expect(await tokenOn(c, "same-id")).not.toBe(await tokenOn(a, "same-id-2"));
      await expect(startServer({ agents: { forever }, threadSecret: "short" })).rejects.toThrow(
        /at least 32/,
      );
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it("a run meant to create a thread that another run created first is refused by the store", () => {
    const store = new MemoryLogStore();
    const claim = { threadId: "t", agentId: "a", runId: "r1", token: "i|r1", creator: "k1" };
    expect(store.claim(claim).claimed).toBe(true);
    store.append(claim, 1, [], { history: [], historyJson: "[]", seen: [] });
    expect(store.claim({ ...claim, runId: "r2", creator: "k2" }).claimed).toBe(false);
    expect(store.thread("t")?.creator).toBe("k1");
    expect(store.claim({ threadId: "t", agentId: "a", runId: "r3", token: "i|r3" }).claimed).toBe(true);
  });
});
