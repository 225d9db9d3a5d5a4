import { describe, expect, it } from "vitest";
import { foldChunks, type StreamChunk } from "../src/index.js";

const at = (seq: number, chunk: Record<string, unknown>) =>
  ({ seq, timestamp: 1_000 + seq, ...chunk }) as StreamChunk;

describe("model usage in run metrics", () => {
  it("sums metadata.usage over the chunks that carry it; ignores malformed usage", () => {
    const state = foldChunks([
      at(0, { type: "token", text: "a" }),
      at(1, {
        type: "progress",
        step: "Model step 1 done",
        current: 1,
        metadata: {
          usage: { inputTokens: 100, outputTokens: 20, cachedInputTokens: 60, reasoningTokens: 8 },
        },
      }),
      at(2, { type: "progress", step: "x", current: 2, metadata: { usage: "lots" } }),
      at(3, {
        type: "progress",
        step: "Model step 2 done",
        current: 2,
        metadata: { usage: { inputTokens: 130, outputTokens: 9, cachedInputTokens: 100 } },
      }),
    ]);
    expect(state.metrics.usage).toEqual({
      inputTokens: 230,
      outputTokens: 29,
      cachedInputTokens: 160,
      reasoningTokens: 8,
    });
  });

  it("no usage reported: no usage field", () => {
    expect(foldChunks([at(0, { type: "token", text: "a" })]).metrics.usage).toBeUndefined();
  });
});
