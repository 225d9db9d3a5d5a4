import { createRunStore } from "@agentstream/core";
import { act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { StreamView } from "../src/index.js";
import { chunker } from "./chunks.js";

afterEach(() => vi.useRealTimers());

/** Gives an element a fake scroll geometry (happy-dom does no layout). */
function fakeScroll(el: HTMLElement, clientHeight = 100) {
  const geometry = { scrollHeight: clientHeight, scrollTop: 0 };
  Object.defineProperty(el, "clientHeight", { configurable: true, get: () => clientHeight });
  Object.defineProperty(el, "scrollHeight", { configurable: true, get: () => geometry.scrollHeight });
  Object.defineProperty(el, "scrollTop", {
    configurable: true,
    get: () => geometry.scrollTop,
    set: (v: number) => {
      geometry.scrollTop = Math.max(0, Math.min(v, geometry.scrollHeight - clientHeight));
    },
  });
  return geometry;
}

function userScrollTo(el: HTMLElement, top: number) {
  el.scrollTop = top;
  fireEvent.scroll(el);
}

describe("StreamView stick-to-bottom", () => {
  it("follows new content, lets go when the user scrolls up, re-arms at the bottom", () => {
    vi.useFakeTimers({ toFake: ["requestAnimationFrame", "cancelAnimationFrame"] });
    const store = createRunStore();
    const c = chunker();
    render(<StreamView store={store} data-testid="view" />);
    const view = screen.getByTestId("view");
    const geometry = fakeScroll(view);
    const grow = (height: number) => {
      geometry.scrollHeight = height;
      store.push(c({ type: "token", text: "more text " }));
      act(() => {
        vi.runOnlyPendingTimers();
      });
    };

    expect(view.hasAttribute("data-stuck")).toBe(true);
    grow(500);
    expect(view.scrollTop).toBe(400);

    userScrollTo(view, 200);
    expect(view.hasAttribute("data-stuck")).toBe(false);
    expect(screen.getByRole("button", { name: "Jump to latest" })).toBeTruthy();
    grow(800);
    expect(view.scrollTop).toBe(200);

    // Scrolling down without reaching the bottom keeps it released.
    userScrollTo(view, 450);
    grow(900);
    expect(view.scrollTop).toBe(450);

    // Back at the bottom (within the threshold): follows again.
    userScrollTo(view, 790);
    expect(view.hasAttribute("data-stuck")).toBe(true);
    expect(screen.queryByRole("button", { name: "Jump to latest" })).toBeNull();
    grow(1200);
    expect(view.scrollTop).toBe(1100);
  });

  it("re-arms with the 'Jump to latest' button", () => {
    vi.useFakeTimers({ toFake: ["requestAnimationFrame", "cancelAnimationFrame"] });
    const store = createRunStore();
    const c = chunker();
    render(<StreamView store={store} data-testid="view" />);
    const view = screen.getByTestId("view");
    const geometry = fakeScroll(view);
    geometry.scrollHeight = 600;
    store.push(c({ type: "token", text: "x" }));
    act(() => {
      vi.runOnlyPendingTimers();
    });
    userScrollTo(view, 100);
    fireEvent.click(screen.getByRole("button", { name: "Jump to latest" }));
    expect(view.scrollTop).toBe(500);
    expect(view.hasAttribute("data-stuck")).toBe(true);
  });

  it("never scrolls by itself with stickToBottom={false}", () => {
    vi.useFakeTimers({ toFake: ["requestAnimationFrame", "cancelAnimationFrame"] });
    const store = createRunStore();
    const c = chunker();
    render(<StreamView store={store} stickToBottom={false} data-testid="view" />);
    const view = screen.getByTestId("view");
    const geometry = fakeScroll(view);
    geometry.scrollHeight = 600;
    store.push(c({ type: "token", text: "x" }));
    act(() => {
      vi.runOnlyPendingTimers();
    });
    expect(view.scrollTop).toBe(0);
    expect(view.hasAttribute("data-stuck")).toBe(false);
  });
});
