/**
 * `GET /api/agents/:agentId/stream` (seed 004, EventSource): named events, ids that let
 * EventSource's own reconnect resume the run through the runner, and the same errors, auth and
 * limits as the other routes.
 */
import { get } from "node:http";
import type { BaseEvent } from "@ag-ui/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineAgent } from "../src/index.js";
import { seedFrames } from "../src/seed/seed-route.js";
import { actAsOneClient } from "./client-fetch.js";
import { type Started, startServer } from "./helpers.js";

/** One client: every fetch keeps the session cookie of the threads it creates (see client-fetch.ts). */
actAsOneClient();

const ticker = defineAgent({
  name: "ticker",
  description: "ten tokens, 30 ms apart",
  async *run(input, ctx) {
    yield { type: "progress", step: 1, total: 10, message: `Working on ${input.prompt}` };
    for (let i = 0; i < 10; i++) {
      await ctx.sleep(30);
      yield `t${i} `;
    }
    return "done";
  },
});

interface Frame {
  id?: string;
  event?: string;
  data?: Record<string, unknown>;
}

function parseFrames(text: string): Frame[] {
  const frames: Frame[] = [];
  for (const block of text.split("\n\n")) {
    const f: Frame = {};
    for (const line of block.split("\n")) {
      if (line.startsWith("id: ")) f.id = line.slice(4);
      else if (line.startsWith("event: ")) f.event = line.slice(7);
      else if (line.startsWith("data: ")) f.data = JSON.parse(line.slice(6));
    }
    if (f.id !== undefined || f.event !== undefined) frames.push(f);
  }
  return frames;
}

/** Reads a response's frames; stops (and disconnects) once `until` holds. */
async function readFrames(res: Response, until?: (frames: Frame[]) => boolean): Promise<Frame[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    const complete = text.slice(0, text.lastIndexOf("\n\n") + 2);
    if (until?.(parseFrames(complete))) {
      await reader.cancel();
      return parseFrames(complete);
    }
  }
  return parseFrames(text);
}

const tokens = (frames: Frame[]) => frames.filter((f) => f.event === "token").map((f) => f.data?.token);

let s: Started;
let authed: Started;
beforeAll(async () => {
  s = await startServer({ agents: { ticker }, corsOrigins: ["https://trusted.example"] });
  authed = await startServer({ agents: { ticker }, authToken: "sekret" });
});
afterAll(async () => {
  await s.close();
  await authed.close();
});

const streamUrl = (base: string, query: string) => `${base}/api/agents/ticker/stream?${query}`;

describe("GET /api/agents/:agentId/stream", () => {
  it("opens with the thread, then named events whose ids are <threadId>:<eventId>", async () => {
    const res = await fetch(streamUrl(s.url, "command=hello&messageId=m-1"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const threadId = res.headers.get("x-thread-id") as string;
    expect(threadId).toMatch(/^[0-9a-f-]{36}$/);
    const frames = await readFrames(res);
    expect(frames[0]).toEqual({
      event: "thread",
      data: { threadId, runId: res.headers.get("x-run-id"), threadToken: res.headers.get("x-thread-token") },
    });
    expect(frames[1]).toMatchObject({
      event: "progress",
      data: {
        type: "progress",
        data: { step: 1, total: 10, message: "Working on hello" },
        step: 1,
        total: 10,
      },
    });
    expect(tokens(frames).join("")).toBe("t0 t1 t2 t3 t4 t5 t6 t7 t8 t9 ");
    const ids = frames.slice(1).map((f) => Number(f.id?.split(":")[1]));
    for (const f of frames.slice(1)) expect(f.id?.startsWith(`${threadId}:`)).toBe(true);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const last = frames.at(-1) as Frame;
    // The run's last event (RUN_FINISHED) carries the run's result chunk and its id.
    expect(last).toMatchObject({ event: "result", data: { result: "done", success: true } });
    // A reconnect after everything was seen: 204 stops EventSource from reconnecting again.
    const again = await fetch(streamUrl(s.url, "command=hello&messageId=m-1"), {
      headers: { "Last-Event-ID": last.id as string },
    });
    expect(again.status).toBe(204);
  });

  it("resumes the same run from Last-Event-ID (what EventSource's reconnect sends) without starting a new one", async () => {
    const first = await fetch(streamUrl(s.url, "command=resume"));
    const threadId = first.headers.get("x-thread-id") as string;
    const runId = first.headers.get("x-run-id");
    const before = await readFrames(first, (f) => tokens(f).length >= 3);
    const lastId = before.at(-1)?.id as string;
    // EventSource reconnects to the same URL (with ?command=) and adds Last-Event-ID.
    const second = await fetch(streamUrl(s.url, "command=resume"), { headers: { "Last-Event-ID": lastId } });
    expect(second.status).toBe(200);
    expect(second.headers.get("x-thread-id")).toBe(threadId);
    expect(second.headers.get("x-run-id")).toBe(runId);
    const after = await readFrames(second);
    expect(after[0]).toEqual({ event: "thread", data: { threadId, runId } });
    expect([...tokens(before), ...tokens(after)].join("")).toBe("t0 t1 t2 t3 t4 t5 t6 t7 t8 t9 ");
    // The decoder was primed with the run so far: token counts go on where they stopped.
    const counts = after
      .filter((f) => f.event === "token")
      .map((f) => (f.data?.metadata as { count?: number } | undefined)?.count);
    expect(counts[0]).toBe(tokens(before).length + 1);
    expect(Number(after[1]?.id?.split(":")[1])).toBeGreaterThan(Number(lastId.split(":")[1]));
  });

  it("resumes with ?thread= and ?after= too, and replays the run from its start with ?thread= alone", async () => {
    const first = await fetch(streamUrl(s.url, "command=x"));
    const threadId = first.headers.get("x-thread-id") as string;
    const all = await readFrames(first);
    const replay = await readFrames(await fetch(streamUrl(s.url, `thread=${threadId}`)));
    expect(tokens(replay)).toEqual(tokens(all));
    const third = all.filter((f) => f.event === "token")[2]?.id?.split(":")[1];
    const tail = await readFrames(await fetch(streamUrl(s.url, `thread=${threadId}&after=${third}`)));
    expect(tokens(tail)).toEqual(tokens(all).slice(3));
  });

  it.each([
    ["no command", "messageId=1", {}, 422, "invalid_input"],
    ["an empty command", "command=%20", {}, 422, "invalid_input"],
    ["a malformed Last-Event-ID", "command=x", { "Last-Event-ID": "abc" }, 400, "invalid_event_id"],
    ["an unknown thread", "command=x", { "Last-Event-ID": "nope:3" }, 404, "unknown_thread"],
    ["an untrusted origin", "command=x", { Origin: "https://evil.example" }, 403, "forbidden_origin"],
  ])("answers %s with a JSON error", async (_name, query, headers: Record<string, string>, status, code) => {
    const res = await fetch(streamUrl(s.url, query), { headers });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it.each(["no-cors", "navigate"])(
    "refuses to start a run from a link, image or frame (Sec-Fetch-Mode: %s)",
    async (mode) => {
      // fetch sets Sec-Fetch-Mode itself; a raw request sends what a browser's <img> or link would.
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        get(streamUrl(s.url, "command=x"), { headers: { "Sec-Fetch-Mode": mode } }, (res) => {
          let body = "";
          res.on("data", (d: Buffer) => {
            body += d.toString();
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        }).on("error", reject);
      });
      expect(status).toBe(403);
      expect((JSON.parse(body) as { error: { code: string } }).error.code).toBe("forbidden");
    },
  );

  it("404s an unknown agent, 409s an id ahead of the thread, 413s a command over the limit", async () => {
    const unknown = await fetch(`${s.url}/api/agents/nobody/stream?command=x`);
    expect(unknown.status).toBe(404);
    const first = await fetch(streamUrl(s.url, "command=x"));
    const threadId = first.headers.get("x-thread-id") as string;
    await readFrames(first);
    const ahead = await fetch(streamUrl(s.url, "command=x"), {
      headers: { "Last-Event-ID": `${threadId}:9999` },
    });
    expect(ahead.status).toBe(409);
    const small = await startServer({ agents: { ticker }, maxBodyBytes: 10 });
    try {
      const big = await fetch(streamUrl(small.url, `command=${"y".repeat(11)}`));
      expect(big.status).toBe(413);
    } finally {
      await small.close();
    }
  });

  it("needs the bearer token like the other routes", async () => {
    expect((await fetch(streamUrl(authed.url, "command=x"))).status).toBe(401);
    const ok = await fetch(streamUrl(authed.url, "command=x"), {
      headers: { Authorization: "Bearer sekret" },
    });
    expect(ok.status).toBe(200);
    await readFrames(ok);
  });

  it("asks authorize: run for a new run, connect for a resume", async () => {
    const asked: string[] = [];
    const guarded = await startServer({
      agents: { ticker },
      authorize: ({ action }) => {
        asked.push(action);
        return action === "run";
      },
    });
    try {
      const res = await fetch(streamUrl(guarded.url, "command=x"));
      const frames = await readFrames(res);
      const resumed = await fetch(streamUrl(guarded.url, "command=x"), {
        headers: { "Last-Event-ID": frames[2]?.id as string },
      });
      expect(resumed.status).toBe(403);
      expect(asked).toEqual(["run", "connect"]);
    } finally {
      await guarded.close();
    }
  });
});

describe("seedFrames", () => {
  const events = [
    { type: "RUN_STARTED", threadId: "T", runId: "R" },
    { type: "TEXT_MESSAGE_START", messageId: "m", role: "assistant" },
    { type: "TEXT_MESSAGE_CONTENT", messageId: "m", delta: "a" },
    { type: "TOOL_CALL_START", toolCallId: "c", toolCallName: "search" },
    { type: "TOOL_CALL_ARGS", toolCallId: "c", delta: '{"q":1}' },
    { type: "TOOL_CALL_END", toolCallId: "c" },
    { type: "RUN_FINISHED", threadId: "T", runId: "R" },
  ] as unknown as BaseEvent[];

  it("writes one named frame per seed event with <thread>:<id>, nothing for framing events, and the end's id alone", () => {
    const frame = seedFrames("T");
    const out = events.map((event, i) => frame({ id: i + 1, event }));
    expect(out[0]).toBeUndefined();
    expect(out[1]).toBeUndefined();
    expect(out[2]).toMatch(/^id: T:3\nevent: token\ndata: /);
    expect(out[3]).toBeUndefined(); // held until the arguments are complete
    expect(out[4]).toBeUndefined();
    expect(out[5]).toMatch(/^id: T:6\nevent: tool_start\ndata: .*"tool_input":\{"q":1\}/);
    // A foreign RUN_FINISHED without result makes no chunk: its id still reaches Last-Event-ID.
    expect(out[6]).toBe("id: T:7\n\n");
  });

  it("only primes the decoder with the events a resuming client has", () => {
    const frame = seedFrames("T", 4);
    const out = events.map((event, i) => frame({ id: i + 1, event }));
    expect(out.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    // The tool's name came from TOOL_CALL_START, which the client had already been sent.
    expect(out[5]).toContain('"tool_name":"search"');
  });
});
