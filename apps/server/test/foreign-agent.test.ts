/**
 * The foreign-agent example: a LangGraph-style AbstractAgent served through fromAgUiAgent, over
 * both routes of the real server, gets AgentStream's status, progress, tool cards and text.
 */
import { randomUUID } from "node:crypto";
import { HttpAgent } from "@ag-ui/client";
import type { BaseEvent, RunAgentInput } from "@ag-ui/core";
import { decodeEvents, foldChunks } from "@agentstream/core";
import { silentLogger } from "@agentstream/runtime";
import { createAgentServer } from "@agentstream/runtime/express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGraphAgent } from "../src/foreign-agent.js";

const server = createAgentServer({ agents: { graph: createGraphAgent(0) }, logger: silentLogger, paceMs: 0 });
let url: string;
beforeAll(async () => {
  url = await server.listen(0, "127.0.0.1");
});
afterAll(async () => {
  await server.close();
});

function input(): RunAgentInput {
  return {
    threadId: randomUUID(),
    runId: randomUUID(),
    messages: [{ id: randomUUID(), role: "user", content: "streaming backpressure" }],
    tools: [],
    context: [],
    state: {},
    forwardedProps: {},
  };
}

/** Runs over HTTP with @ag-ui/client (its verifier rejects an invalid stream). */
async function run(path: string): Promise<BaseEvent[]> {
  const i = input();
  const agent = new HttpAgent({ url: `${url}${path}`, threadId: i.threadId, initialMessages: i.messages });
  const events: BaseEvent[] = [];
  await agent.runAgent({ runId: i.runId }, { onEvent: ({ event }) => void events.push(event) });
  return events;
}

describe("the graph agent (foreign AG-UI agent via fromAgUiAgent)", () => {
  for (const [route, path] of [
    ["plain", "/api/agents/graph/run"],
    ["copilotkit", "/api/copilotkit/agent/graph/run"],
  ] as const) {
    it(`${route} route: progress from state deltas, the streamed tool call and its result, text, status`, async () => {
      const events = await run(path);
      const state = foldChunks(decodeEvents(events));
      expect(state.error).toBeUndefined();
      expect(state.text).toMatch(/^The graph retrieved three documents about "streaming backpressure"/);
      const call = Object.values(state.toolCalls)[0];
      expect(call).toMatchObject({ name: "vector_search", args: { query: "streaming backpressure", k: 3 } });
      expect(call?.result).toBe(JSON.stringify({ documents: 3 }));
      expect(state.progress).toMatchObject({ current: 3, total: 3 });
      expect(state.statusHistory.map((s) => s.status)).toEqual(
        expect.arrayContaining(["started", "completed"]),
      );
      expect(state.result?.output).toMatchObject({ state: { progress: { label: "generate", current: 3 } } });
    });
  }

  it("is listed by GET /api/agents as a generator agent", async () => {
    const body = (await (await fetch(`${url}/api/agents`)).json()) as {
      agents: { id: string; kind: string }[];
    };
    expect(body.agents).toEqual([expect.objectContaining({ id: "graph", kind: "generator" })]);
  });
});
