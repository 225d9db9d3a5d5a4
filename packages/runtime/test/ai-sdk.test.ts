/**
 * fromAiSdk against the AI SDK itself: real `streamText` over the SDK's own `MockLanguageModelV3`,
 * and hand-written full streams for the part types a mock model cannot produce (denied outputs,
 * abort parts, unknown parts). The project `runtime` runs this file against `ai` 6.0.326, the
 * project `runtime-ai7` (vitest.ai7.config.ts) against `ai` 7 (both majors export
 * `MockLanguageModelV3`; ai 7 adds `MockLanguageModelV4`). Types are checked against ai 6;
 * ai-sdk-majors.test.ts checks both majors' types and runs each with its own newest mock model.
 */
import type { StreamChunk } from "@agentstream/core";
import { decodeEvents, foldChunks } from "@agentstream/core";
import { APICallError, jsonSchema, stepCountIs, streamText, tool } from "ai";
import * as aiTest from "ai/test";
import { MockLanguageModelV3, simulateReadableStream } from "ai/test";
import { describe, expect, it } from "vitest";
import {
  type AiSdkStreamPart,
  aiSdkFrontendTools,
  aiSdkMessages,
  defineAgent,
  fromAiSdk,
  runAgentChunks,
  runAgentEvents,
} from "../src/index.js";
import { runInput } from "./helpers.js";

/** The SDK logs stream errors to the console unless told otherwise; fromAiSdk reports them as chunks. */
const quiet = () => {};

type V3Part =
  Awaited<ReturnType<MockLanguageModelV3["doStream"]>>["stream"] extends ReadableStream<infer P> ? P : never;

const usage = (input: number, output: number, cacheRead = 0, reasoning?: number) => ({
  inputTokens: { total: input, noCache: input - cacheRead, cacheRead, cacheWrite: 0 },
  outputTokens: { total: output, text: output - (reasoning ?? 0), reasoning },
});
const finish = (reason: "stop" | "tool-calls", u = usage(10, 5)) =>
  ({ type: "finish", finishReason: { unified: reason, raw: reason }, usage: u }) as V3Part;

/** A mock model answering each call with the next list of stream parts. */
function scriptedModel(steps: V3Part[][], chunkDelayInMs: number | null = null) {
  let call = 0;
  return new MockLanguageModelV3({
    doStream: async () => ({
      stream: simulateReadableStream({
        chunks: steps[Math.min(call++, steps.length - 1)] ?? [],
        chunkDelayInMs,
      }),
    }),
  });
}

async function drain<T, R>(gen: AsyncGenerator<T, R, undefined>): Promise<{ items: T[]; returned: R }> {
  const items: T[] = [];
  while (true) {
    const step = await gen.next();
    if (step.done) return { items, returned: step.value };
    items.push(step.value);
  }
}

const weather = tool({
  description: "Weather in a city",
  inputSchema: jsonSchema<{ city: string }>({
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
  }),
  execute: async ({ city }) => ({ city, celsius: 21 }),
});

describe("fromAiSdk over streamText and MockLanguageModelV3", () => {
  it(`runs against the AI SDK major the project names (ai ${process.env.AI_SDK_MAJOR})`, () => {
    expect(["6", "7"]).toContain(process.env.AI_SDK_MAJOR);
    expect("MockLanguageModelV4" in aiTest).toBe(process.env.AI_SDK_MAJOR === "7");
  });

  it("text, reasoning, a streamed tool call, its result, steps and usage (with cached tokens)", async () => {
    const model = scriptedModel([
      [
        { type: "stream-start", warnings: [] },
        { type: "reasoning-start", id: "r1" },
        { type: "reasoning-delta", id: "r1", delta: "The user wants " },
        { type: "reasoning-delta", id: "r1", delta: "the weather." },
        { type: "reasoning-end", id: "r1" },
        { type: "tool-input-start", id: "call_1", toolName: "weather" },
        { type: "tool-input-delta", id: "call_1", delta: '{"city":' },
        { type: "tool-input-delta", id: "call_1", delta: '"Paris"}' },
        { type: "tool-input-end", id: "call_1" },
        { type: "tool-call", toolCallId: "call_1", toolName: "weather", input: '{"city":"Paris"}' },
        finish("tool-calls", usage(100, 20, 60, 8)),
      ],
      [
        { type: "text-start", id: "t1" },
        { type: "text-delta", id: "t1", delta: "It is " },
        { type: "text-delta", id: "t1", delta: "21 °C in Paris." },
        { type: "text-end", id: "t1" },
        finish("stop", usage(130, 9, 100)),
      ],
    ]);
    const result = streamText({
      model,
      prompt: "Weather in Paris?",
      tools: { weather },
      stopWhen: stepCountIs(3),
    });
    const { items, returned } = await drain(fromAiSdk(result));
    const types = items.map((c) => (c as { type: string }).type);
    expect(types).toEqual([
      "status", // step 1
      "thinking",
      "thinking",
      "status", // acting
      "tool_call",
      "tool_call",
      "tool_call",
      "tool_call", // complete args
      "tool_result",
      "status", // observing
      "progress", // step 1 done
      "status", // step 2
      "token",
      "token",
      "progress", // step 2 done
    ]);
    expect(items[4]).toEqual({ type: "tool_call", id: "call_1", name: "weather" });
    expect(items[5]).toMatchObject({ argsDelta: '{"city":' });
    expect(items[7]).toMatchObject({ args: { city: "Paris" } });
    expect(items[8]).toEqual({
      type: "tool_result",
      id: "call_1",
      name: "weather",
      result: { city: "Paris", celsius: 21 },
      success: true,
    });
    expect(items[10]).toMatchObject({
      type: "progress",
      current: 1,
      metadata: {
        usage: { inputTokens: 100, outputTokens: 20, cachedInputTokens: 60, reasoningTokens: 8 },
        finishReason: "tool-calls",
      },
    });
    expect(returned).toMatchObject({
      text: "It is 21 °C in Paris.",
      finishReason: "stop",
      steps: 2,
      outcome: "finished",
      pendingToolCalls: [],
      usage: { inputTokens: 230, outputTokens: 29, cachedInputTokens: 160, reasoningTokens: 8 },
    });
  });

  it("usage reaches the run's metrics through the pump, the AG-UI mapping and core's reducer", async () => {
    const agent = defineAgent({
      name: "weather",
      description: "test",
      async *run(_input, ctx) {
        const model = scriptedModel([
          [
            { type: "text-start", id: "t" },
            { type: "text-delta", id: "t", delta: "Hello" },
            { type: "text-end", id: "t" },
            finish("stop", usage(42, 7, 30)),
          ],
        ]);
        return (yield* fromAiSdk(streamText({ model, prompt: "hi", abortSignal: ctx.signal }))).text;
      },
    });
    const chunks: StreamChunk[] = [];
    for await (const c of runAgentChunks(agent, runInput("hi"))) chunks.push(c);
    expect(foldChunks(chunks).metrics.usage).toEqual({
      inputTokens: 42,
      outputTokens: 7,
      cachedInputTokens: 30,
    });
    const events = [];
    for await (const e of runAgentEvents(agent, runInput("hi"))) events.push(e);
    const state = foldChunks(decodeEvents(events));
    expect(state.metrics.usage).toEqual({ inputTokens: 42, outputTokens: 7, cachedInputTokens: 30 });
    expect(state.text).toBe("Hello");
    expect(state.result?.output).toBe("Hello");
  });

  it("a tool that throws becomes a failed tool_result and the model goes on", async () => {
    const broken = tool({
      description: "fails",
      inputSchema: jsonSchema<{ reason?: string }>({ type: "object", properties: {} }),
      execute: async (): Promise<string> => {
        throw new Error("disk on fire");
      },
    });
    const model = scriptedModel([
      [{ type: "tool-call", toolCallId: "c1", toolName: "broken", input: "{}" }, finish("tool-calls")],
      [{ type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: "Sorry." }, finish("stop")],
    ]);
    const { items, returned } = await drain(
      fromAiSdk(streamText({ model, prompt: "x", tools: { broken }, stopWhen: stepCountIs(3) })),
    );
    expect(items).toContainEqual({
      type: "tool_result",
      id: "c1",
      name: "broken",
      result: { error: "disk on fire" },
      success: false,
    });
    expect(returned.text).toBe("Sorry.");
  });

  it("frontend tools (ctx.tools) reach the model; their calls stay pending for the browser", async () => {
    let offered: unknown;
    const model = new MockLanguageModelV3({
      doStream: async (options) => {
        offered = options.tools;
        return {
          stream: simulateReadableStream({
            chunks: [
              { type: "tool-input-start", id: "f1", toolName: "showProgressCard" },
              { type: "tool-input-delta", id: "f1", delta: '{"steps":3}' },
              { type: "tool-input-end", id: "f1" },
              { type: "tool-call", toolCallId: "f1", toolName: "showProgressCard", input: '{"steps":3}' },
              finish("tool-calls"),
            ] as V3Part[],
          }),
        };
      },
    });
    const frontend = aiSdkFrontendTools([
      {
        name: "showProgressCard",
        description: "Shows a card that counts steps",
        parameters: { type: "object", properties: { steps: { type: "number" } }, required: ["steps"] },
      },
    ]);
    const { items, returned } = await drain(
      fromAiSdk(streamText({ model, prompt: "x", tools: frontend, stopWhen: stepCountIs(5) })),
    );
    expect(offered).toEqual([
      expect.objectContaining({
        type: "function",
        name: "showProgressCard",
        description: "Shows a card that counts steps",
        inputSchema: expect.objectContaining({ properties: { steps: { type: "number" } } }),
      }),
    ]);
    expect(items).toContainEqual({
      type: "tool_call",
      id: "f1",
      name: "showProgressCard",
      args: { steps: 3 },
    });
    expect(items.some((c) => (c as { type: string }).type === "tool_result")).toBe(false);
    expect(returned.pendingToolCalls).toEqual([{ id: "f1", name: "showProgressCard", input: { steps: 3 } }]);
    expect(returned.finishReason).toBe("tool-calls");
    expect(returned.steps).toBe(1);
  });

  it("an error after partial text: an error chunk saying what happened, the partial text kept", async () => {
    const model = scriptedModel([
      [
        { type: "text-start", id: "t" },
        { type: "text-delta", id: "t", delta: "Half an ans" },
        {
          type: "error",
          error: new APICallError({
            message: "Internal Server Error",
            url: "https://api.example/v1",
            requestBodyValues: {},
            statusCode: 500,
          }),
        },
      ],
    ]);
    const { items, returned } = await drain(
      fromAiSdk(streamText({ model, prompt: "x", maxRetries: 0, onError: quiet }), {
        providerName: "OpenAI",
      }),
    );
    expect(items.filter((c) => (c as { type: string }).type === "token")).toEqual([
      { type: "token", text: "Half an ans" },
    ]);
    const error = items.at(-1) as { type: string; message: string; code: string; metadata: unknown };
    expect(error).toMatchObject({
      type: "error",
      code: "PROVIDER_UNAVAILABLE",
      recoverable: false,
      metadata: { status: 500, partial: "Half an ans" },
    });
    expect(error.message).toMatch(/OpenAI had an internal error \(HTTP 500\).*try again/);
    expect(returned).toMatchObject({ outcome: "error", text: "Half an ans" });
  });

  it.each([
    [
      401,
      "PROVIDER_AUTH",
      /refused the request \(HTTP 401\): the API key is missing or wrong\. Check OPENAI_API_KEY/,
    ],
    [429, "PROVIDER_RATE_LIMIT", /rate limiting this key \(HTTP 429\).*Wait a little and try again/],
    [400, "PROVIDER_BAD_REQUEST", /rejected the request \(HTTP 400\): check the model name/],
  ])("HTTP %i from the provider becomes %s with advice", async (statusCode, code, message) => {
    const model = new MockLanguageModelV3({
      doStream: async () => {
        throw new APICallError({
          message: "provider said no",
          url: "https://api.example/v1",
          requestBodyValues: {},
          statusCode,
          isRetryable: false,
        });
      },
    });
    const { items } = await drain(
      fromAiSdk(streamText({ model, prompt: "x", maxRetries: 0, onError: quiet }), {
        apiKeyName: "OPENAI_API_KEY",
      }),
    );
    expect(items.at(-1)).toMatchObject({ type: "error", code, message: expect.stringMatching(message) });
  });

  it("an unreachable provider says so (network, base URL)", async () => {
    const model = new MockLanguageModelV3({
      doStream: async () => {
        throw new APICallError({
          message: "Cannot connect to API: getaddrinfo ENOTFOUND api.openai.com",
          url: "https://api.openai.com/v1/responses",
          requestBodyValues: {},
          isRetryable: false,
        });
      },
    });
    const { items } = await drain(
      fromAiSdk(streamText({ model, prompt: "x", maxRetries: 0, onError: quiet }), {
        providerName: "OpenAI",
      }),
    );
    expect(items.at(-1)).toMatchObject({
      type: "error",
      code: "PROVIDER_UNREACHABLE",
      message: expect.stringMatching(/^OpenAI could not be reached: check the network/),
    });
  });

  it("a rate limit that outlasts the SDK's retries still names the status (RetryError unwrapped)", async () => {
    const model = new MockLanguageModelV3({
      doStream: async () => {
        throw new APICallError({
          message: "Too Many Requests",
          url: "https://api.example/v1",
          requestBodyValues: {},
          statusCode: 429,
          responseHeaders: { "retry-after-ms": "1" },
        });
      },
    });
    const { items } = await drain(
      fromAiSdk(streamText({ model, prompt: "x", maxRetries: 1, onError: quiet })),
    );
    expect(items.at(-1)).toMatchObject({
      type: "error",
      code: "PROVIDER_RATE_LIMIT",
      metadata: { status: 429 },
    });
  });

  it("abort in the middle of a tool call: interrupted, with the partial text, and the stream stops", async () => {
    const controller = new AbortController();
    const model = scriptedModel(
      [
        [
          { type: "text-start", id: "t" },
          { type: "text-delta", id: "t", delta: "Let me look. " },
          { type: "tool-input-start", id: "c1", toolName: "weather" },
          { type: "tool-input-delta", id: "c1", delta: '{"ci' },
          { type: "tool-input-delta", id: "c1", delta: 'ty":"Rome"}' },
          { type: "tool-input-end", id: "c1" },
          { type: "tool-call", toolCallId: "c1", toolName: "weather", input: '{"city":"Rome"}' },
          finish("tool-calls"),
        ],
      ],
      20,
    );
    const gen = fromAiSdk(
      streamText({
        model,
        prompt: "x",
        tools: { weather },
        abortSignal: controller.signal,
        maxRetries: 0,
        onError: quiet,
      }),
    );
    const items: unknown[] = [];
    let returned: unknown;
    while (true) {
      const step = await gen.next();
      if (step.done) {
        returned = step.value;
        break;
      }
      items.push(step.value);
      if ((step.value as { argsDelta?: string }).argsDelta === '{"ci') controller.abort("user pressed stop");
    }
    expect(items.at(-1)).toMatchObject({ type: "interrupted", partial: "Let me look. " });
    expect(items.some((c) => (c as { type: string }).type === "tool_result")).toBe(false);
    expect(returned).toMatchObject({ outcome: "aborted", text: "Let me look. " });
  });
});

describe("fromAiSdk over hand-written full streams", () => {
  async function* parts(list: AiSdkStreamPart[]) {
    for (const p of list) yield p;
  }

  it("denied outputs, preliminary results, sources and unknown parts; an abort part ends it", async () => {
    const { items, returned } = await drain(
      fromAiSdk(
        parts([
          { type: "start" },
          { type: "start-step" },
          { type: "source", id: "s", url: "https://x" },
          { type: "tool-call", toolCallId: "a", toolName: "rm", input: { path: "/" } },
          { type: "tool-output-denied", toolCallId: "a", toolName: "rm" },
          { type: "tool-call", toolCallId: "b", toolName: "count", input: 3 },
          { type: "tool-result", toolCallId: "b", toolName: "count", output: 1, preliminary: true },
          { type: "tool-result", toolCallId: "b", toolName: "count", output: 3 },
          { type: "text-delta", id: "t", text: "ok" },
          { type: "something-new", payload: 1 },
          { type: "abort", reason: "stopped by the user" },
          { type: "text-delta", id: "t", text: "never" },
        ]),
      ),
    );
    expect(items).toEqual([
      { type: "status", status: "thinking", iteration: 1 },
      { type: "status", status: "acting", iteration: 1 },
      { type: "tool_call", id: "a", name: "rm", args: { path: "/" } },
      {
        type: "tool_result",
        id: "a",
        name: "rm",
        result: { error: "The tool call was denied." },
        success: false,
      },
      { type: "status", status: "acting", iteration: 1 },
      { type: "tool_call", id: "b", name: "count", args: { input: 3 } },
      { type: "tool_result", id: "b", name: "count", result: 3, success: true },
      { type: "status", status: "observing", iteration: 1 },
      { type: "token", text: "ok" },
      { type: "interrupted", reason: "stopped by the user", partial: "ok" },
    ]);
    expect(returned.outcome).toBe("aborted");
  });

  it("finish reasons: length and content-filter are reported as recoverable errors", async () => {
    const cut = await drain(
      fromAiSdk(
        parts([
          { type: "text-delta", id: "t", text: "A long" },
          { type: "finish", finishReason: "length" },
        ]),
      ),
    );
    expect(cut.items.at(-1)).toMatchObject({ type: "error", code: "MODEL_OUTPUT_LIMIT", recoverable: true });
    expect(cut.returned).toMatchObject({ finishReason: "length", outcome: "finished" });
    const filtered = await drain(fromAiSdk(parts([{ type: "finish", finishReason: "content-filter" }])));
    expect(filtered.items.at(-1)).toMatchObject({ code: "MODEL_CONTENT_FILTER", recoverable: true });
    const stop = await drain(fromAiSdk(parts([{ type: "finish", finishReason: "stop" }])));
    expect(stop.items).toEqual([]);
  });

  it("finish reason interrupted (AI SDK 7: the provider's stream ended early) is a recoverable error", async () => {
    const early = await drain(
      fromAiSdk(
        parts([
          { type: "text-delta", id: "t", text: "Half an" },
          { type: "finish", finishReason: "interrupted" },
        ]),
      ),
    );
    expect(early.items.at(-1)).toMatchObject({
      type: "error",
      code: "MODEL_STREAM_INTERRUPTED",
      recoverable: true,
    });
    expect(early.returned).toMatchObject({
      text: "Half an",
      finishReason: "interrupted",
      outcome: "finished",
    });
  });

  it("tool input streamed as raw text (AI SDK 7 inputEncoding: text) streams as the JSON of { input }", async () => {
    const { items } = await drain(
      fromAiSdk(
        parts([
          { type: "tool-input-start", id: "p", toolName: "patch", inputEncoding: "text" },
          { type: "tool-input-delta", id: "p", delta: 'say "hi"\n' },
          { type: "tool-input-delta", id: "p", delta: "done" },
          { type: "tool-input-end", id: "p" },
          { type: "tool-call", toolCallId: "p", toolName: "patch", input: 'say "hi"\ndone' },
        ]),
      ),
    );
    const deltas = items.flatMap((c) =>
      "argsDelta" in c && typeof c.argsDelta === "string" ? [c.argsDelta] : [],
    );
    expect(deltas).toHaveLength(3);
    expect(JSON.parse(deltas.join(""))).toEqual({ input: 'say "hi"\ndone' });
    expect(items.at(-1)).toEqual({
      type: "tool_call",
      id: "p",
      name: "patch",
      args: { input: 'say "hi"\ndone' },
    });
  });

  it("a stream that throws an AbortError is interrupted; any other throw is an error chunk", async () => {
    async function* throwing(error: Error) {
      yield { type: "text-delta", id: "t", text: "part" } as AiSdkStreamPart;
      throw error;
    }
    const abort = Object.assign(new Error("This operation was aborted"), { name: "AbortError" });
    expect((await drain(fromAiSdk(throwing(abort)))).items.at(-1)).toMatchObject({
      type: "interrupted",
      partial: "part",
    });
    expect((await drain(fromAiSdk(throwing(new Error("socket hang up"))))).items.at(-1)).toMatchObject({
      type: "error",
      code: "PROVIDER_ERROR",
      message: "The model call failed: socket hang up",
      metadata: { partial: "part" },
    });
  });
});

describe("aiSdkMessages", () => {
  it("maps AG-UI messages, with tool calls and their results, to model messages", () => {
    expect(
      aiSdkMessages([
        { id: "0", role: "system", content: "Be brief." },
        { id: "1", role: "user", content: "Show 3 steps" },
        {
          id: "2",
          role: "assistant",
          content: "",
          toolCalls: [
            { id: "f1", type: "function", function: { name: "showProgressCard", arguments: '{"steps":3}' } },
          ],
        },
        { id: "3", role: "tool", toolCallId: "f1", content: "done: 3 steps" },
        { id: "4", role: "activity", activityType: "x", content: {} } as never,
      ]),
    ).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Show 3 steps" },
      {
        role: "assistant",
        content: [{ type: "tool-call", toolCallId: "f1", toolName: "showProgressCard", input: { steps: 3 } }],
      },
      {
        role: "tool",
        content: [
          {
            type: "tool-result",
            toolCallId: "f1",
            toolName: "showProgressCard",
            output: { type: "text", value: "done: 3 steps" },
          },
        ],
      },
    ]);
  });
});
