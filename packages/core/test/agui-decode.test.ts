import type { BaseEvent } from "@ag-ui/core";
import { describe, expect, it } from "vitest";
import {
  applyJsonPatch,
  ChunkDecoder,
  decodeEvents,
  PROGRESS_ACTIVITY,
  STATUS_ACTIVITY,
} from "../src/index.js";

const ev = (type: string, fields: Record<string, unknown> = {}): BaseEvent =>
  ({ type, ...fields }) as BaseEvent;
const now = () => 7;

describe("ChunkDecoder on foreign AG-UI streams", () => {
  it("decodes TEXT_MESSAGE_* with incrementing seq and event timestamps", () => {
    const chunks = decodeEvents(
      [
        ev("RUN_STARTED", { threadId: "t", runId: "r" }),
        ev("TEXT_MESSAGE_START", { messageId: "m", role: "assistant" }),
        ev("TEXT_MESSAGE_CONTENT", { messageId: "m", delta: "Hi", timestamp: 50 }),
        ev("TEXT_MESSAGE_CONTENT", { messageId: "m", delta: " there" }),
        ev("TEXT_MESSAGE_END", { messageId: "m" }),
        ev("RUN_FINISHED", { threadId: "t", runId: "r" }),
      ],
      { now },
    );
    expect(chunks).toStrictEqual([
      { type: "token", text: "Hi", seq: 0, timestamp: 50 },
      { type: "token", text: " there", seq: 1, timestamp: 7 },
    ]);
  });

  it("decodes TEXT_MESSAGE_CHUNK and skips non-assistant messages", () => {
    const chunks = decodeEvents(
      [
        ev("TEXT_MESSAGE_CHUNK", { messageId: "m", role: "assistant", delta: "a" }),
        ev("TEXT_MESSAGE_CHUNK", { delta: "b" }),
        ev("TEXT_MESSAGE_START", { messageId: "u", role: "user" }),
        ev("TEXT_MESSAGE_CONTENT", { messageId: "u", delta: "ignored" }),
      ],
      { now },
    );
    expect(chunks.map((c) => (c.type === "token" ? c.text : c.type))).toEqual(["a", "b"]);
  });

  it("decodes TOOL_CALL_* and TOOL_CALL_CHUNK, remembering names", () => {
    const chunks = decodeEvents(
      [
        ev("TOOL_CALL_START", { toolCallId: "c1", toolCallName: "search" }),
        ev("TOOL_CALL_ARGS", { toolCallId: "c1", delta: '{"q":' }),
        ev("TOOL_CALL_ARGS", { toolCallId: "c1", delta: '"x"}' }),
        ev("TOOL_CALL_END", { toolCallId: "c1" }),
        ev("TOOL_CALL_RESULT", { messageId: "m2", toolCallId: "c1", content: "3 hits" }),
        ev("TOOL_CALL_CHUNK", { toolCallId: "c2", toolCallName: "fetch", delta: '{"u"' }),
        ev("TOOL_CALL_CHUNK", { delta: ':"v"}' }),
      ],
      { now },
    );
    expect(chunks).toStrictEqual([
      { type: "tool_call", id: "c1", name: "search", seq: 0, timestamp: 7 },
      { type: "tool_call", id: "c1", name: "search", argsDelta: '{"q":', seq: 1, timestamp: 7 },
      { type: "tool_call", id: "c1", name: "search", argsDelta: '"x"}', seq: 2, timestamp: 7 },
      {
        type: "tool_result",
        id: "c1",
        name: "search",
        result: "3 hits",
        success: true,
        seq: 3,
        timestamp: 7,
      },
      { type: "tool_call", id: "c2", name: "fetch", argsDelta: '{"u"', seq: 4, timestamp: 7 },
      { type: "tool_call", id: "c2", name: "fetch", argsDelta: ':"v"}', seq: 5, timestamp: 7 },
    ]);
  });

  it("decodes legacy THINKING_* and REASONING_* events as thinking", () => {
    const chunks = decodeEvents(
      [
        ev("THINKING_START", { title: "t" }),
        ev("THINKING_TEXT_MESSAGE_START"),
        ev("THINKING_TEXT_MESSAGE_CONTENT", { delta: "old" }),
        ev("THINKING_TEXT_MESSAGE_END"),
        ev("THINKING_END"),
        ev("REASONING_START", { messageId: "r" }),
        ev("REASONING_MESSAGE_START", { messageId: "r", role: "reasoning" }),
        ev("REASONING_MESSAGE_CONTENT", { messageId: "r", delta: "new" }),
        ev("REASONING_MESSAGE_CHUNK", { messageId: "r", delta: "er" }),
        ev("REASONING_MESSAGE_END", { messageId: "r" }),
        ev("REASONING_END", { messageId: "r" }),
      ],
      { now },
    );
    expect(chunks.map((c) => [c.type, c.type === "thinking" ? c.text : ""])).toEqual([
      ["thinking", "old"],
      ["thinking", "new"],
      ["thinking", "er"],
    ]);
  });

  it("keeps decoder.state from snapshots and JSON-patch deltas, and derives progress from it", () => {
    const dec = new ChunkDecoder({ now });
    expect(dec.decode(ev("STATE_SNAPSHOT", { snapshot: { doc: "x" } }))).toEqual([]);
    expect(dec.state).toEqual({ doc: "x" });
    expect(dec.decode(ev("STATE_DELTA", { delta: [{ op: "add", path: "/items", value: [1] }] }))).toEqual([]);
    expect(dec.state).toEqual({ doc: "x", items: [1] });
    const p = dec.decode(
      ev("STATE_DELTA", {
        delta: [{ op: "add", path: "/progress", value: { current: 1, total: 3, label: "Fetch" } }],
      }),
    );
    expect(p).toStrictEqual([
      { type: "progress", step: "Fetch", current: 1, total: 3, seq: 0, timestamp: 7 },
    ]);
    // unchanged progress → no new chunk; changed → a new one
    expect(dec.decode(ev("STATE_DELTA", { delta: [{ op: "replace", path: "/doc", value: "y" }] }))).toEqual(
      [],
    );
    expect(
      dec.decode(ev("STATE_DELTA", { delta: [{ op: "replace", path: "/progress/current", value: 2 }] })),
    ).toMatchObject([{ type: "progress", current: 2, total: 3 }]);
    // seed-style { step: n, total, message }
    expect(
      dec.decode(ev("STATE_SNAPSHOT", { snapshot: { step: 4, total: 5, message: "Navigating" } })),
    ).toMatchObject([{ type: "progress", step: "", current: 4, total: 5, message: "Navigating" }]);
    // a broken patch leaves the state alone
    dec.decode(ev("STATE_DELTA", { delta: [{ op: "replace", path: "/nope/deeper", value: 1 }] }));
    expect(dec.state).toEqual({ step: 4, total: 5, message: "Navigating" });
  });

  it("decodes RUN_ERROR, RUN_FINISHED with result, and interrupt outcomes", () => {
    expect(decodeEvents([ev("RUN_ERROR", { message: "bad", code: "E1" })], { now })).toStrictEqual([
      { type: "error", message: "bad", code: "E1", seq: 0, timestamp: 7 },
    ]);
    expect(
      decodeEvents([ev("RUN_FINISHED", { threadId: "t", runId: "r", result: { a: 1 } })], { now }),
    ).toStrictEqual([{ type: "result", output: { a: 1 }, success: true, seq: 0, timestamp: 7 }]);
    expect(
      decodeEvents(
        [
          ev("RUN_FINISHED", {
            threadId: "t",
            runId: "r",
            outcome: { type: "interrupt", interrupts: [{ id: "i", reason: "approval" }] },
          }),
        ],
        { now },
      ),
    ).toStrictEqual([{ type: "interrupted", reason: "approval", seq: 0, timestamp: 7 }]);
  });

  it("decodes steps as progress and our activity types without envelope", () => {
    const chunks = decodeEvents(
      [
        ev("STEP_STARTED", { stepName: "plan" }),
        ev("STEP_FINISHED", { stepName: "plan" }),
        ev("ACTIVITY_SNAPSHOT", {
          messageId: "p",
          activityType: PROGRESS_ACTIVITY,
          content: { step: "x", current: 1, total: 4, agent: "a" },
        }),
        ev("ACTIVITY_DELTA", {
          messageId: "p",
          activityType: PROGRESS_ACTIVITY,
          patch: [{ op: "replace", path: "/current", value: 2 }],
        }),
        ev("ACTIVITY_SNAPSHOT", {
          messageId: "s",
          activityType: STATUS_ACTIVITY,
          content: { status: "acting", iteration: 3 },
        }),
        ev("ACTIVITY_SNAPSHOT", { messageId: "o", activityType: "other", content: { a: 1 } }),
        ev("CUSTOM", { name: "something", value: 1 }),
        ev("RAW", { event: {} }),
        ev("MESSAGES_SNAPSHOT", { messages: [] }),
      ],
      { now },
    );
    expect(chunks).toStrictEqual([
      { type: "progress", step: "plan", current: 0, seq: 0, timestamp: 7 },
      { type: "progress", step: "plan", current: 1, seq: 1, timestamp: 7 },
      { type: "progress", step: "x", current: 1, total: 4, agent: "a", seq: 2, timestamp: 7 },
      { type: "progress", step: "x", current: 2, total: 4, agent: "a", seq: 3, timestamp: 7 },
      { type: "status", status: "acting", iteration: 3, seq: 4, timestamp: 7 },
    ]);
  });
});

describe("applyJsonPatch", () => {
  it("applies add/replace/remove/move/copy/test without mutating the input", () => {
    const doc = { a: { b: [1, 2] }, c: 1 };
    const out = applyJsonPatch(doc, [
      { op: "add", path: "/a/b/1", value: 9 },
      { op: "add", path: "/a/b/-", value: 3 },
      { op: "replace", path: "/c", value: 2 },
      { op: "remove", path: "/a/b/0" },
      { op: "copy", from: "/c", path: "/d" },
      { op: "move", from: "/d", path: "/e~1f" },
      { op: "test", path: "/c", value: 2 },
    ]);
    expect(out).toEqual({ a: { b: [9, 2, 3] }, c: 2, "e/f": 2 });
    expect(doc).toEqual({ a: { b: [1, 2] }, c: 1 });
    expect(() => applyJsonPatch(doc, [{ op: "test", path: "/c", value: 5 }])).toThrow(/test failed/);
  });
});
