import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ChunkNormalizer,
  ChunkValidationError,
  foldChunks,
  type StreamChunk,
  toChunk,
} from "../src/index.js";
import { chunkSequence } from "./arbitraries.js";

const T = 1_700_000_000_000;

function errorOf(fn: () => unknown): ChunkValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ChunkValidationError);
    return e as ChunkValidationError;
  }
  throw new Error("expected a ChunkValidationError");
}

/** Normalises one chunk alone (fresh normaliser, deterministic ids), `seq` 0. */
function one(value: unknown): StreamChunk {
  return toChunk(value, 0, T, new ChunkNormalizer({ idPrefix: "call_" }));
}

// Every seed shape (000, 001, 003, 004) and the canonical chunk it must become (envelope aside).
const SEED_SHAPES: [string, unknown, Record<string, unknown>][] = [
  // seed 000 (backend agent streaming, CopilotKit action)
  [
    "000 thinking content",
    { type: "thinking", content: "Analyzing task..." },
    { type: "thinking", text: "Analyzing task..." },
  ],
  [
    "000 progress step + content",
    { type: "progress", step: "Fetch", content: "3 pages" },
    { type: "progress", step: "Fetch", current: 1, message: "3 pages" },
  ],
  [
    "000 progress with an object result",
    { type: "progress", step: "Fetch", content: { pages: 3 } },
    { type: "progress", step: "Fetch", current: 1, message: '{"pages":3}' },
  ],
  [
    "000 complete",
    { type: "complete", result: { answer: 42 } },
    { type: "result", output: { answer: 42 }, success: true },
  ],
  ["000 interrupted", { type: "interrupted" }, { type: "interrupted", reason: "interrupted" }],
  [
    "000 stream_chunk",
    { type: "stream_chunk", content: "Hello", metadata: { source: "llm" } },
    { type: "token", text: "Hello", metadata: { source: "llm" } },
  ],
  [
    "000 stream_chunk without metadata",
    { type: "stream_chunk", content: "Hi", metadata: undefined },
    { type: "token", text: "Hi" },
  ],
  // seed 001 (agent-level streaming)
  ["001 token content", { type: "token", content: "Hel" }, { type: "token", text: "Hel" }],
  [
    "001 tool_call",
    { type: "tool_call", tool_name: "search", parameters: { q: "python" } },
    { type: "tool_call", id: "call_1", name: "search", args: { q: "python" } },
  ],
  [
    "001 tool_call without parameters",
    { type: "tool_call", tool_name: "search" },
    { type: "tool_call", id: "call_1", name: "search" },
  ],
  [
    "001 tool_result without success",
    { type: "tool_result", tool_name: "search", result: ["a"] },
    { type: "tool_result", id: "call_1", name: "search", result: ["a"], success: true },
  ],
  [
    "001 tool_result failed",
    { type: "tool_result", tool_name: "search", result: "timeout", success: false },
    { type: "tool_result", id: "call_1", name: "search", result: "timeout", success: false },
  ],
  [
    "001 result without success",
    { type: "result", output: "done" },
    { type: "result", output: "done", success: true },
  ],
  [
    "001 result with execution_time (s)",
    { type: "result", output: "done", execution_time: 1.5 },
    { type: "result", output: "done", success: true, duration: 1500 },
  ],
  ["001 error string", { type: "error", error: "Rate limited" }, { type: "error", message: "Rate limited" }],
  ["error as an Error", { type: "error", error: new Error("boom") }, { type: "error", message: "boom" }],
  [
    "001 status with iteration",
    { type: "status", status: "acting", iteration: 2 },
    { type: "status", status: "acting", iteration: 2 },
  ],
  ["status in capitals", { type: "status", status: "Thinking" }, { type: "status", status: "thinking" }],
  [
    "001 timestamp as ISO text",
    { type: "token", content: "x", timestamp: "2024-01-02T03:04:05.000Z" },
    { type: "token", text: "x", timestamp: Date.parse("2024-01-02T03:04:05.000Z") },
  ],
  // seed 003 (websocket chunks)
  ["003 chunk with data text", { type: "chunk", data: "Once" }, { type: "token", text: "Once" }],
  ["003 bare complete", { type: "complete" }, { type: "result", output: undefined, success: true }],
  // seed 004 (AgentTheo)
  [
    "004 progress numeric step",
    { type: "progress", step: 1, total: 5, message: "Navigating to website..." },
    { type: "progress", step: "Navigating to website...", current: 1, total: 5 },
  ],
  [
    "004 progress numeric step, no message",
    { type: "progress", step: 2, total: 5 },
    { type: "progress", step: "Step 2", current: 2, total: 5 },
  ],
  [
    "004 tool_start",
    { type: "tool_start", tool_name: "navigate_to", tool_input: "https://example.com" },
    { type: "tool_call", id: "call_1", name: "navigate_to", args: { input: "https://example.com" } },
  ],
  [
    "004 tool_start with JSON text input",
    { type: "tool_start", tool_name: "navigate_to", tool_input: '{"url":"https://example.com"}' },
    { type: "tool_call", id: "call_1", name: "navigate_to", args: { url: "https://example.com" } },
  ],
  [
    "004 data-wrapped progress",
    { type: "progress", data: { step: 1, total: 5, message: "Navigating" } },
    { type: "progress", step: "Navigating", current: 1, total: 5 },
  ],
  [
    "004 data-wrapped token",
    { type: "token", data: { token: "Hello ", metadata: { count: 1 } } },
    { type: "token", text: "Hello ", metadata: { count: 1 } },
  ],
  [
    "tool_end",
    { type: "tool_end", tool_name: "navigate_to", output: "ok" },
    { type: "tool_result", id: "call_1", name: "navigate_to", result: "ok", success: true },
  ],
  [
    "tool_result with an error",
    { type: "tool_result", tool_name: "search", error: "not found" },
    { type: "tool_result", id: "call_1", name: "search", result: "not found", success: false },
  ],
  // canonical
  ["canonical token", { type: "token", text: "x" }, { type: "token", text: "x" }],
  [
    "canonical tool_result",
    { type: "tool_result", id: "t", result: 1, success: true },
    { type: "tool_result", id: "t", result: 1, success: true },
  ],
  [
    "canonical interrupted",
    { type: "interrupted", reason: "user", partial: "p" },
    { type: "interrupted", reason: "user", partial: "p" },
  ],
  ["string", "plain text", { type: "token", text: "plain text" }],
];

describe("seed shapes normalise to canonical chunks", () => {
  it.each(SEED_SHAPES)("%s", (_name, input, expected) => {
    expect(one(input)).toStrictEqual({ seq: 0, timestamp: T, ...expected });
  });

  it("does not mutate the written object", () => {
    const input = { type: "chunk", data: "x" };
    one(input);
    expect(input).toStrictEqual({ type: "chunk", data: "x" });
  });
});

describe("pairing across one stream", () => {
  it("a tool_result naming only its tool closes the latest open call of that name", () => {
    const n = new ChunkNormalizer({ idPrefix: "c" });
    const inputs = [
      { type: "tool_call", tool_name: "search", parameters: { q: "a" } },
      { type: "tool_start", tool_name: "fetch", tool_input: "u" },
      { type: "tool_call", tool_name: "search", parameters: { q: "b" } },
      { type: "tool_result", tool_name: "search", result: "B" },
      { type: "tool_result", tool_name: "search", result: "A" },
      { type: "tool_end", result: "U" },
      { type: "tool_result", tool_name: "search", result: "orphan" },
    ];
    const chunks = inputs.map((v, i) => toChunk(v, i, T, n));
    const ids = chunks.map((c) => (c as { id: string }).id);
    expect(ids).toEqual(["c1", "c2", "c3", "c3", "c1", "c2", "c4"]);
    expect(chunks[5]).toMatchObject({ name: "fetch", success: true });
    const state = foldChunks(chunks);
    const tools = state.toolCallOrder.map((id) => state.toolCalls[id]);
    expect(tools.map((t) => [t?.name, t?.status, t?.result])).toEqual([
      ["search", "complete", "A"],
      ["fetch", "complete", "U"],
      ["search", "complete", "B"],
      ["search", "complete", "orphan"],
    ]);
  });

  it("pairs within the same agent only", () => {
    const n = new ChunkNormalizer({ idPrefix: "c" });
    toChunk({ type: "tool_call", tool_name: "s", agent: "a" }, 0, T, n);
    toChunk({ type: "tool_call", tool_name: "s", agent: "b" }, 1, T, n);
    expect(toChunk({ type: "tool_result", tool_name: "s", result: 1, agent: "a" }, 2, T, n)).toMatchObject({
      id: "c1",
    });
  });

  it("a delta naming only the call's id gets the call's name", () => {
    const n = new ChunkNormalizer();
    toChunk({ type: "tool_call", id: "x", name: "search", argsDelta: '{"q"' }, 0, T, n);
    expect(toChunk({ type: "tool_call", id: "x", argsDelta: ':"a"}' }, 1, T, n)).toMatchObject({
      name: "search",
    });
  });

  it("named steps without counts are counted per stream", () => {
    const n = new ChunkNormalizer();
    const steps = ["Search", "Read", "Read", "Write"].map((step, i) =>
      toChunk({ type: "progress", step, content: "ok" }, i, T, n),
    );
    expect(steps.map((c) => (c as { current: number }).current)).toEqual([1, 2, 2, 3]);
  });

  it("without a normaliser each call stands alone (fresh ids)", () => {
    const a = toChunk({ type: "tool_call", tool_name: "s" }, 0, T) as { id: string };
    const b = toChunk({ type: "tool_call", tool_name: "s" }, 1, T) as { id: string };
    expect(a.id).not.toBe(b.id);
  });
});

describe("what is still malformed reads cleanly", () => {
  it.each([
    [
      { type: "tool_result", tool_name: "s", result: 1, success: "yes" },
      2,
      'chunk 2 (tool_result): `success` must be true or false, got the string "yes"',
    ],
    [{ type: "token" }, 0, "chunk 0 (token): `text` is missing (also accepted: `content`, `token`, `delta`)"],
    [{ type: "token", content: 5 }, 1, "chunk 1 (token): `content` must be a string, got the number 5"],
    [
      { type: "tool_start", tool_name: 3 },
      4,
      "chunk 4 (tool_start): `tool_name` must be a string, got the number 3",
    ],
    [{ type: "error" }, 0, "chunk 0 (error): `message` is missing (also accepted: `error`, `content`)"],
    [{ type: "progress", content: "x" }, 0, "chunk 0 (progress): `step` is missing"],
    [
      { type: "stream_chunk", content: { a: 1 } },
      0,
      "chunk 0 (stream_chunk): `content` must be a string, got an object",
    ],
    [{ type: "complete", success: null }, 0, "chunk 0 (complete): `success` must be true or false, got null"],
    [{ content: "x" }, 3, "chunk 3: `type` is missing"],
  ])("%j", (input, index, message) => {
    expect(errorOf(() => toChunk(input, index, T)).message).toBe(message);
  });

  it("names the seed spellings for an unknown type", () => {
    const e = errorOf(() => toChunk({ type: "msg" }, 0, T));
    expect(e.message).toMatch(
      /^chunk 0 \(msg\): `type` must be one of token, .* \(or a seed spelling: content, chunk, stream_chunk/,
    );
  });
});

describe("canonical chunks", () => {
  it("normalising a canonical chunk is the identity (property)", () => {
    fc.assert(
      fc.property(chunkSequence, (chunks) => {
        const n = new ChunkNormalizer();
        for (const [i, chunk] of chunks.entries()) {
          expect(toChunk(chunk, i, 0, n)).toStrictEqual(chunk);
          expect(toChunk(chunk, i, 0)).toStrictEqual(chunk);
        }
      }),
      { numRuns: 200 },
    );
  });
});
