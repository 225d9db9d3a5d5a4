/**
 * `fromAiSdk` and its helpers with both AI SDK majors side by side: `ai` (6.0.326) and `ai7` (the
 * devDependency alias `ai7: npm:ai@7.0.185`). The peer range is `^6.0.0 || ^7.0.0`, so both must
 * type-check (this file is compiled by the package's typecheck, with each major's own types) and
 * give the same chunks. Each major runs with its own newest mock model (`MockLanguageModelV3` in 6,
 * `MockLanguageModelV4` in 7), and ai 7 also with a V3 model (provider packages built for ai 6).
 */
import type { Tool } from "@ag-ui/core";
import type { ChunkInput } from "@agentstream/core";
import * as ai6 from "ai";
import { MockLanguageModelV3 as MockV3ofAi6, simulateReadableStream as simulate6 } from "ai/test";
import * as ai7 from "ai7";
import {
  MockLanguageModelV3 as MockV3ofAi7,
  MockLanguageModelV4 as MockV4ofAi7,
  simulateReadableStream as simulate7,
} from "ai7/test";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type AiSdkOutcome,
  type AiSdkSource,
  aiSdkFrontendTools,
  aiSdkMessages,
  fromAiSdk,
} from "../src/index.js";
import { runInput } from "./helpers.js";

const quiet = () => {};

type PartsOf<M extends { doStream: (options: never) => PromiseLike<{ stream: ReadableStream<unknown> }> }> =
  Awaited<ReturnType<M["doStream"]>>["stream"] extends ReadableStream<infer P> ? P : never;
type V3Part = PartsOf<MockV3ofAi6>;
type V4Part = PartsOf<MockV4ofAi7>;

/** The same two-step conversation in the V4 spec's parts (V3 has the same shapes for these). */
const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: undefined },
});
const steps: V4Part[][] = [
  [
    { type: "stream-start", warnings: [] },
    { type: "tool-input-start", id: "c1", toolName: "weather" },
    { type: "tool-input-delta", id: "c1", delta: '{"city":"Oslo"}' },
    { type: "tool-input-end", id: "c1" },
    { type: "tool-call", toolCallId: "c1", toolName: "weather", input: '{"city":"Oslo"}' },
    { type: "finish", finishReason: { unified: "tool-calls", raw: "tool_calls" }, usage: usage(50, 10) },
  ],
  [
    { type: "text-start", id: "t" },
    { type: "text-delta", id: "t", delta: "Cold: " },
    { type: "text-delta", id: "t", delta: "-3 °C." },
    { type: "text-end", id: "t" },
    { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage: usage(70, 6) },
  ],
];
const stepsV3 = steps as V3Part[][];
const next = <P>(list: P[][], call: number): P[] => list[Math.min(call, list.length - 1)] ?? [];

function modelV3ofAi6() {
  let call = 0;
  return new MockV3ofAi6({
    doStream: async () => ({ stream: simulate6({ chunks: next(stepsV3, call++) }) }),
  });
}
function modelV4ofAi7() {
  let call = 0;
  return new MockV4ofAi7({
    doStream: async () => ({ stream: simulate7({ chunks: next(steps, call++) }) }),
  });
}
function modelV3ofAi7() {
  let call = 0;
  return new MockV3ofAi7({
    doStream: async () => ({ stream: simulate7({ chunks: next(stepsV3, call++) }) }),
  });
}

async function drain(gen: AsyncGenerator<ChunkInput, AiSdkOutcome, undefined>) {
  const items: ChunkInput[] = [];
  while (true) {
    const step = await gen.next();
    if (step.done) return { items, returned: step.value };
    items.push(step.value);
  }
}

const messages = runInput("Weather in Oslo?").messages;
const frontendTools: Tool[] = [
  { name: "showMap", description: "Shows a map", parameters: { type: "object", properties: {} } },
];

describe("fromAiSdk with ai 6 and ai 7", () => {
  it("the helpers' outputs and streamText's results type-check with both majors", () => {
    expectTypeOf(aiSdkMessages(messages)).toExtend<ai6.ModelMessage[]>();
    expectTypeOf(aiSdkMessages(messages)).toExtend<ai7.ModelMessage[]>();
    expectTypeOf(aiSdkFrontendTools(frontendTools)).toExtend<ai6.ToolSet>();
    expectTypeOf(aiSdkFrontendTools(frontendTools)).toExtend<ai7.ToolSet>();
    expectTypeOf<ReturnType<typeof ai6.streamText>>().toExtend<AiSdkSource>();
    expectTypeOf<ReturnType<typeof ai7.streamText>>().toExtend<AiSdkSource>();
    expectTypeOf<ReturnType<typeof ai6.streamText>["fullStream"]>().toExtend<AiSdkSource>();
    expectTypeOf<ReturnType<typeof ai7.streamText>["fullStream"]>().toExtend<AiSdkSource>();
  });

  it("the same conversation gives the same chunks and outcome on ai 6 (V3 model) and ai 7 (V4 and V3 models)", async () => {
    const weather6 = ai6.tool({
      inputSchema: ai6.jsonSchema<{ city: string }>({
        type: "object",
        properties: { city: { type: "string" } },
      }),
      execute: async ({ city }) => ({ city, celsius: -3 }),
    });
    const weather7 = ai7.tool({
      inputSchema: ai7.jsonSchema<{ city: string }>({
        type: "object",
        properties: { city: { type: "string" } },
      }),
      execute: async ({ city }) => ({ city, celsius: -3 }),
    });
    const on6 = await drain(
      fromAiSdk(
        ai6.streamText({
          model: modelV3ofAi6(),
          messages: aiSdkMessages(messages),
          tools: { weather: weather6, ...aiSdkFrontendTools(frontendTools) },
          stopWhen: ai6.stepCountIs(3),
          onError: quiet,
        }),
      ),
    );
    const on7 = await drain(
      fromAiSdk(
        ai7.streamText({
          model: modelV4ofAi7(),
          messages: aiSdkMessages(messages),
          tools: { weather: weather7, ...aiSdkFrontendTools(frontendTools) },
          stopWhen: ai7.stepCountIs(3),
          onError: quiet,
        }),
      ),
    );
    const on7WithV3 = await drain(
      fromAiSdk(
        ai7.streamText({
          model: modelV3ofAi7(),
          messages: aiSdkMessages(messages),
          tools: { weather: weather7 },
          stopWhen: ai7.stepCountIs(3),
          onError: quiet,
        }),
      ),
    );
    expect(on6.returned).toMatchObject({
      text: "Cold: -3 °C.",
      finishReason: "stop",
      steps: 2,
      outcome: "finished",
      pendingToolCalls: [],
      usage: { inputTokens: 120, outputTokens: 16, cachedInputTokens: 0 },
    });
    expect(on6.items).toContainEqual({
      type: "tool_result",
      id: "c1",
      name: "weather",
      result: { city: "Oslo", celsius: -3 },
      success: true,
    });
    expect(on7.items).toEqual(on6.items);
    expect(on7.returned).toEqual(on6.returned);
    expect(on7WithV3.items).toEqual(on6.items);
    expect(on7WithV3.returned).toEqual(on6.returned);
  });

  it("ai 7: a text-input tool call (inputEncoding: text) streams args that parse as its final args", async () => {
    const model = new MockV4ofAi7({
      doStream: async () => ({
        stream: simulate7({
          chunks: [
            { type: "tool-input-start", id: "e1", toolName: "editor", inputEncoding: "text" },
            { type: "tool-input-delta", id: "e1", delta: "line one\n" },
            { type: "tool-input-delta", id: "e1", delta: 'and "two"' },
            { type: "tool-input-end", id: "e1" },
            {
              type: "tool-call",
              toolCallId: "e1",
              toolName: "editor",
              input: JSON.stringify('line one\nand "two"'),
            },
            { type: "finish", finishReason: { unified: "tool-calls", raw: undefined }, usage: usage(5, 5) },
          ],
        }),
      }),
    });
    const { items, returned } = await drain(
      fromAiSdk(
        ai7.streamText({
          model,
          prompt: "edit",
          tools: aiSdkFrontendTools([{ name: "editor", description: "Edits", parameters: {} }]),
          onError: quiet,
        }),
      ),
    );
    const calls = items.filter((c) => typeof c === "object" && c.type === "tool_call");
    const streamed = calls.flatMap((c) =>
      "argsDelta" in c && typeof c.argsDelta === "string" ? [c.argsDelta] : [],
    );
    const final = calls.at(-1) as { args?: unknown };
    expect(JSON.parse(streamed.join(""))).toEqual(final.args);
    expect(returned.pendingToolCalls).toEqual([{ id: "e1", name: "editor", input: 'line one\nand "two"' }]);
  });
});
