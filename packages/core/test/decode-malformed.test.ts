/** The decoder and the store never throw on what the network sends. */
import { describe, expect, it } from "vitest";
import { type AgUiEvent, ChunkDecoder, createRunStore, readAgUiEvents } from "../src/index.js";

const env = (extra: Record<string, unknown>) => ({ metadata: { agentstream: { seq: 0, ...extra } } });

describe("malformed input", () => {
  it("an envelope whose JSON does not parse degrades to the raw text instead of throwing", () => {
    const dec = new ChunkDecoder({ now: () => 1 });
    const args = dec.decodeOne({
      type: "TOOL_CALL_ARGS",
      toolCallId: "t",
      delta: "{oops",
      ...env({ argsJson: true }),
    } as AgUiEvent);
    expect(args).toMatchObject({ type: "tool_call", argsDelta: "{oops" });
    const result = dec.decodeOne({
      type: "TOOL_CALL_RESULT",
      toolCallId: "t",
      content: "{oops",
      ...env({ enc: "json" }),
    } as AgUiEvent);
    expect(result).toMatchObject({ type: "tool_result", result: "{oops" });
  });

  it("a non-event becomes a recoverable error chunk, counted; the store folds it and goes on", () => {
    const store = createRunStore({ now: () => 1 });
    expect(() => store.pushEvent(null as unknown as AgUiEvent)).not.toThrow();
    const chunk = store.pushEvent({ type: 42 } as unknown as AgUiEvent);
    expect(chunk).toMatchObject({ type: "error", code: "malformed_event", recoverable: true });
    expect(chunk?.type === "error" && chunk.message).toMatch(/Could not decode/);
    store.pushEvent({ type: "TEXT_MESSAGE_CONTENT", messageId: "m", delta: "ok" } as AgUiEvent);
    const state = store.getSnapshot();
    expect(state.text).toBe("ok");
    expect(state.error).toBeUndefined();
  });

  it("readAgUiEvents skips frames that are not events and reports them", async () => {
    const bad: string[] = [];
    async function* src() {
      yield 'data: {"type":"RUN_STARTED"}\n\ndata: {nope\n\ndata: 7\n\ndata: {"type":"RUN_FINISHED"}\n\n';
    }
    const out: AgUiEvent[] = [];
    for await (const e of readAgUiEvents(src(), { onMalformed: (err) => bad.push(err.message) })) out.push(e);
    expect(out.map((e) => e.type)).toEqual(["RUN_STARTED", "RUN_FINISHED"]);
    expect(bad).toHaveLength(2);
    expect(bad[0]).toMatch(/Skipped a malformed SSE frame/);
  });

  it("reset() gives initialRunState again", () => {
    const store = createRunStore();
    store.push({ type: "token", text: "x", seq: 0, timestamp: 1 });
    store.reset();
    const { version: _v, ...rest } = store.getSnapshot();
    expect(rest).toMatchObject({
      status: "idle",
      text: "",
      done: false,
      metrics: { chunkCount: 0, tokenCount: 0 },
    });
  });
});
