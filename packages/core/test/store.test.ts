import fc from "fast-check";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createRunStore, encodeChunks, foldChunks, initialRunState, type StreamChunk } from "../src/index.js";
import { tokenTexts } from "./arbitraries.js";
import { ch, resetSeq } from "./helpers.js";

beforeEach(resetSeq);

describe("createRunStore", () => {
  it("starts from the initial state", () => {
    expect(createRunStore().getSnapshot()).toEqual(initialRunState());
  });

  it("keeps snapshot identity until something changes, then replaces it", () => {
    const store = createRunStore();
    const s0 = store.getSnapshot();
    expect(store.getSnapshot()).toBe(s0);
    store.push(ch("token", { text: "a" }));
    const s1 = store.getSnapshot();
    expect(s1).not.toBe(s0);
    expect(store.getSnapshot()).toBe(s1);
    expect(s1.text).toBe("a");
    expect(s1.version).toBe(1);
  });

  it("notifies listeners synchronously per push, once per pushMany, and unsubscribes", () => {
    const store = createRunStore();
    const seen: string[] = [];
    const listener = vi.fn(() => seen.push(store.getSnapshot().text));
    const off = store.subscribe(listener);
    store.push(ch("token", { text: "a" }));
    expect(listener).toHaveBeenCalledTimes(1);
    expect(seen).toEqual(["a"]);
    store.pushMany([ch("token", { text: "b" }), ch("token", { text: "c" })]);
    expect(listener).toHaveBeenCalledTimes(2);
    expect(seen).toEqual(["a", "abc"]);
    store.pushMany([]);
    expect(listener).toHaveBeenCalledTimes(2);
    off();
    store.push(ch("token", { text: "d" }));
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it("pushEvent notifies only when the event changed the state", () => {
    const store = createRunStore({ now: () => 5 });
    const listener = vi.fn();
    store.subscribe(listener);
    store.pushEvent({ type: "TEXT_MESSAGE_START", messageId: "m", role: "assistant" } as never);
    expect(listener).not.toHaveBeenCalled();
    store.pushEvent({ type: "TEXT_MESSAGE_CONTENT", messageId: "m", delta: "hi" } as never);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot().text).toBe("hi");
  });

  it("reset() returns to the initial state and notifies", () => {
    const store = createRunStore();
    store.push(ch("token", { text: "a" }));
    const listener = vi.fn();
    store.subscribe(listener);
    store.reset();
    expect(listener).toHaveBeenCalledTimes(1);
    const s = store.getSnapshot();
    expect(s).toMatchObject({ text: "", timeline: [], status: "idle", done: false });
    expect(s.metrics.chunkCount).toBe(0);
  });
});

describe("run reducer", () => {
  it("groups consecutive tokens of one agent into one text segment, replaced (not mutated) on change", () => {
    const store = createRunStore();
    store.push(ch("token", { text: "Hel" }));
    const s1 = store.getSnapshot();
    const seg1 = s1.timeline[0];
    store.push(ch("token", { text: "lo" }));
    const s2 = store.getSnapshot();
    expect(s2.timeline).toHaveLength(1);
    expect(s2.timeline[0]).toMatchObject({ kind: "text", text: "Hello" });
    expect(seg1).toMatchObject({ text: "Hel" }); // the old segment object is untouched
    expect(s2.timeline[0]).not.toBe(seg1);
    expect(s2.timeline[0]?.id).toBe(seg1?.id);
    store.push(ch("tool_call", { id: "t", name: "f" }));
    store.push(ch("token", { text: "!" }));
    const s3 = store.getSnapshot();
    expect(s3.timeline.map((s) => s.kind)).toEqual(["text", "tool", "text"]);
    expect(s3.timeline[0]).toBe(s2.timeline[0]); // finished segments keep identity
  });

  it("splits text by agent and keeps per-agent lanes", () => {
    const s = foldChunks([
      ch("token", { text: "a1", agent: "a" }),
      ch("token", { text: "a2", agent: "a" }),
      ch("token", { text: "b1", agent: "b" }),
      ch("token", { text: "a3", agent: "a" }),
      ch("tool_call", { id: "t", name: "f", agent: "b" }),
    ]);
    expect(s.timeline.map((x) => (x.kind === "text" ? `${x.agent}:${x.text}` : x.kind))).toEqual([
      "a:a1a2",
      "b:b1",
      "a:a3",
      "tool",
    ]);
    expect(s.lanes.map((l) => [l.agent, l.text, l.timeline.length, l.toolCallIds])).toEqual([
      ["a", "a1a2a3", 1, []],
      ["b", "b1", 2, ["t"]],
    ]);
    expect(s.text).toBe("a1a2b1a3");
  });

  it("parses streamed tool args as partial JSON and tracks the call's lifecycle", () => {
    const store = createRunStore();
    store.push(ch("tool_call", { id: "c", name: "search", argsDelta: '{"query": "wea' }));
    let t = store.getSnapshot().toolCalls.c;
    expect(t).toMatchObject({
      name: "search",
      status: "streaming",
      argsText: '{"query": "wea',
      args: { query: "wea" },
    });
    store.push(ch("tool_call", { id: "c", name: "", argsDelta: 'ther", "n": [1, 2' }));
    t = store.getSnapshot().toolCalls.c;
    expect(t?.args).toEqual({ query: "weather", n: [1, 2] });
    store.push(ch("tool_call", { id: "c", name: "", argsDelta: "]}" }));
    store.push(ch("status", { status: "acting" })); // something else: the args are complete
    expect(store.getSnapshot().toolCalls.c?.status).toBe("called");
    store.push(ch("tool_result", { id: "c", result: { temp: 20 }, success: true }));
    t = store.getSnapshot().toolCalls.c;
    expect(t).toMatchObject({ status: "complete", result: { temp: 20 }, success: true, endedAt: 1004 });
    expect(store.getSnapshot().toolCallOrder).toEqual(["c"]);
  });

  it("complete args replace streamed ones; a failed result marks the call failed", () => {
    const s = foldChunks([
      ch("tool_call", { id: "c", name: "f", argsDelta: '{"a":' }),
      ch("tool_call", { id: "c", name: "", args: { b: 2 } }),
      ch("tool_result", { id: "c", result: "nope", success: false }),
    ]);
    expect(s.toolCalls.c).toMatchObject({
      args: { b: 2 },
      argsText: '{"b":2}',
      status: "failed",
      success: false,
    });
  });

  it("TOOL_CALL_END marks a streaming call as called (event path)", () => {
    const store = createRunStore({ now: () => 1 });
    store.pushEvent({ type: "TOOL_CALL_START", toolCallId: "x", toolCallName: "f" } as never);
    store.pushEvent({ type: "TOOL_CALL_ARGS", toolCallId: "x", delta: "{}" } as never);
    expect(store.getSnapshot().toolCalls.x?.status).toBe("streaming");
    store.pushEvent({ type: "TOOL_CALL_END", toolCallId: "x" } as never);
    expect(store.getSnapshot().toolCalls.x?.status).toBe("called");
  });

  it("folds progress into a step list with states and durations", () => {
    const store = createRunStore();
    store.push(ch("progress", { step: "Search", current: 0, total: 3 }));
    store.push(ch("progress", { step: "Search", current: 0, total: 3, message: "page 2" }));
    store.push(ch("progress", { step: "Read", current: 1, total: 3 }));
    let p = store.getSnapshot().progress;
    expect(p).toMatchObject({ current: 1, total: 3, label: "Read" });
    expect(p?.steps).toEqual([
      { label: "Search", state: "done", startedAt: 1000, endedAt: 1002, duration: 2 },
      { label: "Read", state: "active", startedAt: 1002 },
    ]);
    store.push(ch("error", { message: "fetch failed", recoverable: true }));
    p = store.getSnapshot().progress;
    expect(p?.steps[1]).toMatchObject({ label: "Read", state: "failed", endedAt: 1003 });
    store.push(ch("progress", { step: "Read", current: 1, total: 3 })); // retried
    expect(store.getSnapshot().progress?.steps[1]?.state).toBe("active");
    store.push(ch("progress", { step: "Write", current: 3, total: 3 }));
    p = store.getSnapshot().progress;
    expect(p?.steps.map((s) => s.state)).toEqual(["done", "done", "done"]);
    // one progress segment in the timeline, updated in place
    const segs = store.getSnapshot().timeline.filter((s) => s.kind === "progress");
    expect(segs).toEqual([
      expect.objectContaining({ kind: "progress", current: 3, total: 3, label: "Write" }),
    ]);
  });

  it("a fatal error fails the active step and ends the run", () => {
    const s = foldChunks([
      ch("progress", { step: "A", current: 0 }),
      ch("error", { message: "boom", code: "x" }),
    ]);
    expect(s.progress?.steps[0]?.state).toBe("failed");
    expect(s).toMatchObject({ status: "error", error: { message: "boom", code: "x" }, done: true });
  });

  it("tracks status with history, iteration and implicit start", () => {
    const s = foldChunks([
      ch("token", { text: "x" }),
      ch("status", { status: "thinking", iteration: 1 }),
      ch("status", { status: "acting", iteration: 1 }),
      ch("result", { output: "done", success: true, duration: 40 }),
    ]);
    expect(s.statusHistory.map((h) => h.status)).toEqual(["started", "thinking", "acting", "completed"]);
    expect(s.iteration).toBe(1);
    expect(s).toMatchObject({
      status: "completed",
      result: { output: "done", success: true, duration: 40 },
      done: true,
    });
    // consecutive statuses collapse into one timeline segment
    expect(s.timeline.map((x) => x.kind)).toEqual(["text", "status", "result"]);
  });

  it("records interruptions", () => {
    const s = foldChunks([
      ch("token", { text: "par" }),
      ch("interrupted", { reason: "user", partial: "par" }),
    ]);
    expect(s).toMatchObject({
      status: "interrupted",
      interruption: { reason: "user", partial: "par", at: 1001 },
      done: true,
    });
  });

  it("an agent's terminal chunk ends its lane, not the run", () => {
    const s = foldChunks([
      ch("token", { text: "a", agent: "a" }),
      ch("token", { text: "b", agent: "b" }),
      ch("result", { output: 1, success: true, agent: "a" }),
      ch("error", { message: "x", agent: "b" }),
    ]);
    expect(s.done).toBe(false);
    expect(s.result).toBeUndefined();
    expect(s.lanes.map((l) => [l.status, l.result?.output, l.error?.message])).toEqual([
      ["completed", 1, undefined],
      ["error", undefined, "x"],
    ]);
  });

  it("ends thinking segments when something follows them", () => {
    const s = foldChunks([
      ch("thinking", { text: "a" }),
      ch("thinking", { text: "b" }),
      ch("token", { text: "c" }),
    ]);
    expect(s.timeline[0]).toEqual({
      kind: "thinking",
      id: expect.any(String),
      text: "ab",
      startedAt: 1000,
      endedAt: 1002,
    });
    expect(s.thinking).toBe("ab");
  });

  it("computes metrics", () => {
    const s = foldChunks([
      { type: "status", status: "started", seq: 0, timestamp: 1000 },
      { type: "token", text: "a", seq: 1, timestamp: 1100 },
      { type: "token", text: "b", seq: 2, timestamp: 1300 },
      { type: "token", text: "c", seq: 3, timestamp: 1600 },
      { type: "result", output: "abc", success: true, seq: 4, timestamp: 2100 },
    ]);
    expect(s.metrics).toEqual({
      chunkCount: 5,
      tokenCount: 3,
      startedAt: 1000,
      firstTokenAt: 1100,
      endedAt: 2100,
      timeToFirstToken: 100,
      tokensPerSecond: 3,
      duration: 1100,
    });
  });

  it("RUN_FINISHED without result ends the run as completed (event path)", () => {
    const store = createRunStore({ now: () => 1 });
    for (const e of encodeChunks([ch("progress", { step: "a", current: 0 }), ch("token", { text: "x" })], {
      threadId: "t",
      runId: "r",
      now: () => 2000,
    })) {
      store.pushEvent(e);
    }
    const s = store.getSnapshot();
    expect(s).toMatchObject({ status: "completed", done: true });
    expect(s.progress?.steps[0]?.state).toBe("done");
    expect(s.statusHistory[0]).toMatchObject({ status: "started", at: 2000 });
  });

  it("does no per-event copying: a million tokens fold in well under a second", () => {
    const store = createRunStore();
    store.subscribe(() => {});
    const chunk = { type: "token" as const, text: "tok ", seq: 0, timestamp: 0 };
    const t0 = performance.now();
    for (let i = 0; i < 1_000_000; i++) store.push(chunk);
    const s = store.getSnapshot();
    const ms = performance.now() - t0;
    expect(s.text.length).toBe(4_000_000);
    expect(s.timeline).toHaveLength(1);
    expect(ms).toBeLessThan(2000);
  });
});

describe("chunking independence (property)", () => {
  const chunksOf = (pieces: string[], agent?: string): StreamChunk[] =>
    pieces.map((text, seq) =>
      agent === undefined
        ? { type: "token", text, seq, timestamp: seq }
        : { type: "token", text, agent, seq, timestamp: seq },
    );

  it("the final text and tool args do not depend on how the stream was cut", () => {
    fc.assert(
      fc.property(
        tokenTexts,
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.jsonValue({ maxDepth: 3 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (pieces, cuts, argsValue, argCuts) => {
          const whole = pieces.join("");
          const recut = cutAt(whole, cuts);
          const argsJson = JSON.stringify({ v: argsValue });
          const argPieces = cutAt(argsJson, argCuts);
          const run = (texts: string[], argParts: string[]) => {
            const store = createRunStore();
            store.pushMany(chunksOf(texts));
            for (const [i, argsDelta] of argParts.entries()) {
              store.push({ type: "tool_call", id: "t", name: "f", argsDelta, seq: 1000 + i, timestamp: 0 });
            }
            // read snapshots in between too: lazy materialization must not change the outcome
            store.getSnapshot();
            return store.getSnapshot();
          };
          const a = run(pieces, [argsJson]);
          const b = run(recut, argPieces);
          expect(b.text).toBe(a.text);
          expect(b.timeline.filter((s) => s.kind === "text")).toEqual(
            a.timeline.filter((s) => s.kind === "text"),
          );
          expect(b.toolCalls.t?.argsText).toBe(argsJson);
          expect(b.toolCalls.t?.args).toEqual(JSON.parse(argsJson));
          expect(a.toolCalls.t?.args).toEqual(JSON.parse(argsJson));
        },
      ),
      { numRuns: 300 },
    );
  });
});

function cutAt(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => (text.length === 0 ? 0 : c % (text.length + 1))))].sort(
    (x, y) => x - y,
  );
  const out: string[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(text.slice(prev, p));
    prev = p;
  }
  out.push(text.slice(prev));
  return out;
}

describe("multi-agent status", () => {
  it("one lane completing does not complete the run; the last one does", () => {
    const store = createRunStore();
    const at = (seq: number) => ({ seq, timestamp: seq });
    store.push({ type: "status", status: "acting", agent: "research", ...at(0) });
    store.push({ type: "status", status: "acting", agent: "analyst", ...at(1) });
    store.push({ type: "status", status: "completed", agent: "research", ...at(2) });
    expect(store.getSnapshot().status).toBe("acting");
    expect(store.getSnapshot().lanes.map((l) => l.status)).toEqual(["completed", "acting"]);
    expect(store.getSnapshot().statusHistory.at(-1)).toMatchObject({
      status: "completed",
      agent: "research",
    });
    store.push({ type: "status", status: "completed", agent: "analyst", ...at(3) });
    expect(store.getSnapshot().status).toBe("completed");
  });
});

describe("interruption and tool calls", () => {
  it("marks calls still waiting for their result as interrupted, and leaves finished ones alone", () => {
    const store = createRunStore();
    const at = (seq: number) => ({ seq, timestamp: seq });
    store.push({ type: "tool_call", id: "done", name: "a", args: {}, ...at(0) });
    store.push({ type: "tool_result", id: "done", result: 1, success: true, ...at(1) });
    store.push({ type: "tool_call", id: "open", name: "b", argsDelta: '{"x":', ...at(2) });
    store.push({ type: "interrupted", reason: "user", ...at(3) });
    const s = store.getSnapshot();
    expect(s.toolCalls.done?.status).toBe("complete");
    expect(s.toolCalls.open?.status).toBe("interrupted");
    expect(s.status).toBe("interrupted");
  });
});
