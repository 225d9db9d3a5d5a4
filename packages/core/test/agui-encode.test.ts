import type { BaseEvent } from "@ag-ui/core";
import { beforeEach, describe, expect, it } from "vitest";
import {
  ChunkEncoder,
  decodeEvents,
  ERROR_EVENT,
  encodeChunks,
  PROGRESS_ACTIVITY,
  RESULT_EVENT,
  STATUS_ACTIVITY,
  type StreamChunk,
} from "../src/index.js";
import { ch, resetSeq, verify } from "./helpers.js";

const opts = { threadId: "th", runId: "r1", now: () => 999 };
type Ev = BaseEvent & Record<string, unknown>;
const types = (events: BaseEvent[]) => events.map((e) => e.type);

beforeEach(resetSeq);

describe("ChunkEncoder", () => {
  it("wraps tokens in one text message and ends the run", async () => {
    const events = encodeChunks([ch("token", { text: "Hel" }), ch("token", { text: "lo" })], opts) as Ev[];
    expect(types(events)).toEqual([
      "RUN_STARTED",
      "TEXT_MESSAGE_START",
      "TEXT_MESSAGE_CONTENT",
      "TEXT_MESSAGE_CONTENT",
      "TEXT_MESSAGE_END",
      "RUN_FINISHED",
    ]);
    expect(events[0]).toMatchObject({ threadId: "th", runId: "r1", timestamp: 999 });
    expect(events[2]).toMatchObject({ delta: "Hel", timestamp: 1000, metadata: { agentstream: { seq: 0 } } });
    expect(events[1]?.messageId).toBe(events[3]?.messageId);
    expect(events[5]).not.toHaveProperty("result");
    await verify(events);
  });

  it("start() is idempotent and encode() starts the run by itself", () => {
    const enc = new ChunkEncoder(opts);
    expect(types(enc.encode(ch("token", { text: "a" })))).toEqual([
      "RUN_STARTED",
      "TEXT_MESSAGE_START",
      "TEXT_MESSAGE_CONTENT",
    ]);
    expect(enc.start()).toEqual([]);
  });

  it("opens a new text message after a tool call, and parents the call to the text before it", async () => {
    const events = encodeChunks(
      [
        ch("token", { text: "Let me look." }),
        ch("tool_call", { id: "c1", name: "search", argsDelta: '{"q":"x"}' }),
        ch("tool_result", { id: "c1", result: "found", success: true }),
        ch("token", { text: "Found it." }),
      ],
      opts,
    ) as Ev[];
    expect(types(events)).toEqual([
      "RUN_STARTED",
      "TEXT_MESSAGE_START",
      "TEXT_MESSAGE_CONTENT",
      "TEXT_MESSAGE_END",
      "TOOL_CALL_START",
      "TOOL_CALL_ARGS",
      "TOOL_CALL_END",
      "TOOL_CALL_RESULT",
      "TEXT_MESSAGE_START",
      "TEXT_MESSAGE_CONTENT",
      "TEXT_MESSAGE_END",
      "RUN_FINISHED",
    ]);
    const firstMsg = events[1]?.messageId;
    expect(events[4]).toMatchObject({ toolCallId: "c1", toolCallName: "search", parentMessageId: firstMsg });
    expect(events[4]?.metadata).toEqual({ agentstream: { seq: 1, part: true } });
    expect(events[7]).toMatchObject({ toolCallId: "c1", content: "found", role: "tool" });
    expect(events[8]?.messageId).not.toBe(firstMsg);
    await verify(events);
  });

  it("encodes thinking as REASONING_* events, closed before text", async () => {
    const events = encodeChunks([ch("thinking", { text: "hmm" }), ch("token", { text: "ok" })], opts) as Ev[];
    expect(types(events).slice(1, 6)).toEqual([
      "REASONING_START",
      "REASONING_MESSAGE_START",
      "REASONING_MESSAGE_CONTENT",
      "REASONING_MESSAGE_END",
      "REASONING_END",
    ]);
    expect(events[2]).toMatchObject({ role: "reasoning" });
    await verify(events);
  });

  it("encodes progress as a replacing ACTIVITY_SNAPSHOT with the step list, plus steps", async () => {
    const events = encodeChunks(
      [
        ch("progress", { step: "Search", current: 0, total: 2 }),
        ch("progress", { step: "Write", current: 1, total: 2, message: "drafting" }),
        ch("progress", { step: "Write", current: 2, total: 2 }),
      ],
      opts,
    ) as Ev[];
    expect(types(events)).toEqual([
      "RUN_STARTED",
      "STEP_STARTED",
      "ACTIVITY_SNAPSHOT",
      "STEP_FINISHED",
      "STEP_STARTED",
      "ACTIVITY_SNAPSHOT",
      "ACTIVITY_SNAPSHOT",
      "STEP_FINISHED",
      "RUN_FINISHED",
    ]);
    const snaps = events.filter((e) => e.type === "ACTIVITY_SNAPSHOT");
    expect(new Set(snaps.map((s) => s.messageId)).size).toBe(1);
    expect(snaps[0]).toMatchObject({
      activityType: PROGRESS_ACTIVITY,
      replace: true,
      messageId: "r1:progress",
    });
    expect(snaps[1]?.content).toEqual({
      step: "Write",
      current: 1,
      total: 2,
      message: "drafting",
      steps: [
        { label: "Search", state: "done", startedAt: 1000, endedAt: 1001, duration: 1 },
        { label: "Write", state: "active", startedAt: 1001 },
      ],
    });
    const last = snaps[2]?.content as { steps: { state: string }[] };
    expect(last.steps.map((s) => s.state)).toEqual(["done", "done"]);
    await verify(events);
  });

  it("encodes status as an ACTIVITY_SNAPSHOT per agent", async () => {
    const events = encodeChunks(
      [ch("status", { status: "thinking", iteration: 1 }), ch("status", { status: "acting", agent: "bob" })],
      opts,
    ) as Ev[];
    const snaps = events.filter((e) => e.type === "ACTIVITY_SNAPSHOT");
    expect(snaps.map((s) => [s.activityType, s.messageId, s.content])).toEqual([
      [STATUS_ACTIVITY, "r1:status", { status: "thinking", iteration: 1 }],
      [STATUS_ACTIVITY, "r1:status:bob", { status: "acting", agent: "bob" }],
      // the run ended (finish()): every status row says so
      [STATUS_ACTIVITY, "r1:status", { status: "completed", iteration: 1, final: true }],
      [STATUS_ACTIVITY, "r1:status:bob", { status: "completed", agent: "bob", final: true }],
    ]);
    await verify(events);
  });

  describe("closes the status row with how the run ended", () => {
    /** The status snapshots of a run: [messageId, content]. */
    const statusRows = (events: BaseEvent[]) =>
      (events as Ev[])
        .filter((e) => e.type === "ACTIVITY_SNAPSHOT" && e.activityType === STATUS_ACTIVITY)
        .map((e) => [e.messageId, e.content]);

    it.each([
      ["interrupted", ch("interrupted", { reason: "stopped by user", partial: "Hal" }), "RUN_FINISHED"],
      ["error", ch("error", { message: "boom" }), "RUN_ERROR"],
      ["completed", ch("result", { output: "done", success: true }), "RUN_FINISHED"],
      ["error", ch("result", { output: "nope", success: false }), "RUN_FINISHED"],
    ] as const)("%s, on the same message, before the run's last event (%#)", async (status, end, last) => {
      for (const interruptAs of ["outcome", "custom"] as const) {
        resetSeq();
        const chunks = [
          ch("status", { status: "thinking", iteration: 2 }),
          ch("token", { text: "Hal" }),
          ch("status", { status: "observing", iteration: 2 }),
          end,
        ];
        const events = encodeChunks(chunks, { ...opts, interruptAs }) as Ev[];
        expect(statusRows(events)).toEqual([
          ["r1:status", { status: "thinking", iteration: 2 }],
          ["r1:status", { status: "observing", iteration: 2 }],
          ["r1:status", { status, iteration: 2, final: true }],
        ]);
        expect(events.at(-1)?.type).toBe(last);
        const final = events.findLast((e) => e.type === "ACTIVITY_SNAPSHOT") as Ev;
        expect(final.replace).toBe(true);
        // a structural part: decoding the stream still gives back exactly the chunks
        expect(final.metadata).toMatchObject({ agentstream: { part: true } });
        expect(decodeEvents(events)).toEqual(chunks);
        await verify(events);
      }
    });

    it("adds nothing when the row already says it, or when the run had no status row", async () => {
      const done = encodeChunks(
        [ch("status", { status: "completed" }), ch("result", { output: 1, success: true })],
        opts,
      );
      expect(statusRows(done)).toEqual([["r1:status", { status: "completed" }]]);
      const none = encodeChunks([ch("token", { text: "a" }), ch("interrupted", { reason: "stopped" })], opts);
      expect(statusRows(none)).toEqual([]);
      await verify(done);
      await verify(none);
    });

    it("ends one agent's row when that agent ends, and leaves it alone at the run's end", async () => {
      const events = encodeChunks(
        [
          ch("status", { status: "acting", agent: "ann" }),
          ch("status", { status: "thinking", agent: "bob" }),
          ch("interrupted", { reason: "timeout", agent: "ann" }),
          ch("error", { message: "bob failed", agent: "bob" }),
          ch("status", { status: "acting" }),
          ch("result", { output: "partial", success: true }),
        ],
        opts,
      );
      expect(statusRows(events)).toEqual([
        ["r1:status:ann", { status: "acting", agent: "ann" }],
        ["r1:status:bob", { status: "thinking", agent: "bob" }],
        ["r1:status:ann", { status: "interrupted", agent: "ann", final: true }],
        ["r1:status:bob", { status: "error", agent: "bob", final: true }],
        ["r1:status", { status: "acting" }],
        ["r1:status", { status: "completed", final: true }],
      ]);
      await verify(events);
    });

    it("a new status after an agent's end reopens its row", () => {
      const events = encodeChunks(
        [
          ch("status", { status: "acting", agent: "ann" }),
          ch("interrupted", { reason: "x", agent: "ann" }),
          ch("status", { status: "thinking", agent: "ann" }),
        ],
        opts,
      );
      expect(statusRows(events).map(([, c]) => (c as { status: string }).status)).toEqual([
        "acting",
        "interrupted",
        "thinking",
        "completed",
      ]);
    });
  });

  it("ends the run with RUN_FINISHED { result } and drops later chunks", async () => {
    const enc = new ChunkEncoder(opts);
    const events: BaseEvent[] = [...enc.start(), ...enc.encode(ch("token", { text: "a" }))];
    events.push(...enc.encode(ch("result", { output: { answer: 42 }, success: true, duration: 12 })));
    expect(enc.ended).toBe(true);
    expect(enc.encode(ch("token", { text: "late" }))).toEqual([]);
    expect(enc.finish()).toEqual([]);
    expect(types(events).slice(-2)).toEqual(["TEXT_MESSAGE_END", "RUN_FINISHED"]);
    expect(events.at(-1)).toMatchObject({
      result: { answer: 42 },
      metadata: { agentstream: { seq: 1, success: true, duration: 12 } },
    });
    await verify(events);
  });

  it("maps a fatal error to RUN_ERROR and a recoverable one to CUSTOM", async () => {
    const events = encodeChunks(
      [
        ch("token", { text: "a" }),
        ch("error", { message: "slow down", code: "rate_limit", recoverable: true }),
        ch("token", { text: "b" }),
        ch("error", { message: "boom", code: "crash" }),
      ],
      opts,
    ) as Ev[];
    expect(events.find((e) => e.type === "CUSTOM")).toMatchObject({
      name: ERROR_EVENT,
      value: { message: "slow down", code: "rate_limit", recoverable: true },
    });
    expect(events.at(-1)).toMatchObject({ type: "RUN_ERROR", message: "boom", code: "crash" });
    expect(types(events).at(-2)).toBe("TEXT_MESSAGE_END");
    expect(types(events).filter((t) => t === "RUN_FINISHED")).toEqual([]);
    await verify(events);
  });

  it("maps an interruption to RUN_FINISHED with an interrupt outcome", async () => {
    const events = encodeChunks(
      [ch("token", { text: "par" }), ch("interrupted", { reason: "user", partial: "par" })],
      opts,
    ) as Ev[];
    expect(events.at(-1)).toMatchObject({
      type: "RUN_FINISHED",
      outcome: {
        type: "interrupt",
        interrupts: [{ id: "r1:interrupt", reason: "user", metadata: { partial: "par" } }],
      },
    });
    await verify(events);
  });

  it('can map an interruption to CUSTOM + plain RUN_FINISHED (interruptAs: "custom")', async () => {
    const events = encodeChunks([ch("interrupted", { reason: "budget" })], {
      ...opts,
      interruptAs: "custom",
    }) as Ev[];
    expect(types(events)).toEqual(["RUN_STARTED", "CUSTOM", "RUN_FINISHED"]);
    expect(events.at(-1)).not.toHaveProperty("outcome");
    expect(decodeEvents(events)).toEqual([
      { type: "interrupted", reason: "budget", seq: 0, timestamp: 1000 },
    ]);
    await verify(events);
  });

  it("keeps interleaved agents in their own messages, and an agent's result does not end the run", async () => {
    const chunks: StreamChunk[] = [
      ch("token", { text: "a1", agent: "a" }),
      ch("token", { text: "b1", agent: "b" }),
      ch("tool_call", { id: "t", name: "f", agent: "a" }),
      ch("token", { text: "b2", agent: "b" }),
      ch("thinking", { text: "hm", agent: "a" }),
      ch("progress", { step: "x", current: 0, agent: "a" }),
      ch("progress", { step: "x", current: 0, agent: "b" }),
      ch("result", { output: "A", success: true, agent: "a" }),
      ch("token", { text: "b3", agent: "b" }),
    ];
    const events = encodeChunks(chunks, opts) as Ev[];
    const starts = events.filter((e) => e.type === "TEXT_MESSAGE_START");
    expect(starts.map((e) => e.name)).toEqual(["a", "b"]);
    expect(new Set(starts.map((e) => e.messageId)).size).toBe(2);
    const contentIds = events.filter((e) => e.type === "TEXT_MESSAGE_CONTENT").map((e) => e.messageId);
    expect(contentIds[1]).toBe(contentIds[2]); // b's message stays open across a's events
    expect(events.filter((e) => e.type === "STEP_STARTED").map((e) => e.stepName)).toEqual(["a: x", "b: x"]);
    expect(events.find((e) => e.type === "CUSTOM")).toMatchObject({
      name: RESULT_EVENT,
      value: { output: "A", success: true },
    });
    expect(types(events).at(-1)).toBe("RUN_FINISHED");
    await verify(events);
    expect(decodeEvents(events)).toStrictEqual(chunks);
  });

  it("closes the tool call of one agent when the same id appears for another", async () => {
    const events = encodeChunks(
      [
        ch("tool_call", { id: "t", name: "f", agent: "a", argsDelta: "{" }),
        ch("tool_call", { id: "t", name: "", agent: "b", argsDelta: "}" }),
      ],
      opts,
    );
    await verify(events);
  });

  it("finish() closes text, reasoning, tool calls and steps", async () => {
    const enc = new ChunkEncoder(opts);
    const events = [
      ...enc.encode(ch("progress", { step: "s", current: 0 })),
      ...enc.encode(ch("tool_call", { id: "t", name: "f", argsDelta: '{"a":' })),
      ...enc.encode(ch("thinking", { text: "x", agent: "z" })),
      ...enc.encode(ch("token", { text: "y", agent: "w" })),
    ];
    const fin = enc.finish() as Ev[];
    expect(types(fin).sort()).toEqual(
      [
        "REASONING_END",
        "REASONING_MESSAGE_END",
        "RUN_FINISHED",
        "STEP_FINISHED",
        "TEXT_MESSAGE_END",
        "TOOL_CALL_END",
      ].sort(),
    );
    expect(fin.at(-1)).toMatchObject({ type: "RUN_FINISHED", timestamp: 999 });
    await verify([...events, ...fin]);
  });

  it("a fresh run with no chunks is RUN_STARTED + RUN_FINISHED", async () => {
    const events = encodeChunks([], opts);
    expect(types(events)).toEqual(["RUN_STARTED", "RUN_FINISHED"]);
    await verify(events);
  });

  it("the verifier rejects what the encoder avoids (sanity check of the helper)", async () => {
    await expect(
      verify([
        { type: "RUN_STARTED", threadId: "t", runId: "r" } as BaseEvent,
        { type: "TEXT_MESSAGE_START", messageId: "m", role: "assistant" } as BaseEvent,
        { type: "RUN_FINISHED", threadId: "t", runId: "r" } as BaseEvent,
      ]),
    ).rejects.toThrow(/text messages are still active/);
  });
});

describe("ChunkEncoder tool calls with complete args", () => {
  it("sends complete args as one ARGS delta and closes the call at once", async () => {
    resetSeq();
    const events = encodeChunks(
      [ch("tool_call", { id: "c", name: "getWeather", args: { city: "Oslo" } }), ch("token", { text: "x" })],
      opts,
    ) as Ev[];
    expect(types(events).slice(1, 4)).toEqual(["TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END"]);
    expect(events[2]).toMatchObject({
      delta: '{"city":"Oslo"}',
      metadata: { agentstream: { seq: 0, argsJson: true } },
    });
    await verify(events);
    expect(decodeEvents(events)[0]).toStrictEqual({
      type: "tool_call",
      id: "c",
      name: "getWeather",
      args: { city: "Oslo" },
      seq: 0,
      timestamp: 1000,
    });
  });
});
