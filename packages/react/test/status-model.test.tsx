/**
 * One status model for every surface (issue 26): once a run ended, nothing rendered from it
 * looks live. Every surface reads the run through `useRun` (or `StreamView`), which settles it
 * with core's `settleRun`; progress bars take the run's status.
 */
import { createRunStore, foldChunks, type RunState, type StreamChunk } from "@agentstream/core";
import { act, render, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ProgressBar, StepProgress, StreamView, useRun } from "../src/index.js";
import { chunker } from "./chunks.js";

/** The demo's draftSection run, cut off while it writes: a step under way, a call, a busy status. */
function draft(end: StreamChunk["type"] | "none"): StreamChunk[] {
  const c = chunker();
  const chunks = [
    c({ type: "status", status: "acting", iteration: 1 }),
    c({ type: "progress", step: "Research", current: 0, total: 3 }),
    c({ type: "tool_call", id: "t1", name: "search", args: { q: "backpressure" } }),
    c({ type: "progress", step: "Write", current: 1, total: 3 }),
    c({ type: "token", text: "Backpressure is" }),
  ];
  if (end === "interrupted") chunks.push(c({ type: "interrupted", reason: "stopped" }));
  if (end === "error") chunks.push(c({ type: "error", message: "boom" }));
  if (end === "result") chunks.push(c({ type: "result", output: "ok", success: true }));
  return chunks;
}

function storeOf(chunks: StreamChunk[]) {
  const store = createRunStore();
  store.pushMany(chunks);
  return store;
}

describe("useRun settles an ended run", () => {
  it("stopped: the step under way is 'stopped' (not failed), the call interrupted, no busy status", () => {
    const store = storeOf(draft("interrupted"));
    // The store itself keeps what the reducer folded (the step "failed", "Acting" on the timeline).
    expect(store.getSnapshot().progress?.steps.map((s) => s.state)).toEqual(["done", "failed"]);
    const { result } = renderHook(() => useRun(store));
    const run = result.current;
    expect(run.progress?.steps.map((s) => s.state)).toEqual(["done", "stopped"]);
    expect(run.toolCalls.t1?.status).toBe("interrupted");
    expect(run.timeline.some((s) => s.kind === "status")).toBe(false);
  });

  it("while the run goes, it is the store's snapshot itself (same object)", () => {
    const store = storeOf(draft("none"));
    const { result } = renderHook(() => useRun(store));
    expect(result.current).toBe(store.getSnapshot());
    const selected = renderHook(() => useRun(store, (s) => s.progress?.steps.at(-1)?.state));
    expect(selected.result.current).toBe("active");
  });

  it("a selector reads the settled state", () => {
    const store = storeOf(draft("interrupted"));
    const { result } = renderHook(() => useRun(store, (s) => s.progress?.steps.at(-1)?.state));
    expect(result.current).toBe("stopped");
  });
});

afterEach(() => vi.useRealTimers());

describe("StreamView of an ended run", () => {
  it("stopped: the tool card says Stopped, no 'Acting' badge, the inline bar is frozen and neutral", () => {
    const { container } = render(<StreamView run={foldChunks(draft("interrupted"))} />);
    expect(container.querySelector(".as-tool")?.getAttribute("data-state")).toBe("interrupted");
    expect(container.querySelector(".as-tool__badge")?.textContent).toContain("Stopped");
    expect(container.querySelector(".as-status[data-state=acting]")).toBeNull();
    expect(container.querySelector("[data-busy]")).toBeNull();
    const bar = container.querySelector("[role=progressbar]");
    expect(bar?.getAttribute("data-state")).toBe("stopped");
    expect(bar?.getAttribute("aria-valuenow")).toBe("1");
    expect(container.querySelector(".as-interrupted")).not.toBeNull();
  });

  it("completed: no 'Observing' badge left behind, the call done, the inline bar complete", () => {
    const c = chunker();
    const run = foldChunks([
      c({ type: "progress", step: "Search", current: 1 }),
      c({ type: "tool_call", id: "t1", name: "lookup", args: {} }),
      c({ type: "status", status: "observing", iteration: 1 }),
      c({ type: "token", text: "Done." }),
      c({ type: "result", output: "Done.", success: true }),
    ]);
    const { container } = render(<StreamView run={run} />);
    expect(container.querySelector(".as-status[data-state=observing]")).toBeNull();
    expect(container.querySelector(".as-tool")?.getAttribute("data-state")).toBe("complete");
    // The step's progress had no total: the bar is full at the end, not indeterminate.
    expect(container.querySelector("[role=progressbar]")?.getAttribute("data-state")).toBe("complete");
  });

  it("a store updates live, then settles when the run ends", () => {
    vi.useFakeTimers({
      toFake: ["requestAnimationFrame", "cancelAnimationFrame", "setTimeout", "clearTimeout"],
    });
    const store = storeOf(draft("none"));
    const { container } = render(<StreamView store={store} />);
    expect(container.querySelector(".as-status[data-state=acting]")).not.toBeNull();
    expect(container.querySelector(".as-tool")?.getAttribute("data-state")).toBe("called");
    expect(container.querySelector("[role=progressbar]")?.getAttribute("data-state")).toBe("loading");
    store.push({ type: "interrupted", reason: "stopped", seq: 99, timestamp: 99_000 });
    act(() => {
      vi.runOnlyPendingTimers();
    });
    expect(container.querySelector(".as-status[data-state=acting]")).toBeNull();
    expect(container.querySelector(".as-tool")?.getAttribute("data-state")).toBe("interrupted");
    expect(container.querySelector("[role=progressbar]")?.getAttribute("data-state")).toBe("stopped");
  });
});

describe("ProgressBar with the run's status", () => {
  const state = (el: HTMLElement) => el.querySelector("[role=progressbar]") as HTMLElement;

  it("an indeterminate bar of a completed run is full and complete, not animated", () => {
    const { container } = render(<ProgressBar label="Working" value={null} status="completed" />);
    const bar = state(container);
    expect(bar.getAttribute("data-state")).toBe("complete");
    expect(bar.getAttribute("aria-valuenow")).toBe("100");
    expect(bar.querySelector(".as-progress__indicator")?.getAttribute("data-state")).toBe("complete");
  });

  it("a stopped run's bar stays where it was, 'stopped'; without a value it stops animating", () => {
    const { container, rerender } = render(
      <ProgressBar label="Write" value={1} max={3} status="interrupted" />,
    );
    expect(state(container).getAttribute("data-state")).toBe("stopped");
    expect(state(container).getAttribute("aria-valuenow")).toBe("1");
    expect(state(container).getAttribute("aria-valuetext")).toBe("1 of 3, stopped");
    rerender(<ProgressBar label="Write" value={null} status="interrupted" />);
    expect(state(container).getAttribute("data-state")).toBe("stopped");
    expect(state(container).getAttribute("aria-valuetext")).toBe("Stopped");
  });

  it("a failed run's bar is 'failed'; a busy status changes nothing", () => {
    const { container, rerender } = render(<ProgressBar value={2} max={4} status="error" />);
    expect(state(container).getAttribute("data-state")).toBe("failed");
    rerender(<ProgressBar value={null} status="acting" />);
    expect(state(container).getAttribute("data-state")).toBe("indeterminate");
    rerender(<ProgressBar value={4} max={4} status="interrupted" />);
    expect(state(container).getAttribute("data-state")).toBe("complete");
  });
});

describe("StepProgress", () => {
  it("draws a stopped step with a neutral glyph and says 'Stopped', not 'Failed'", () => {
    const run: RunState = foldChunks(draft("interrupted"));
    const { result } = renderHook(() => useRun({ subscribe: () => () => {}, getSnapshot: () => run }));
    const { container } = render(<StepProgress steps={result.current.progress?.steps ?? []} />);
    const stopped = container.querySelector(".as-step[data-state=stopped]");
    expect(stopped?.querySelector(".as-step__icon")?.textContent).toBe("■");
    expect(stopped?.textContent).toContain("(Stopped)");
    expect(container.querySelector(".as-step[data-state=failed]")).toBeNull();
  });
});
