import { parseSse } from "@agentstream/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AskTimeoutError, defineAgent } from "../src/index.js";
import { actAsOneClient } from "./client-fetch.js";
import { plainRunUrl, runInput, type Started, startServer, waitFor } from "./helpers.js";

/** One client: every fetch keeps the session cookie of the threads it creates (see client-fetch.ts). */
actAsOneClient();

const finallyRan = new Set<string>();

const asker = defineAgent({
  name: "asker",
  description: "Asks which way, then says it.",
  async *run(input, ctx) {
    try {
      yield "Let me ask. ";
      const way = await ctx.ask<string>({ prompt: "Which way?", choices: ["Left", "Right"] });
      yield `Going ${way}.`;
      return { way };
    } finally {
      finallyRan.add(input.runId);
    }
  },
});

const counter = defineAgent({
  name: "how-many",
  description: "Free input with a schema.",
  async *run(_input, ctx) {
    const n = await ctx.ask<number>({
      prompt: "How many?",
      schema: { type: "integer", minimum: 1, maximum: 9 },
    });
    yield `n=${n}`;
  },
});

const twice = defineAgent({
  name: "twice",
  description: "Two questions in one run.",
  async *run(_input, ctx) {
    const a = await ctx.ask<string>({ prompt: "First?", choices: ["a1", "a2"] });
    yield `first=${a} `;
    const b = await ctx.ask<string>({ prompt: "Second?" });
    yield `second=${b}`;
    return { a, b };
  },
});

const impatient = defineAgent({
  name: "impatient",
  description: "Times out, uncaught.",
  async *run(_input, ctx) {
    yield "asking ";
    await ctx.ask({ prompt: "Quick, yes or no?", choices: ["yes", "no"], timeoutMs: 120 });
  },
});

const patient = defineAgent({
  name: "patient",
  description: "Times out, caught.",
  async *run(_input, ctx) {
    try {
      await ctx.ask({ prompt: "Anyone?", timeoutMs: 80 });
    } catch (error) {
      yield error instanceof AskTimeoutError ? `timed out: ${error.message}` : "other";
    }
  },
});

interface Ev {
  id: number;
  type: string;
  [key: string]: unknown;
}

let s: Started;
beforeAll(async () => {
  s = await startServer({
    agents: [asker, counter, twice, impatient, patient],
    heartbeatMs: 40,
    detachedRunMs: 2_000,
  });
});
afterAll(async () => {
  await s.close();
});

/** Starts a run on the plain route and collects its events (and heartbeats) in the background. */
function startRun(agent: string, input = runInput("go"), url?: string) {
  const events: Ev[] = [];
  const controller = new AbortController();
  let heartbeats = 0;
  const done = (async () => {
    const res = await fetch(url ?? plainRunUrl(s.url, agent), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body as ReadableStream<Uint8Array>;
    const decoder = new TextDecoder();
    const [a, b] = reader.tee();
    void (async () => {
      for await (const chunk of b) if (decoder.decode(chunk).includes(": heartbeat")) heartbeats++;
    })().catch(() => {});
    for await (const msg of parseSse(a, { signal: controller.signal }))
      events.push({ id: Number(msg.id), ...(JSON.parse(msg.data) as { type: string }) });
  })().catch((error: unknown) => {
    if (!controller.signal.aborted) throw error;
  });
  return { input, events, done, controller, heartbeats: () => heartbeats };
}

const asks = (events: Ev[]) =>
  events
    .filter((e) => e.type === "ACTIVITY_SNAPSHOT" && e.activityType === "agentstream.ask")
    .map(
      (e) => e.content as { id: string; prompt: string; state: string; value?: unknown; choices?: unknown },
    );

async function openAsk(events: Ev[], index = 0) {
  expect(await waitFor(() => asks(events).filter((a) => a.state === "open").length > index)).toBe(true);
  return asks(events).filter((a) => a.state === "open")[index] as { id: string; prompt: string };
}

function answer(agent: string, threadId: string, body: unknown) {
  return fetch(`${s.url}/api/agents/${agent}/threads/${threadId}/answer`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

const text = (events: Ev[]) =>
  events
    .filter((e) => e.type === "TEXT_MESSAGE_CONTENT")
    .map((e) => e.delta)
    .join("");

describe("ctx.ask on the plain route", () => {
  it("sends the question, keeps the stream open with heartbeats, and resumes the same generator with the answer", async () => {
    const run = startRun("asker");
    const ask = await openAsk(run.events);
    expect(ask).toMatchObject({
      prompt: "Which way?",
      choices: [
        { label: "Left", value: "Left" },
        { label: "Right", value: "Right" },
      ],
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(run.heartbeats()).toBeGreaterThan(0);
    expect(run.events.some((e) => e.type === "RUN_FINISHED")).toBe(false);
    const res = await answer("asker", run.input.threadId, { askId: ask.id, value: "Right" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ answered: true, askId: ask.id });
    await run.done;
    expect(text(run.events)).toBe("Let me ask. Going Right.");
    expect(asks(run.events).map((a) => a.state)).toEqual(["open", "answered"]);
    expect(asks(run.events)[1]?.value).toBe("Right");
    const finished = run.events.at(-1);
    expect(finished).toMatchObject({ type: "RUN_FINISHED", result: { way: "Right" } });
    expect(finallyRan.has(run.input.runId)).toBe(true);
  });

  it("answers 404 for an unknown question or thread, 422 naming why the value does not fit, 409 once answered", async () => {
    const run = startRun("asker");
    const ask = await openAsk(run.events);
    const tid = run.input.threadId;
    const unknown = await answer("asker", tid, { askId: "ask_nope", value: "Left" });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("unknown_ask");
    expect((await answer("asker", "no-such-thread", { askId: ask.id, value: "Left" })).status).toBe(404);
    const bad = await answer("asker", tid, { askId: ask.id, value: "Up" });
    expect(bad.status).toBe(422);
    const badBody = (await bad.json()) as { error: { code: string; message: string } };
    expect(badBody.error.code).toBe("invalid_answer");
    expect(badBody.error.message).toBe(
      'The answer does not fit: value must be one of "Left", "Right", got the string "Up"',
    );
    expect((await answer("asker", tid, { askId: ask.id })).status).toBe(422);
    expect((await answer("asker", tid, { askId: ask.id, value: "Left" })).status).toBe(200);
    const again = await answer("asker", tid, { askId: ask.id, value: "Left" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: "ask_closed",
      message: `Question "${ask.id}" was already answered`,
    });
    await run.done;
    expect(text(run.events)).toBe("Let me ask. Going Left.");
    // after the run: still 409 for its questions
    expect((await answer("asker", tid, { askId: ask.id, value: "Left" })).status).toBe(409);
  });

  it("checks free input against the question's schema", async () => {
    const run = startRun("how-many");
    const ask = await openAsk(run.events);
    const bad = await answer("how-many", run.input.threadId, { askId: ask.id, value: 12 });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /value must be at most 9/,
    );
    expect((await answer("how-many", run.input.threadId, { askId: ask.id, value: 3 })).status).toBe(200);
    await run.done;
    expect(text(run.events)).toBe("n=3");
  });

  it("asks twice in one run", async () => {
    const run = startRun("twice");
    const first = await openAsk(run.events, 0);
    expect((await answer("twice", run.input.threadId, { askId: first.id, value: "a2" })).status).toBe(200);
    const second = await openAsk(run.events, 1);
    expect(second.prompt).toBe("Second?");
    expect(second.id).not.toBe(first.id);
    expect((await answer("twice", run.input.threadId, { askId: second.id, value: "free text" })).status).toBe(
      200,
    );
    await run.done;
    expect(text(run.events)).toBe("first=a2 second=free text");
    expect(run.events.at(-1)).toMatchObject({ type: "RUN_FINISHED", result: { a: "a2", b: "free text" } });
  });

  it("times out: uncaught, the run ends with an error naming the question; the question shows expired", async () => {
    const run = startRun("impatient");
    await run.done;
    expect(asks(run.events).map((a) => a.state)).toEqual(["open", "expired"]);
    expect(run.events.at(-1)).toMatchObject({
      type: "RUN_ERROR",
      message: 'No answer to "Quick, yes or no?" within 120 ms',
    });
    const ask = asks(run.events)[0] as { id: string };
    const late = await answer("impatient", run.input.threadId, { askId: ask.id, value: "yes" });
    expect(late.status).toBe(409);
  });

  it("times out: the agent can catch the AskTimeoutError and go on", async () => {
    const run = startRun("patient");
    await run.done;
    expect(text(run.events)).toBe('timed out: No answer to "Anyone?" within 80 ms');
    expect(run.events.at(-1)?.type).toBe("RUN_FINISHED");
  });

  it("stop while waiting: the generator's finally runs, the question is cancelled, the run ends interrupted", async () => {
    const run = startRun("asker");
    const ask = await openAsk(run.events);
    const stop = await fetch(`${s.url}/api/agents/asker/threads/${run.input.threadId}/stop`, {
      method: "POST",
    });
    expect(stop.status).toBe(200);
    await run.done;
    expect(finallyRan.has(run.input.runId)).toBe(true);
    expect(asks(run.events).map((a) => a.state)).toEqual(["open", "cancelled"]);
    const tail = run.events.slice(-2);
    expect(tail[0]).toMatchObject({ type: "CUSTOM", name: "agentstream.interrupted" });
    expect(tail[1]?.type).toBe("RUN_FINISHED");
    const late = await answer("asker", run.input.threadId, { askId: ask.id, value: "Left" });
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { details: { state: string } } }).error.details.state).toBe(
      "cancelled",
    );
  });

  it("answer after a reconnect: the reattached reader sees the open question again and gets the rest", async () => {
    const run = startRun("asker");
    const ask = await openAsk(run.events);
    const seen = run.events.at(-1)?.id ?? 0;
    run.controller.abort(); // the client goes away; the run waits (detached-run rule)
    await run.done;
    // a new client replays the run from its start: the open question is there
    const replay = await fetch(`${s.url}/api/agents/asker/threads/${run.input.threadId}/events`);
    const events: Ev[] = [];
    const reading = (async () => {
      for await (const msg of parseSse(replay.body as ReadableStream<Uint8Array>))
        events.push({ id: Number(msg.id), ...(JSON.parse(msg.data) as { type: string }) });
    })();
    expect((await openAsk(events)).id).toBe(ask.id);
    expect(events.some((e) => e.id === seen)).toBe(true);
    expect((await answer("asker", run.input.threadId, { askId: ask.id, value: "Left" })).status).toBe(200);
    await reading;
    expect(text(events)).toBe("Let me ask. Going Left.");
    expect(events.at(-1)?.type).toBe("RUN_FINISHED");
  });

  it("takes the answer on the CopilotKit base path too (what the chat's AskCard posts)", async () => {
    const run = startRun("asker");
    const ask = await openAsk(run.events);
    const res = await fetch(`${s.url}/api/copilotkit/agent/asker/answer/${run.input.threadId}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ askId: ask.id, value: "Left" }),
    });
    expect(res.status).toBe(200);
    await run.done;
    expect(text(run.events)).toBe("Let me ask. Going Left.");
  });

  it("a run started through CopilotKit's run route: the answer reaches the same waiting generator", async () => {
    const input = runInput("go");
    const run = startRun("asker", input, `${s.url}/api/copilotkit/agent/asker/run`);
    const ask = await openAsk(run.events);
    const res = await fetch(`${s.url}/api/copilotkit/agent/asker/answer/${input.threadId}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ askId: ask.id, value: "Left" }),
    });
    expect(res.status).toBe(200);
    await run.done;
    expect(text(run.events)).toBe("Let me ask. Going Left.");
    expect(asks(run.events).at(-1)).toMatchObject({ id: ask.id, state: "answered", value: "Left" });
  });
});
