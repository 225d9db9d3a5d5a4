// biome-ignore-all lint/correctness/noComponentHookFactories: test components close over per-test state.
import { createRunStore, type RunState } from "@agentstream/core";
import { act, render, screen } from "@testing-library/react";
import { memo } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type SegmentComponentProps, StreamView } from "../src/index.js";
import { chunker } from "./chunks.js";

/** Runs queued animation frames synchronously. */
function flushFrames() {
  act(() => {
    vi.runOnlyPendingTimers();
  });
}

function setup() {
  vi.useFakeTimers({
    toFake: ["requestAnimationFrame", "cancelAnimationFrame", "setTimeout", "clearTimeout"],
  });
  const store = createRunStore();
  const c = chunker();
  const utils = render(<StreamView store={store} data-testid="view" />);
  return { store, c, ...utils, view: screen.getByTestId("view") };
}

afterEach(() => vi.useRealTimers());

describe("StreamView", () => {
  it("is a labelled log that is not live per token", () => {
    const { view } = setup();
    expect(view.getAttribute("role")).toBe("log");
    expect(view.getAttribute("aria-live")).toBe("off");
    expect(view.getAttribute("aria-label")).toBe("Agent output");
    expect(view.getAttribute("data-state")).toBe("idle");
  });

  it("merges consecutive tokens into one text block", () => {
    const { store, c, view } = setup();
    for (const text of ["Hel", "lo", ", ", "world"]) store.push(c({ type: "token", text }));
    flushFrames();
    const blocks = view.querySelectorAll('[data-kind="text"]');
    expect(blocks).toHaveLength(1);
    expect(blocks[0]?.textContent).toBe("Hello, world");
    expect(blocks[0]?.querySelector(".as-text")).toBeTruthy();
    expect(blocks[0]?.hasAttribute("data-streaming")).toBe(true);
    expect(view.hasAttribute("data-live")).toBe(true);
  });

  it("keeps the partial output above an error", () => {
    const { store, c, view } = setup();
    store.push(c({ type: "token", text: "Partial answer" }));
    store.push(c({ type: "error", message: "Model overloaded", code: "overloaded" }));
    flushFrames();
    const kinds = [...view.querySelectorAll(".as-segment")].map((s) => s.getAttribute("data-kind"));
    expect(kinds.indexOf("text")).toBeGreaterThanOrEqual(0);
    expect(kinds.indexOf("text")).toBeLessThan(kinds.indexOf("error"));
    expect(view.textContent).toContain("Partial answer");
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Model overloaded");
    expect(alert.textContent).toContain("overloaded");
    expect(view.getAttribute("data-state")).toBe("error");
  });

  it("shows thinking collapsed with its duration, tool calls filling in, progress, the result", () => {
    const { store, c, view } = setup();
    store.push(c({ type: "status", status: "thinking", iteration: 1 }));
    store.push(c({ type: "thinking", text: "Let me ", timestamp: 10_000 }));
    store.push(c({ type: "thinking", text: "search.", timestamp: 11_000 }));
    flushFrames();
    expect(view.querySelector(".as-thinking")?.getAttribute("data-state")).toBe("active");
    expect(view.textContent).toContain("Thinking…");

    store.push(
      c({ type: "tool_call", id: "t1", name: "search", argsDelta: '{"query":"ca', timestamp: 13_000 }),
    );
    flushFrames();
    expect(view.querySelector(".as-thinking summary")?.textContent).toContain("Thought for 3 seconds");
    const card = screen.getByRole("article", { name: "Tool search" });
    expect(card.getAttribute("data-state")).toBe("streaming");
    expect(card.textContent).toContain('"query": "ca"');

    store.push(c({ type: "tool_call", id: "t1", name: "search", argsDelta: 'ts"}' }));
    flushFrames();
    expect(card.textContent).toContain('"query": "cats"');

    store.push(c({ type: "tool_result", id: "t1", name: "search", result: { hits: 3 }, success: true }));
    store.push(c({ type: "progress", step: "Reading", current: 1, total: 4 }));
    flushFrames();
    expect(screen.getByRole("article", { name: "Tool search" }).getAttribute("data-state")).toBe("complete");
    expect(screen.getByLabelText("search result").textContent).toContain('"hits": 3');
    const bar = screen.getByRole("progressbar", { name: "Reading" });
    expect(bar.getAttribute("aria-valuenow")).toBe("1");

    store.push(c({ type: "progress", step: "Reading", current: 4, total: 4 }));
    store.push(c({ type: "token", text: "Done." }));
    store.push(c({ type: "result", output: "All good", success: true, duration: 9_000 }));
    flushFrames();
    expect(screen.getAllByRole("progressbar")).toHaveLength(1);
    expect(screen.getByRole("progressbar").getAttribute("data-state")).toBe("complete");
    const result = screen.getByRole("group", { name: "Result" });
    expect(result.textContent).toContain("All good");
    expect(result.textContent).toContain("9 s");
    expect(view.hasAttribute("data-done")).toBe(true);
    expect(view.hasAttribute("data-live")).toBe(false);
    expect(view.querySelector("[data-streaming]")).toBeNull();
  });

  it("shows an interrupted marker after the partial output", () => {
    const { store, c, view } = setup();
    store.push(c({ type: "token", text: "Half of it" }));
    store.push(c({ type: "interrupted", reason: "user", partial: "Half of it" }));
    flushFrames();
    const note = screen.getByRole("note");
    expect(note.textContent).toContain("Interrupted — stopped by the user");
    expect(view.textContent?.indexOf("Half of it")).toBeLessThan(
      view.textContent?.indexOf("Interrupted") ?? 0,
    );
  });

  it("renders one lane per agent in a multi-agent run", () => {
    const { store, c, view } = setup();
    store.push(c({ type: "token", text: "A says", agent: "alpha" }));
    store.push(c({ type: "token", text: "B says", agent: "beta" }));
    store.push(c({ type: "status", status: "completed", agent: "alpha" }));
    flushFrames();
    expect(view.getAttribute("data-layout")).toBe("lanes");
    const alpha = screen.getByRole("region", { name: "alpha" });
    const beta = screen.getByRole("region", { name: "beta" });
    expect(alpha.textContent).toContain("A says");
    expect(alpha.textContent).not.toContain("B says");
    expect(beta.textContent).toContain("B says");
    expect(alpha.getAttribute("data-state")).toBe("completed");
  });

  it("can force one timeline for a multi-agent run", () => {
    const store = createRunStore();
    const c = chunker();
    store.push(c({ type: "token", text: "A", agent: "alpha" }));
    store.push(c({ type: "token", text: "B", agent: "beta" }));
    render(<StreamView run={store.getSnapshot()} layout="timeline" data-testid="v" />);
    expect(screen.getByTestId("v").getAttribute("data-layout")).toBe("timeline");
    expect(screen.getByTestId("v").querySelectorAll('[data-kind="text"]')).toHaveLength(2);
  });

  it("accepts a run snapshot, renderText and an empty state", () => {
    const store = createRunStore();
    const c = chunker();
    const empty: RunState = store.getSnapshot();
    const { rerender } = render(<StreamView run={empty} emptyState={<p>Nothing yet</p>} />);
    expect(screen.getByText("Nothing yet")).toBeTruthy();
    store.push(c({ type: "token", text: "*hi*" }));
    const renderText = (text: string, ctx: { streaming: boolean }) => (
      <em data-streaming-text={String(ctx.streaming)}>{text.replaceAll("*", "")}</em>
    );
    rerender(<StreamView run={store.getSnapshot()} renderText={renderText} />);
    const em = document.querySelector("em") as HTMLElement;
    expect(em.textContent).toBe("hi");
    expect(em.getAttribute("data-streaming-text")).toBe("true");
    expect(screen.queryByText("Nothing yet")).toBeNull();
  });

  it("re-renders only the tail segment while tokens stream", () => {
    vi.useFakeTimers({ toFake: ["requestAnimationFrame", "cancelAnimationFrame"] });
    const renders = new Map<string, number>();
    const Text = ({ segment }: SegmentComponentProps<"text">) => {
      renders.set(segment.id, (renders.get(segment.id) ?? 0) + 1);
      return <span>{segment.text}</span>;
    };
    const components = { text: memo(Text) };
    const store = createRunStore();
    const c = chunker();
    render(<StreamView store={store} components={components} />);
    // 50 finished text segments (separated by status changes), then a streaming tail.
    for (let i = 0; i < 50; i++) {
      store.push(c({ type: "token", text: `para ${i}` }));
      store.push(c({ type: "status", status: i % 2 ? "acting" : "observing" }));
    }
    store.push(c({ type: "token", text: "tail" }));
    flushFrames();
    const before = new Map(renders);
    for (let i = 0; i < 20; i++) {
      store.push(c({ type: "token", text: "." }));
      flushFrames();
    }
    const changed = [...renders].filter(([id, n]) => before.get(id) !== n).map(([id]) => id);
    expect(changed).toHaveLength(1);
    expect(renders.get(changed[0] as string)).toBe((before.get(changed[0] as string) ?? 0) + 20);
  });

  it("forwards ref and className", () => {
    const ref = { current: null as HTMLDivElement | null };
    render(<StreamView ref={ref} run={createRunStore().getSnapshot()} className="v" />);
    expect(ref.current?.className).toBe("as-stream v");
  });
});
