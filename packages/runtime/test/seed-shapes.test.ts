/**
 * The seeds' own code runs: a server agent that yields only seed-shaped events (seeds 000, 001,
 * 004) streams, and the core store ends with the text, the tool calls and their results, the
 * progress and the result.
 */
import { verifyEvents } from "@ag-ui/client";
import type { BaseEvent } from "@ag-ui/core";
import { createRunStore, foldChunks, parseSse, type RunState, type StreamChunk } from "@agentstream/core";
import { from, lastValueFrom, toArray } from "rxjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentDefinition, defineAgent, runAgentChunks, runAgentEvents } from "../src/index.js";
import { actAsOneClient } from "./client-fetch.js";
import {
  copilotRunUrl,
  plainRunUrl,
  runInput,
  runWithHttpAgent,
  type Started,
  startServer,
} from "./helpers.js";
import { seedAgent } from "./seed-agent.js";

/** One client: every fetch keeps the session cookie of the threads it creates (see client-fetch.ts). */
actAsOneClient();

async function chunksOf(def: AgentDefinition): Promise<StreamChunk[]> {
  const out: StreamChunk[] = [];
  for await (const c of runAgentChunks(def, runInput("go"))) out.push(c);
  return out;
}

async function eventsOf(def: AgentDefinition): Promise<BaseEvent[]> {
  const out: BaseEvent[] = [];
  for await (const e of runAgentEvents(def, runInput("go"))) out.push(e);
  return out;
}

function tools(state: RunState) {
  return state.toolCallOrder.map((id) => state.toolCalls[id]);
}

describe("a server agent yielding seed-shaped events", () => {
  it("runs to the end through runAgentChunks and folds to the full state", async () => {
    const chunks = await chunksOf(seedAgent);
    expect(chunks.filter((c) => c.type === "error")).toEqual([]);
    expect(chunks.map((c) => c.type)).toEqual([
      "status",
      "thinking",
      "progress",
      "token",
      "tool_call",
      "tool_result",
      "progress",
      "tool_call",
      "tool_result",
      "token",
      "result",
    ]);
    const state = foldChunks(chunks);
    expect(state.text).toBe("Python is great.");
    expect(state.thinking).toBe("Analyzing task...");
    expect(tools(state).map((t) => [t?.name, t?.args, t?.status, t?.result, t?.success])).toEqual([
      ["search", { q: "python" }, "complete", ["python.org"], true],
      ["navigate_to", { input: "https://example.com" }, "complete", "<html>", true],
    ]);
    expect(state.progress).toMatchObject({ current: 2, total: 5, label: "Navigating to website..." });
    expect(state.progress?.steps.map((s) => s.label)).toEqual(["Search", "Navigating to website..."]);
    expect(state.result).toMatchObject({ output: { answer: "Python is great." }, success: true });
    expect(state.done).toBe(true);
  });

  it("streams valid AG-UI events through runAgentEvents, and the store decodes the same state", async () => {
    const events = await eventsOf(seedAgent);
    await lastValueFrom(from(events).pipe(verifyEvents(false), toArray()));
    const store = createRunStore();
    for (const event of events) store.pushEvent(event);
    const state = store.getSnapshot();
    expect(state.text).toBe("Python is great.");
    expect(state.thinking).toBe("Analyzing task...");
    expect(tools(state).map((t) => [t?.name, t?.status])).toEqual([
      ["search", "complete"],
      ["navigate_to", "complete"],
    ]);
    expect(state.progress).toMatchObject({ current: 2, total: 5 });
    expect(state.result).toMatchObject({ output: { answer: "Python is great." }, success: true });
    expect(state.error).toBeUndefined();
  });

  it.each([
    ["000 interrupted", { type: "interrupted" }, { type: "interrupted", reason: "interrupted" }],
    ["001 error", { type: "error", error: "Rate limited" }, { type: "error", message: "Rate limited" }],
    ["001 result", { type: "result", output: "done" }, { type: "result", output: "done", success: true }],
  ] as const)("ends the run with a seed-shaped terminal chunk: %s", async (_name, yielded, expected) => {
    const def = defineAgent({
      name: "t",
      description: "",
      async *run() {
        yield { type: "token", content: "partial" };
        yield yielded;
        yield "never";
      },
    });
    const chunks = await chunksOf(def);
    expect(chunks).toHaveLength(2);
    expect(chunks[1]).toMatchObject(expected);
  });

  it("a fully spelled canonical tool_result without `success` passes", async () => {
    const def = defineAgent({
      name: "t",
      description: "",
      async *run() {
        yield { type: "tool_call", id: "t1", name: "search", args: {} };
        yield { type: "tool_result", id: "t1", name: "search", result: 1 };
      },
    });
    const chunks = await chunksOf(def);
    expect(chunks[1]).toMatchObject({ type: "tool_result", id: "t1", success: true });
  });

  it("a child agent (ctx.run) yielding seed shapes pairs its own tool results", async () => {
    const child = defineAgent({
      name: "child",
      description: "",
      async *run() {
        yield { type: "tool_call", tool_name: "lookup", parameters: { k: 1 } };
        yield { type: "tool_result", tool_name: "lookup", result: "v" };
        return "child done";
      },
    });
    const parent = defineAgent({
      name: "parent",
      description: "",
      async *run(_input, ctx) {
        yield* ctx.run(child);
        yield { type: "tool_start", tool_name: "lookup", tool_input: { k: 2 } };
        yield { type: "tool_end", tool_name: "lookup", output: "w" };
      },
    });
    const state = foldChunks(await chunksOf(parent));
    expect(tools(state).map((t) => [t?.agent, t?.args, t?.result])).toEqual([
      ["child", { k: 1 }, "v"],
      [undefined, { k: 2 }, "w"],
    ]);
  });

  it("a still-malformed chunk ends the run with a readable error", async () => {
    const def = defineAgent({
      name: "t",
      description: "",
      async *run() {
        yield { type: "status", status: "started" };
        yield { type: "tool_result", tool_name: "s", result: 1, success: "yes" as unknown as boolean };
      },
    });
    const chunks = await chunksOf(def);
    expect(chunks.at(-1)).toMatchObject({ type: "error", code: "INVALID_CHUNK" });
    expect((chunks.at(-1) as { message: string }).message).toContain(
      'chunk 1 (tool_result): `success` must be true or false, got the string "yes"',
    );
  });
});

describe("the seed agent over HTTP", () => {
  let s: Started;
  beforeAll(async () => {
    s = await startServer({ agents: { seeds: seedAgent } });
  });
  afterAll(async () => {
    await s.close();
  });

  it.each([
    ["POST /api/agents/:id/run", (url: string) => plainRunUrl(url, "seeds")],
    ["CopilotKit's /api/copilotkit/agent/:id/run", (url: string) => copilotRunUrl(url, "seeds")],
  ])(
    "streams through %s, passes HttpAgent's verifier, and the store ends with the full state",
    async (_name, route) => {
      const run = await runWithHttpAgent(route(s.url), runInput("go"));
      expect(run.error).toBeUndefined();
      // Our own verifier pass too, on exactly what arrived.
      await lastValueFrom(from(run.events.map((e) => e.event)).pipe(verifyEvents(false), toArray()));
      const store = createRunStore();
      for (const { event } of run.events) store.pushEvent(event);
      const state = store.getSnapshot();
      expect(state.text).toBe("Python is great.");
      expect(state.thinking).toBe("Analyzing task...");
      expect(tools(state).map((t) => [t?.name, t?.args, t?.status, t?.result])).toEqual([
        ["search", { q: "python" }, "complete", ["python.org"]],
        ["navigate_to", { input: "https://example.com" }, "complete", "<html>"],
      ]);
      expect(state.progress).toMatchObject({ current: 2, total: 5, label: "Navigating to website..." });
      expect(state.result).toMatchObject({ output: { answer: "Python is great." }, success: true });
      expect(state.error).toBeUndefined();
    },
  );

  it("streams through GET /api/agents/:id/stream as seed 004's named events", async () => {
    const res = await fetch(`${s.url}/api/agents/seeds/stream?command=go&messageId=m1`);
    expect(res.status).toBe(200);
    const frames: { event?: string; id?: string; json: Record<string, unknown> }[] = [];
    for await (const msg of parseSse(res.body as ReadableStream<Uint8Array>))
      if (msg.data !== "") frames.push({ event: msg.event, id: msg.id, json: JSON.parse(msg.data) });
    const threadId = res.headers.get("x-thread-id");
    expect(frames[0]).toEqual({
      event: "thread",
      id: undefined,
      json: { threadId, runId: res.headers.get("x-run-id"), threadToken: res.headers.get("x-thread-token") },
    });
    const seeds = frames.slice(1);
    expect(seeds.map((f) => f.event)).toEqual([
      "status",
      "thinking",
      "progress",
      "token",
      "tool_start",
      "tool_end",
      "progress",
      "tool_start",
      "tool_end",
      "token",
      "result",
    ]);
    for (const f of seeds) {
      expect(f.json.type).toBe(f.event);
      expect(f.id).toMatch(new RegExp(`^${threadId}:\\d+$`));
    }
    const data = seeds.map((f) => f.json.data);
    expect(data).toEqual([
      { status: "started" },
      { content: "Analyzing task..." },
      { step: 1, message: "3 sources", label: "Search" },
      { token: "Python ", metadata: { count: 1 } },
      { tool_name: "search", tool_input: { q: "python" }, tool_call_id: expect.any(String) },
      { tool_name: "search", tool_output: ["python.org"], success: true, tool_call_id: expect.any(String) },
      { step: 2, total: 5, message: "Navigating to website...", label: "Navigating to website..." },
      { tool_name: "navigate_to", tool_input: "https://example.com", tool_call_id: expect.any(String) },
      { tool_name: "navigate_to", tool_output: "<html>", success: true, tool_call_id: expect.any(String) },
      { token: "is great.", metadata: { count: 2, source: "llm" } },
      { result: { answer: "Python is great." }, success: true },
    ]);
  });
});
