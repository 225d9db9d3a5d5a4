import { beforeEach, describe, expect, it } from "vitest";
import { foldChunks, foldInputs, type StreamChunk, settleRun, turnStatus } from "../src/index.js";
import { applyToolOutcomes, awaitingToolCalls, runEnd, toolStatusOfRun } from "../src/internal.js";
import { ch, resetSeq } from "./helpers.js";

beforeEach(resetSeq);

/** A run like the demo's draftSection: two steps, a tool call, a busy status, then cut off. */
function draftUntil(end: StreamChunk | "run_finished"): ReturnType<typeof foldInputs> {
  const chunks: StreamChunk[] = [
    ch("status", { status: "acting", iteration: 1 }),
    ch("progress", { step: "Research", current: 0, total: 3 }),
    ch("tool_call", { id: "t1", name: "search", args: { q: "backpressure" } }),
    ch("progress", { step: "Write", current: 1, total: 3 }),
    ch("token", { text: "Backpressure is" }),
  ];
  return end === "run_finished"
    ? foldInputs([...chunks, { type: "run_finished", timestamp: 2000 }])
    : foldChunks([...chunks, end]);
}

describe("settleRun: an ended run has nothing left running", () => {
  it("interrupted: the step under way is stopped (not failed), the call interrupted, no busy status left", () => {
    const raw = draftUntil(ch("interrupted", { reason: "stopped" }));
    // What the reducer folds (and every surface showed): the cut-off step "failed", "Acting" on the timeline.
    expect(raw.progress?.steps.map((s) => s.state)).toEqual(["done", "failed"]);
    expect(raw.timeline.some((s) => s.kind === "status" && s.status === "acting")).toBe(true);

    const run = settleRun(raw);
    expect(runEnd(run)).toBe("interrupted");
    expect(run.progress?.steps.map((s) => s.state)).toEqual(["done", "stopped"]);
    expect(run.toolCalls.t1?.status).toBe("interrupted");
    expect(run.timeline.filter((s) => s.kind === "status")).toEqual([]);
    expect(run.timeline.map((s) => s.kind)).toEqual(["progress", "tool", "text", "interrupted"]);
    // The rest is the reducer's, untouched.
    expect(run.text).toBe(raw.text);
    expect(run.status).toBe("interrupted");
  });

  it("completed: a call that never got its result takes the end, and no 'Observing' stays behind", () => {
    const raw = foldChunks([
      ch("status", { status: "acting" }),
      ch("tool_call", { id: "t1", name: "lookup", args: {} }),
      ch("status", { status: "observing", iteration: 1 }),
      ch("token", { text: "Done." }),
      ch("result", { output: "Done.", success: true }),
    ]);
    expect(raw.toolCalls.t1?.status).toBe("called");
    expect(
      raw.timeline.filter((s) => s.kind === "status").map((s) => s.kind === "status" && s.status),
    ).toEqual(["acting", "observing"]);
    const run = settleRun(raw);
    expect(run.toolCalls.t1?.status).toBe("complete");
    expect(run.timeline.some((s) => s.kind === "status")).toBe(false);
    expect(run.timeline.at(-1)?.kind).toBe("result");
  });

  it("RUN_FINISHED without a result: the steps are done, and a status 'completed' segment stays", () => {
    const run = settleRun(
      foldInputs([
        ch("progress", { step: "Read", current: 0 }),
        ch("status", { status: "completed" }),
        { type: "run_finished", timestamp: 5000 },
      ]),
    );
    expect(run.progress?.steps.map((s) => s.state)).toEqual(["done"]);
    expect(run.timeline.filter((s) => s.kind === "status")).toHaveLength(1);
  });

  it("error: the step under way and the live call fail with the run", () => {
    const run = settleRun(draftUntil(ch("error", { message: "boom" })));
    expect(runEnd(run)).toBe("error");
    expect(run.progress?.steps.map((s) => s.state)).toEqual(["done", "failed"]);
    expect(run.toolCalls.t1?.status).toBe("failed");
    expect(run.timeline.some((s) => s.kind === "status")).toBe(false);
  });

  it("a failed step from an earlier recoverable error stays failed in an interrupted run", () => {
    const run = settleRun(
      foldChunks([
        ch("progress", { step: "Fetch", current: 0, total: 2 }),
        ch("error", { message: "retrying", recoverable: true }),
        ch("progress", { step: "Parse", current: 1, total: 2 }),
        ch("interrupted", { reason: "stopped" }),
      ]),
    );
    expect(run.progress?.steps.map((s) => s.state)).toEqual(["failed", "stopped"]);
  });

  it("keeps identity: a running run is returned as is, settling is memoized and idempotent", () => {
    const running = draftUntil(ch("token", { text: " more" }));
    expect(running.done).toBe(false);
    expect(settleRun(running)).toBe(running);
    const ended = draftUntil(ch("interrupted", { reason: "stopped" }));
    const once = settleRun(ended);
    expect(once).not.toBe(ended);
    expect(settleRun(ended)).toBe(once);
    expect(settleRun(once)).toBe(once);
    // A run that ended with nothing live is its own settled form.
    const clean = foldChunks([ch("token", { text: "hi" }), ch("result", { output: "hi", success: true })]);
    expect(settleRun(clean)).toBe(clean);
  });

  it("a lane that ended settles while the run goes on", () => {
    const run = settleRun(
      foldChunks([
        ch("status", { status: "acting", agent: "a" }),
        ch("progress", { step: "A1", current: 0, agent: "a" }),
        ch("tool_call", { id: "ta", name: "f", args: {}, agent: "a" }),
        ch("status", { status: "acting", agent: "b" }),
        ch("interrupted", { reason: "stopped", agent: "a" }),
      ]),
    );
    expect(run.done).toBe(false);
    const a = run.lanes.find((l) => l.agent === "a");
    const b = run.lanes.find((l) => l.agent === "b");
    expect(a?.progress?.steps.map((s) => s.state)).toEqual(["stopped"]);
    expect(a?.timeline.some((s) => s.kind === "status")).toBe(false);
    expect(run.toolCalls.ta?.status).toBe("interrupted");
    // b still works: its status stays, busy.
    expect(b?.timeline.some((s) => s.kind === "status" && s.status === "acting")).toBe(true);
    expect(run.timeline.some((s) => s.kind === "status" && s.agent === "b")).toBe(true);
    expect(run.timeline.some((s) => s.kind === "status" && s.agent === "a")).toBe(false);
  });
});

describe("handed-over calls: the turn takes what became of them", () => {
  /** A completed run that handed `draftSection` over to the page (a frontend tool: no result). */
  const handedOver = () =>
    foldInputs([
      ch("status", { status: "acting" }),
      ch("tool_call", { id: "fe1", name: "draftSection", args: { topic: "backpressure" } }),
      { type: "run_finished", timestamp: 3000 },
    ]);

  it("lists the completed run's unanswered calls, nothing for runs that go on or were stopped", () => {
    expect(awaitingToolCalls(handedOver()).map((c) => c.id)).toEqual(["fe1"]);
    expect(awaitingToolCalls(draftUntil(ch("token", { text: "x" })))).toEqual([]);
    expect(awaitingToolCalls(draftUntil(ch("interrupted", { reason: "stopped" })))).toEqual([]);
  });

  it("a stopped handed-over call ends the turn interrupted: call, status and badge agree", () => {
    const raw = handedOver();
    // Without the outcome, the run says "completed" while the page stopped its call.
    expect(raw.status).toBe("completed");
    const run = settleRun(applyToolOutcomes(raw, { fe1: "interrupted" }));
    expect(run.status).toBe("interrupted");
    expect(run.done).toBe(true);
    expect(runEnd(run)).toBe("interrupted");
    expect(run.toolCalls.fe1?.status).toBe("interrupted");
    expect(run.timeline.some((s) => s.kind === "status")).toBe(false);
  });

  it("a call the page still runs keeps the turn busy; a completed one leaves it completed", () => {
    const busy = applyToolOutcomes(handedOver(), { fe1: "called" });
    expect(busy.status).toBe("acting");
    expect(busy.done).toBe(false);
    expect(settleRun(busy).toolCalls.fe1?.status).toBe("called");
    const done = settleRun(applyToolOutcomes(handedOver(), { fe1: "complete" }));
    expect(done.status).toBe("completed");
    expect(done.toolCalls.fe1?.status).toBe("complete");
  });

  it("no outcome changes nothing (same object)", () => {
    const raw = handedOver();
    expect(applyToolOutcomes(raw, {})).toBe(raw);
    const running = draftUntil(ch("token", { text: "x" }));
    expect(applyToolOutcomes(running, { t1: "interrupted" })).toBe(running);
  });

  it("turnStatus and toolStatusOfRun", () => {
    expect(turnStatus("completed", ["complete", "interrupted"])).toBe("interrupted");
    expect(turnStatus("completed", ["interrupted", "called"])).toBe("acting");
    expect(turnStatus("completed", ["complete", "failed"])).toBe("completed");
    expect(turnStatus("error", ["interrupted"])).toBe("error");
    expect(toolStatusOfRun(foldChunks([]))).toBe("streaming");
    expect(toolStatusOfRun(draftUntil(ch("token", { text: "x" })))).toBe("called");
    expect(toolStatusOfRun(draftUntil(ch("interrupted", { reason: "stopped" })))).toBe("interrupted");
    expect(toolStatusOfRun(draftUntil(ch("error", { message: "x" })))).toBe("failed");
    expect(toolStatusOfRun(draftUntil(ch("result", { output: 1, success: true })))).toBe("complete");
    expect(toolStatusOfRun(draftUntil(ch("result", { output: 1, success: false })))).toBe("failed");
  });
});
