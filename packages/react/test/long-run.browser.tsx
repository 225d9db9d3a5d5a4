/**
 * Long runs in real Chromium (layout, IntersectionObserver and content-visibility are real here):
 * finished text blocks and finished segments do not re-render when more arrives, offscreen text
 * pages carry `content-visibility: auto` (Chromium skips them), pages of a long timeline far from
 * the viewport are unmounted and come back when scrolled to, and the view still sticks to the
 * bottom. No timings are asserted.
 */
import { type ChunkInput, createRunStore, type RunStore } from "@agentstream/core";
import { act, cleanup, render } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { SegmentComponentProps } from "../src/components/stream-segment.js";
import { StreamView } from "../src/index.js";
import { chunker } from "./chunks.js";

// The memoized plain-text block, spied on: the same component (same memo), counting its renders.
const spy = vi.hoisted(() => ({ renders: [] as string[], statusRenders: new Map<string, number>() }));
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

/** A status renderer that counts its renders per segment. */
function CountingStatus({ segment }: SegmentComponentProps<"status">) {
  spy.statusRenders.set(segment.id, (spy.statusRenders.get(segment.id) ?? 0) + 1);
  return <span className="status">{segment.status}</span>;
}
const COMPONENTS = { status: CountingStatus };

const para = (i: number) => `Paragraph ${i}: ${"lorem ipsum dolor sit amet ".repeat(12)}\n\n`;

/** Waits for two animation frames (the view commits at most once per frame). */
async function frames(n = 2): Promise<void> {
  for (let i = 0; i < n; i++)
    await act(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
}

function mount(store: RunStore, components?: typeof COMPONENTS) {
  const { container } = render(
    <div style={{ width: 600 }}>
      <StreamView store={store} components={components} style={{ height: 300 }} data-testid="view" />
    </div>,
  );
  return container.querySelector(".as-stream") as HTMLElement;
}

const atBottom = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight <= 2;

// The kit's stylesheet, as a page links it (the dev server serves it as CSS to a <link>).
beforeAll(async () => {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("../src/styles.css", import.meta.url).href;
  const loaded = new Promise((resolve, reject) => {
    link.onload = resolve;
    link.onerror = reject;
  });
  document.head.appendChild(link);
  await loaded;
});

beforeEach(() => {
  spy.renders.length = 0;
  spy.statusRenders.clear();
});
afterEach(cleanup);

describe("StreamView long runs (Chromium)", () => {
  it("a long answer: finished blocks do not re-render, offscreen pages are skipped, the view follows", async () => {
    const store = createRunStore();
    const c = chunker();
    const push = (text: string) => act(() => store.push(c({ type: "token", text })));
    const view = mount(store);
    // 200 paragraphs: 3 full pages of 64 blocks, 8 blocks after them, then the tail.
    for (let i = 0; i < 200; i++) push(para(i));
    push("Tail");
    await frames();
    const pages = view.querySelectorAll(".as-text__page");
    expect(pages).toHaveLength(3);
    expect(view.querySelectorAll(".as-text__block")).toHaveLength(201);
    expect(view.querySelector(".as-text")?.textContent).toBe(
      `${Array.from({ length: 200 }, (_, i) => para(i)).join("")}Tail`,
    );
    expect(atBottom(view)).toBe(true);

    // Tokens arrive: only the tail renders, once per frame.
    spy.renders.length = 0;
    push(" more");
    await frames();
    push(" and more");
    await frames();
    expect(spy.renders).toEqual(["Tail more", "Tail more and more"]);
    expect(atBottom(view)).toBe(true);

    // Finished pages skip rendering while offscreen (content-visibility: auto), not the visible tail.
    const first = pages[0] as HTMLElement;
    expect(getComputedStyle(first).contentVisibility).toBe("auto");
    const firstBlock = first.firstElementChild as HTMLElement;
    expect(firstBlock.checkVisibility({ contentVisibilityAuto: true })).toBe(false);
    const tail = view.querySelector(".as-text > .as-text__block:last-child") as HTMLElement;
    expect(tail.checkVisibility({ contentVisibilityAuto: true })).toBe(true);

    // Scrolled to the top, the first page renders again (and the view lets go of the bottom).
    view.scrollTop = 0;
    await frames(3);
    expect(firstBlock.checkVisibility({ contentVisibilityAuto: true })).toBe(true);
    push(" still streaming");
    await frames();
    expect(view.scrollTop).toBeLessThan(50);
  });

  it("50,000-style chunk runs: finished segments do not re-render, far pages unmount and come back", async () => {
    const store = createRunStore();
    const c = chunker();
    const push = (inputs: ChunkInput[]) => act(() => store.pushMany(inputs.map(c)));
    const view = mount(store, COMPONENTS);
    // 300 turns: status, a tool call with its result (2 segments a turn: 600 segments, 12 pages).
    const turn = (t: number): ChunkInput[] => [
      { type: "status", status: t % 2 === 0 ? "acting" : "observing", iteration: t + 1 },
      { type: "tool_call", id: `call-${t}`, name: "search", args: { q: `q${t}` } },
      { type: "tool_result", id: `call-${t}`, name: "search", result: { hits: t }, success: true },
    ];
    for (let t = 0; t < 300; t++) push(turn(t));
    await frames(3);
    expect(store.getSnapshot().timeline).toHaveLength(600);
    const pages = () => Array.from(view.querySelectorAll<HTMLElement>(".as-segment-page"));
    expect(pages()).toHaveLength(12);
    // Far from the bottom, pages are placeholders: fewer segments mounted than the run has.
    await expect
      .poll(() => view.querySelectorAll(".as-segment-page[data-unmounted]").length)
      .toBeGreaterThan(5);
    expect(view.querySelectorAll(".as-segment").length).toBeLessThan(300);
    expect(pages()[0]?.getAttribute("aria-hidden")).toBe("true");
    expect(atBottom(view)).toBe(true);

    // More chunks: no finished status segment renders again; the view keeps following.
    const before = new Map(spy.statusRenders);
    for (let t = 300; t < 310; t++) {
      push(turn(t));
      await frames(1);
    }
    await frames();
    for (const [id, count] of before) expect(spy.statusRenders.get(id), id).toBe(count);
    expect(atBottom(view)).toBe(true);

    // Scrolled to the top, the first page mounts again with its segments.
    view.scrollTop = 0;
    await expect.poll(() => pages()[0]?.hasAttribute("data-unmounted")).toBe(false);
    expect(pages()[0]?.querySelectorAll(".as-segment")).toHaveLength(50);
    expect(pages()[0]?.querySelector(".status")?.textContent).toBe("acting");
  });
});
