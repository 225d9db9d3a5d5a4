import { createRunStore } from "@agentstream/core";
import { act, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { StreamView } from "../src/index.js";
import { chunker } from "./chunks.js";

// A spy on the memoized plain-text block: the same component (same memo), counting its renders.
const spy = vi.hoisted(() => ({ renders: [] as string[] }));
vi.mock("../src/components/text-blocks.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../src/components/text-blocks.js")>();
  const { memo } = await import("react");
  const inner = (actual.TextBlock as unknown as { type: (props: { text: string }) => ReactNode }).type;
  return {
    ...actual,
    TextBlock: memo(function SpiedTextBlock(props: { text: string }) {
      spy.renders.push(props.text);
      return inner(props);
    }),
  };
});

const para = (i: number) => `Paragraph ${i}: ${"lorem ipsum ".repeat(25)}`;

/** Runs queued animation frames synchronously. */
function flushFrames() {
  act(() => {
    vi.runOnlyPendingTimers();
  });
}

beforeEach(() => {
  spy.renders.length = 0;
});
afterEach(() => vi.useRealTimers());

describe("StreamView plain text: render counts", () => {
  it("re-renders only the last (growing) block per token", () => {
    vi.useFakeTimers({ toFake: ["requestAnimationFrame", "cancelAnimationFrame"] });
    const store = createRunStore();
    const c = chunker();
    const push = (text: string) => store.push(c({ type: "token", text }));
    render(<StreamView store={store} data-testid="view" />);
    for (let i = 0; i < 50; i++) push(`${para(i)}\n\n`);
    push(`Tail ${"lorem ipsum ".repeat(25)}`);
    flushFrames();
    const blocks = () => screen.getByTestId("view").querySelectorAll(".as-text__block");
    expect(blocks()).toHaveLength(51);
    // Mounting renders each block once.
    expect(spy.renders).toHaveLength(51);

    spy.renders.length = 0;
    let tail = `Tail ${"lorem ipsum ".repeat(25)}`;
    const seen: string[] = [];
    for (let i = 0; i < 20; i++) {
      push(" more");
      tail += " more";
      seen.push(tail);
      flushFrames();
    }
    // One render per frame, always of the tail: the 50 finished blocks never render again.
    expect(spy.renders).toEqual(seen);

    // A paragraph break: the tail is finished (with its line breaks), a new tail starts.
    spy.renders.length = 0;
    push("\n\nNext");
    flushFrames();
    expect(spy.renders).toEqual([`${tail}\n\n`, "Next"]);
    expect(blocks()).toHaveLength(52);

    spy.renders.length = 0;
    push(" one");
    flushFrames();
    expect(spy.renders).toEqual(["Next one"]);
    expect(screen.getByTestId("view").querySelector(".as-text")?.textContent).toBe(
      `${Array.from({ length: 50 }, (_, i) => `${para(i)}\n\n`).join("")}${tail}\n\nNext one`,
    );
  });

  it("renders nothing again when the run re-renders without new text", () => {
    const store = createRunStore();
    const c = chunker();
    store.push(c({ type: "token", text: `${para(1)}\n\n${para(2)}\n\n${para(3)}` }));
    const { rerender } = render(<StreamView run={store.getSnapshot()} />);
    expect(spy.renders).toHaveLength(3);
    spy.renders.length = 0;
    store.push(c({ type: "status", status: "acting" }));
    rerender(<StreamView run={store.getSnapshot()} />);
    expect(spy.renders).toEqual([]);
  });
});
