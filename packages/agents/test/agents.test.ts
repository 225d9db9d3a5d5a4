import type { Message, Tool } from "@ag-ui/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actAsOneClient } from "../../runtime/test/client-fetch.js";
import {
  copilotRunUrl,
  runInput,
  runWithHttpAgent,
  type Started,
  startServer,
  userMessage,
} from "./helpers.js";

/** One client: every fetch (HttpAgent's too) keeps the session cookie of the threads it creates. */
actAsOneClient();

let s: Started;
beforeAll(async () => {
  // Embedded agents at a small pace, so that streams take a while.
  s = await startServer({ paceMs: 2 });
});
afterAll(async () => {
  await s.close();
});

/**
 * Runs through CopilotKit's route and, for a run long enough to tell (50 paced tokens or more:
 * at least 100 ms of streaming), checks that the first event arrived while the run was still in
 * flight (streamed, not buffered). A short run, such as a tool-call turn of a few events, can be
 * over on the server before the first event is read, so it says nothing about buffering.
 */
async function run(agent: string, message: string, extra: Parameters<typeof runInput>[1] = {}) {
  let activeAtFirstEvent = -1;
  const result = await runWithHttpAgent(copilotRunUrl(s.url, agent), runInput(message, extra), {
    onEvent: () => {
      if (activeAtFirstEvent < 0) activeAtFirstEvent = s.server.registry.active;
    },
  });
  expect(result.error).toBeUndefined();
  expect(result.types[0]).toBe("RUN_STARTED");
  expect(result.types.at(-1)).toBe("RUN_FINISHED");
  const tokens = result.types.filter((t) => t === "TEXT_MESSAGE_CONTENT").length;
  if (tokens >= 50) expect(activeAtFirstEvent).toBeGreaterThanOrEqual(1);
  return result;
}

function eventsOf<T>(r: Awaited<ReturnType<typeof run>>, type: string): T[] {
  return r.events.filter((e) => e.event.type === type).map((e) => e.event as unknown as T);
}

describe("embedded agents through CopilotKit's route", () => {
  it("lists the embedded agents with descriptions (no llm without a key)", async () => {
    const res = await fetch(`${s.url}/api/agents`);
    const body = (await res.json()) as {
      agents: { id: string; description: string; routes: { plain: string } }[];
    };
    expect(body.agents.map((a) => a.id)).toEqual(["default", "research", "analyst", "calculator", "team"]);
    for (const a of body.agents) expect(a.description.length).toBeGreaterThan(20);
    expect(body.agents[1]?.routes.plain).toBe("/api/agents/research/run");
    const info = (await (await fetch(`${s.url}/api/copilotkit/info`)).json()) as {
      agents: Record<string, unknown>;
    };
    expect(Object.keys(info.agents)).toEqual(["default", "research", "analyst", "calculator", "team"]);
  });

  it("research: thinking, a search tool call with passages, a cited answer, the result", async () => {
    const r = await run("research", "What is backpressure and how does a server respect it?");
    expect(r.types).toContain("REASONING_MESSAGE_CONTENT");
    const start = eventsOf<{ toolCallName: string }>(r, "TOOL_CALL_START")[0];
    expect(start?.toolCallName).toBe("search");
    const toolResult = JSON.parse(
      eventsOf<{ content: string }>(r, "TOOL_CALL_RESULT")[0]?.content ?? "{}",
    ) as {
      passages: { n: number; title: string }[];
    };
    expect(toolResult.passages[0]?.title).toBe("Backpressure");
    expect(r.text).toMatch(/^Backpressure means that a fast producer slows down/);
    expect(r.text).toMatch(/\[1\]/);
    expect(r.text).toContain("Sources:");
    const result = r.result as { answer: string; citations: { n: number }[] };
    expect(result.answer).toBe(r.text);
    expect(result.citations[0]?.n).toBe(1);
  });

  it("analyst: CSV in four progress steps with real statistics", async () => {
    const csv = "Analyze this:\ncity,region,sales\nParis,EU,120\nLyon,EU,80\nBoston,US,200\nAustin,US,100";
    const r = await run("analyst", csv);
    const progress = eventsOf<{
      activityType: string;
      content: { step: string; current: number; total: number };
    }>(r, "ACTIVITY_SNAPSHOT")
      .filter((e) => e.activityType === "agentstream.progress")
      .map((e) => e.content.step);
    expect(progress).toEqual(["Parse", "Statistics", "Top terms", "Summary", "Done"]);
    const result = r.result as {
      kind: string;
      rows: number;
      stats: { column: string; mean?: number; max?: number }[];
    };
    expect(result.kind).toBe("table");
    expect(result.rows).toBe(4);
    expect(result.stats.find((c) => c.column === "sales")).toMatchObject({ mean: 125, max: 200 });
    expect(r.text).toContain("sales ranges from 80 to 200");
  });

  it("analyst: prose statistics and top terms", async () => {
    const text =
      "Streaming keeps users informed. A streaming server sends tokens as they are produced. Users see streaming text appear at once, and streaming feels fast.";
    const r = await run("analyst", text);
    const result = r.result as {
      kind: string;
      stats: { words: number; sentences: number };
      topTerms: { term: string }[];
    };
    expect(result.kind).toBe("text");
    expect(result.stats.sentences).toBe(3);
    expect(result.topTerms[0]?.term).toBe("streaming");
  });

  it("calculator: steps and the value, units included", async () => {
    const r = await run("calculator", "What is 2 * (3 + 4) ^ 2?");
    expect((r.result as { result: string }).result).toBe("98");
    expect(r.text).toContain("3 + 4 = 7");
    expect(r.text).toContain("2 * (3 + 4) ^ 2 = 98");
    const units = await run("calculator", "convert 5 km to mile");
    expect((units.result as { result: string }).result).toMatch(/^3\.10\d+ mile$/);
  });

  it("calculator: mathjs is locked down (no import/createUnit/evaluate)", async () => {
    for (const expr of [
      "import({x: 1}, {})",
      "createUnit('foo')",
      "evaluate('1+1')",
      "ones(10000, 10000)",
      "parse('1')",
    ]) {
      const r = await run("calculator", `calculate ${expr}`);
      expect((r.result as { error?: string }).error).toMatch(/disabled/);
    }
  });

  it("team: research and analyst in parallel, chunks tagged by agent, merged in one run", async () => {
    const r = await run("team", "How do heartbeats keep SSE connections alive?");
    const names = new Set(eventsOf<{ name?: string }>(r, "TEXT_MESSAGE_START").map((e) => e.name));
    expect(names).toEqual(new Set(["research", "analyst", undefined]));
    const laneResults = eventsOf<{ name: string; metadata: { agentstream: { agent: string } } }>(r, "CUSTOM")
      .filter((e) => e.name === "agentstream.result")
      .map((e) => e.metadata.agentstream.agent)
      .sort();
    expect(laneResults).toEqual(["analyst", "research"]);
    // Interleaved: the analyst's first event comes before research's last.
    const agentOf = (e: { event: { metadata?: { agentstream?: { agent?: string } } } }) =>
      e.event.metadata?.agentstream?.agent;
    const firstAnalyst = r.events.findIndex((e) => agentOf(e as never) === "analyst");
    const lastResearch = r.events.map((e) => agentOf(e as never)).lastIndexOf("research");
    expect(firstAnalyst).toBeLessThan(lastResearch);
    expect(Object.keys(r.result as object).sort()).toEqual(["analyst", "research"]);
  });

  it("default: routes by intent", async () => {
    const calc = await run("default", "what is 12 * 12");
    expect((calc.result as { result: string }).result).toBe("144");
    const research = await run("default", "Why do streaming responses need X-Accel-Buffering?");
    expect((research.result as { citations: unknown[] }).citations.length).toBeGreaterThan(0);
    // one numeric column: with two, the analyst asks which one to summarise (ask.test.ts)
    const analyst = await run("default", "a,b\nx,2\ny,4\nz,6");
    expect((analyst.result as { kind: string }).kind).toBe("table");
  });
});

describe("frontend tool round trip through default", () => {
  const setTheme: Tool = {
    name: "setBackgroundColor",
    description: "Change the background color of the page",
    parameters: {
      type: "object",
      properties: { color: { type: "string", description: "A CSS color" } },
      required: ["color"],
    },
  };
  const unrelated: Tool = {
    name: "addTodo",
    description: "Add an item to the todo list",
    parameters: { type: "object", properties: { title: { type: "string" } }, required: ["title"] },
  };

  it("calls the tool with arguments from the message, then answers with the result", async () => {
    const first = runInput("Please set the background color to teal", { tools: [unrelated, setTheme] });
    const r1 = await run("default", "", first);
    const start = eventsOf<{ toolCallName: string; toolCallId: string }>(r1, "TOOL_CALL_START");
    expect(start.map((s) => s.toolCallName)).toEqual(["setBackgroundColor"]);
    const args = JSON.parse(
      eventsOf<{ delta: string }>(r1, "TOOL_CALL_ARGS")
        .map((e) => e.delta)
        .join(""),
    );
    expect(args).toEqual({ color: "teal" });
    expect(r1.types).toContain("TOOL_CALL_END");
    expect(r1.types).not.toContain("TOOL_CALL_RESULT");
    const assistant = r1.newMessages.find((m) => m.role === "assistant" && m.toolCalls?.length) as Message & {
      toolCalls: { id: string; function: { name: string; arguments: string } }[];
    };
    expect(assistant.toolCalls[0]?.function.name).toBe("setBackgroundColor");

    // The client ran the tool; the next run on the thread ends with the tool message.
    const toolMessage: Message = {
      id: "tool-msg-1",
      role: "tool",
      toolCallId: assistant.toolCalls[0]?.id as string,
      content: JSON.stringify({ applied: true, color: "teal", previous: "white" }),
    };
    const second = runInput("", {
      threadId: first.threadId,
      tools: [unrelated, setTheme],
      messages: [...first.messages, ...r1.newMessages, toolMessage],
    });
    const r2 = await run("default", "", second);
    expect(r2.types).not.toContain("TOOL_CALL_START");
    expect(r2.text).toContain("setBackgroundColor");
    expect(r2.text).toContain("applied: true; color: teal; previous: white");
    expect(r2.result).toMatchObject({
      tool: "setBackgroundColor",
      result: { applied: true, color: "teal" },
      success: true,
    });
  });

  it("routes normally when no offered tool matches", async () => {
    const r = await run("default", "", runInput("what is 1 + 1", { tools: [setTheme] }));
    const called = eventsOf<{ toolCallName: string }>(r, "TOOL_CALL_START").map((e) => e.toolCallName);
    expect(called).toEqual(["evaluate"]); // the calculator's own server-side tool, not the page's
    expect((r.result as { result: string }).result).toBe("2");
  });

  it("reports a failed tool", async () => {
    const messages: Message[] = [
      userMessage("set the background color to red"),
      {
        id: "a1",
        role: "assistant",
        toolCalls: [
          {
            id: "c1",
            type: "function",
            function: { name: "setBackgroundColor", arguments: '{"color":"red"}' },
          },
        ],
      },
      { id: "t1", role: "tool", toolCallId: "c1", content: "Error: the page is read-only" },
    ];
    const r = await run("default", "", runInput("", { messages, tools: [setTheme] }));
    expect(r.text).toContain("failed");
    expect(r.text).toContain("the page is read-only");
  });
});
