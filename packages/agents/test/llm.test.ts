/**
 * The llm agent end to end without network: the AI SDK's own `MockLanguageModelV3` (with a
 * simulated stream of reasoning, text, a tool call and usage) behind the real server, on both
 * routes; the page's frontend tool called by the model and answered in the follow-up run; a
 * server tool; provider errors (401, 429, 500 after partial text) ending the run with advice
 * while the server goes on.
 */
import type { BaseEvent, Message, Tool } from "@ag-ui/core";
import { decodeEvents, foldChunks, parseSse } from "@agentstream/core";
import { APICallError } from "ai";
import { MockLanguageModelV3, simulateReadableStream } from "ai/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actAsOneClient } from "../../runtime/test/client-fetch.js";
import { createEmbeddedAgents, createLlmAgent, llmProvider } from "../src/index.js";
import {
  copilotRunUrl,
  plainRunUrl,
  runInput,
  runWithHttpAgent,
  type Started,
  startServer,
} from "./helpers.js";

/** One client: every fetch keeps the session cookie of the threads it creates. */
actAsOneClient();

type V3Part =
  Awaited<ReturnType<MockLanguageModelV3["doStream"]>>["stream"] extends ReadableStream<infer P> ? P : never;
type Prompt = Parameters<MockLanguageModelV3["doStream"]>[0]["prompt"];

const usage = (input: number, output: number, cacheRead = 0) => ({
  inputTokens: { total: input, noCache: input - cacheRead, cacheRead, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: undefined },
});
const finish = (reason: "stop" | "tool-calls", input = 50, output = 10, cached = 20) =>
  ({
    type: "finish",
    finishReason: { unified: reason, raw: reason },
    usage: usage(input, output, cached),
  }) as V3Part;
const text = (id: string, ...deltas: string[]): V3Part[] => [
  { type: "text-start", id },
  ...deltas.map((delta) => ({ type: "text-delta", id, delta }) as V3Part),
  { type: "text-end", id },
];
const toolCall = (id: string, name: string, input: string): V3Part[] => [
  { type: "tool-input-start", id, toolName: name },
  { type: "tool-input-delta", id, delta: input.slice(0, 5) },
  { type: "tool-input-delta", id, delta: input.slice(5) },
  { type: "tool-input-end", id },
  { type: "tool-call", toolCallId: id, toolName: name, input },
];

function lastUserText(prompt: Prompt): string {
  const user = [...prompt].reverse().find((m) => m.role === "user");
  if (!user || typeof user.content === "string") return "";
  return user.content.map((p) => (p.type === "text" ? p.text : "")).join("");
}

const apiError = (statusCode: number, message: string) =>
  new APICallError({
    message,
    url: "https://api.openai.com/v1/responses",
    requestBodyValues: {},
    statusCode,
    isRetryable: false,
  });

/** The model's script, decided by the conversation, as a provider would answer. */
const prompts: Prompt[] = [];
const model = new MockLanguageModelV3({
  provider: "mock",
  modelId: "scripted",
  doStream: async ({ prompt, tools }) => {
    prompts.push(prompt);
    const last = prompt.at(-1);
    const ask = lastUserText(prompt);
    let chunks: V3Part[];
    if (ask.includes("key401")) throw apiError(401, "Incorrect API key provided");
    if (ask.includes("slowtool")) {
      // A long tool call whose arguments trickle in: stopped in the middle.
      const slow: V3Part[] = [
        ...text("t1", "Let me write ", "the file. "),
        { type: "tool-input-start", id: "call_slow", toolName: "analyze_text" },
        ...Array.from(
          { length: 200 },
          () => ({ type: "tool-input-delta", id: "call_slow", delta: "aaaa" }) as V3Part,
        ),
        { type: "tool-input-end", id: "call_slow" },
        finish("stop"),
      ];
      return { stream: simulateReadableStream({ chunks: slow, chunkDelayInMs: 20 }) };
    }
    if (ask.includes("busy429")) throw apiError(429, "Rate limit reached for requests");
    if (last?.role === "tool") {
      const result = last.content.find((p) => p.type === "tool-result");
      const output = result?.output;
      const value = output && "value" in output ? JSON.stringify(output.value) : "";
      chunks = [...text("t2", "The tool answered: ", value.slice(0, 200)), finish("stop", 80, 12, 40)];
    } else if (ask.includes("partial500")) {
      chunks = [
        ...text("t1", "Half of an ").slice(0, 2),
        { type: "error", error: apiError(500, "The server had an error") } as V3Part,
      ];
    } else if (ask.includes("progress card") && tools?.some((t) => t.name === "showProgressCard")) {
      chunks = [
        { type: "reasoning-start", id: "r" },
        { type: "reasoning-delta", id: "r", delta: "The page has a progress card tool." },
        { type: "reasoning-end", id: "r" },
        ...text("t1", "Showing ", "the card. "),
        ...toolCall("call_card", "showProgressCard", '{"steps":3,"title":"Indexing"}'),
        finish("tool-calls"),
      ];
    } else {
      chunks = [
        { type: "reasoning-start", id: "r" },
        { type: "reasoning-delta", id: "r", delta: "Search the knowledge base." },
        { type: "reasoning-end", id: "r" },
        ...toolCall("call_kb", "search_knowledge", '{"query":"backpressure SSE"}'),
        finish("tool-calls"),
      ];
    }
    return { stream: simulateReadableStream({ chunks, chunkDelayInMs: 2 }) };
  },
});

const progressCard: Tool = {
  name: "showProgressCard",
  description: "Shows a card in the page that counts through steps.",
  parameters: {
    type: "object",
    properties: { steps: { type: "number" }, title: { type: "string" } },
    required: ["steps"],
  },
};

let s: Started;
beforeAll(async () => {
  s = await startServer({ agents: createEmbeddedAgents({ env: {}, llmModel: model }) });
});
afterAll(async () => {
  await s.close();
});

const stateOf = (events: { event: BaseEvent }[]) => foldChunks(decodeEvents(events.map((e) => e.event)));

describe("llm agent (AI SDK + fromAiSdk) through the real server, MockLanguageModelV3", () => {
  it("is listed; without a model or a key it is not", () => {
    expect(s.server.agents.find((a) => a.id === "llm")).toMatchObject({ kind: "generator" });
    expect(Object.keys(createEmbeddedAgents({ env: {} }))).not.toContain("llm");
    expect(createLlmAgent({ env: {} })).toBeUndefined();
    expect(llmProvider({ ANTHROPIC_API_KEY: "x" })).toMatchObject({
      provider: "anthropic",
      keyName: "ANTHROPIC_API_KEY",
    });
    expect(llmProvider({ OLLAMA_BASE_URL: "http://localhost:11434" })).toMatchObject({
      model: "ollama/llama3.2",
    });
    // A configured provider builds its model without touching the network or process.env.
    const before = { ...process.env };
    expect(createLlmAgent({ env: { OPENAI_API_KEY: "sk-test", OLLAMA_BASE_URL: "http://x" } })).toBeDefined();
    expect(createLlmAgent({ env: { OLLAMA_BASE_URL: "http://localhost:11434" } })).toBeDefined();
    expect({ ...process.env }).toEqual(before);
  });

  for (const route of ["plain", "copilotkit"] as const) {
    it(`${route} route: reasoning, a server tool call with streamed args, its result, the answer, usage`, async () => {
      const url = route === "plain" ? plainRunUrl(s.url, "llm") : copilotRunUrl(s.url, "llm");
      const run = await runWithHttpAgent(url, runInput("What is backpressure in SSE?"));
      expect(run.error).toBeUndefined();
      expect(run.types.filter((t) => t === "TOOL_CALL_ARGS").length).toBeGreaterThanOrEqual(2);
      const state = stateOf(run.events);
      expect(state.thinking).toContain("Search the knowledge base.");
      const call = state.toolCalls.call_kb;
      expect(call).toMatchObject({ name: "search_knowledge", args: { query: "backpressure SSE" } });
      expect(JSON.stringify(call?.result)).toMatch(/source/i);
      expect(state.text).toMatch(/^The tool answered: /);
      expect(state.metrics.usage).toEqual({ inputTokens: 130, outputTokens: 22, cachedInputTokens: 60 });
      expect(state.result?.output).toMatchObject({ finishReason: "stop", steps: 2 });
      expect(state.error).toBeUndefined();
    });
  }

  it("copilotkit route: the model calls the page's frontend tool; the follow-up run answers from its result", async () => {
    const first = runInput("Show a progress card for indexing", { tools: [progressCard] });
    const run1 = await runWithHttpAgent(copilotRunUrl(s.url, "llm"), first);
    expect(run1.error).toBeUndefined();
    const state1 = stateOf(run1.events);
    expect(state1.text).toBe("Showing the card. ");
    expect(state1.toolCalls.call_card).toMatchObject({
      name: "showProgressCard",
      args: { steps: 3, title: "Indexing" },
    });
    expect(state1.toolCalls.call_card?.result).toBeUndefined();
    // The model was offered the page's tool with its JSON schema.
    const offered = (model.doStreamCalls.at(-1)?.tools ?? []).map((t) => t.name);
    expect(offered).toEqual(expect.arrayContaining(["showProgressCard", "search_knowledge", "calculate"]));

    // What CopilotKit's client sends next: the assistant message with the call, then the tool result.
    const messages: Message[] = [
      ...first.messages,
      {
        id: "a1",
        role: "assistant",
        content: "Showing the card. ",
        toolCalls: [
          {
            id: "call_card",
            type: "function",
            function: { name: "showProgressCard", arguments: '{"steps":3,"title":"Indexing"}' },
          },
        ],
      },
      { id: "t1", role: "tool", toolCallId: "call_card", content: "Counted 3 of 3 steps" },
    ];
    const run2 = await runWithHttpAgent(
      copilotRunUrl(s.url, "llm"),
      runInput("", { threadId: first.threadId, messages, tools: [progressCard] }),
    );
    expect(run2.error).toBeUndefined();
    expect(stateOf(run2.events).text).toBe('The tool answered: "Counted 3 of 3 steps"');
    const sent = prompts.at(-1) ?? [];
    expect(sent.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool"]);
  });

  it.each([
    ["key401", "PROVIDER_AUTH", /API key is missing or wrong/],
    ["busy429", "PROVIDER_RATE_LIMIT", /rate limiting.*HTTP 429/],
  ])("a provider error (%s) ends the run with advice; the server goes on", async (word, code, message) => {
    const run = await runWithHttpAgent(plainRunUrl(s.url, "llm"), runInput(`please ${word}`));
    const err = run.events.find((e) => e.event.type === "RUN_ERROR")?.event as unknown as {
      code: string;
      message: string;
    };
    expect(err).toMatchObject({ code, message: expect.stringMatching(message) });
    const after = await runWithHttpAgent(plainRunUrl(s.url, "calculator"), runInput("2 + 3"));
    expect(after.error).toBeUndefined();
    expect(after.text).toContain("5");
  });

  it("stop in the middle of a model's tool call: interrupted with the partial text, the model call aborted", async () => {
    const input = runInput("please slowtool");
    const res = await fetch(plainRunUrl(s.url, "llm"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    const events: BaseEvent[] = [];
    let stopped = false;
    for await (const msg of parseSse(res.body as ReadableStream<Uint8Array>)) {
      const event = JSON.parse(msg.data) as BaseEvent;
      events.push(event);
      if (!stopped && events.filter((e) => e.type === "TOOL_CALL_ARGS").length === 3) {
        stopped = true;
        const stop = await fetch(`${s.url}/api/agents/llm/threads/${input.threadId}/stop`, {
          method: "POST",
        });
        expect(stop.status).toBeLessThan(300);
      }
    }
    const state = foldChunks(decodeEvents(events));
    expect(state.interruption).toMatchObject({ partial: "Let me write the file. " });
    expect(events.filter((e) => e.type === "TOOL_CALL_ARGS").length).toBeLessThan(50);
    expect(events.at(-1)?.type).toBe("RUN_FINISHED");
    expect(model.doStreamCalls.at(-1)?.abortSignal?.aborted).toBe(true);
  });

  it("HTTP 500 after partial text: the text is kept, the error says what to do", async () => {
    for (const url of [plainRunUrl(s.url, "llm"), copilotRunUrl(s.url, "llm")]) {
      const run = await runWithHttpAgent(url, runInput("answer partial500"));
      const state = stateOf(run.events);
      expect(state.text).toBe("Half of an ");
      expect(state.error).toMatchObject({ code: "PROVIDER_UNAVAILABLE" });
      expect(state.error?.message).toMatch(/internal error \(HTTP 500\).*try again in a moment/);
    }
    const health = await fetch(`${s.url}/healthz`);
    expect(health.status).toBe(200);
  });
});
