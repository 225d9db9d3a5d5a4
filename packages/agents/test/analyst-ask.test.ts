/**
 * The analyst asks (ctx.ask) which column to summarise when a CSV has several numeric ones, over
 * the plain route of the real server. (Moved from the runtime's ask tests with the agent.)
 */
import { parseSse } from "@agentstream/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actAsOneClient } from "../../runtime/test/client-fetch.js";
import { analystAgent } from "../src/index.js";
import { plainRunUrl, runInput, type Started, startServer, waitFor } from "./helpers.js";

/** One client: every fetch keeps the session cookie of the threads it creates. */
actAsOneClient();

interface Ev {
  id: number;
  type: string;
  [key: string]: unknown;
}

let s: Started;
beforeAll(async () => {
  s = await startServer({ agents: [analystAgent], heartbeatMs: 40, detachedRunMs: 2_000 });
});
afterAll(async () => {
  await s.close();
});

function startRun(agent: string, input = runInput("go")) {
  const events: Ev[] = [];
  const done = (async () => {
    const res = await fetch(plainRunUrl(s.url, agent), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    expect(res.status).toBe(200);
    for await (const msg of parseSse(res.body as ReadableStream<Uint8Array>))
      events.push({ id: Number(msg.id), ...(JSON.parse(msg.data) as { type: string }) });
  })();
  return { input, events, done };
}

const asks = (events: Ev[]) =>
  events
    .filter((e) => e.type === "ACTIVITY_SNAPSHOT" && e.activityType === "agentstream.ask")
    .map((e) => e.content as { id: string; prompt: string; state: string });

async function openAsk(events: Ev[]) {
  expect(await waitFor(() => asks(events).some((a) => a.state === "open"))).toBe(true);
  return asks(events).find((a) => a.state === "open") as { id: string; prompt: string };
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

describe("analyst asks", () => {
  it("analyst: CSV with two numeric columns asks which one to summarise and goes on with it", async () => {
    const csv = "city,sales,visits\nParis,120,10\nLyon,80,30\nBoston,200,20";
    const run = startRun("analyst", runInput(`Analyze this:\n${csv}`));
    const ask = await openAsk(run.events);
    expect(ask).toMatchObject({
      prompt: "Which column should I summarise?",
      choices: [
        { label: "sales", value: "sales" },
        { label: "visits", value: "visits" },
      ],
    });
    expect((await answer("analyst", run.input.threadId, { askId: ask.id, value: "visits" })).status).toBe(
      200,
    );
    await run.done;
    expect(text(run.events)).toMatch(/^visits: from 10 to 30, mean 20/);
    expect(run.events.at(-1)?.type).toBe("RUN_FINISHED");
  });
});
