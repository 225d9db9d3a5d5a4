// biome-ignore-all lint/correctness/noComponentHookFactories: test components close over per-test state.
import { createRunStore, type RunStore } from "@agentstream/core";
import { act, render } from "@testing-library/react";
import { Profiler, StrictMode, useEffect } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { StreamView, useRun } from "../src/index.js";
import { useRunStore } from "../src/store/index.js";
import { chunker } from "./chunks.js";

/** A hand-driven frame clock replacing requestAnimationFrame. */
function mockFrames() {
  let queue = new Map<number, FrameRequestCallback>();
  let next = 1;
  vi.stubGlobal("requestAnimationFrame", (cb: FrameRequestCallback) => {
    queue.set(next, cb);
    return next++;
  });
  vi.stubGlobal("cancelAnimationFrame", (id: number) => {
    queue.delete(id);
  });
  return {
    pending: () => queue.size,
    frame() {
      const callbacks = [...queue.values()];
      queue = new Map();
      act(() => {
        for (const cb of callbacks) cb(performance.now());
      });
    },
  };
}

beforeEach(() => {
  vi.unstubAllGlobals();
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function Text({ store }: { store: RunStore }) {
  const text = useRun(store, (s) => s.text);
  return <p>{text.length}</p>;
}

describe("useRun", () => {
  it("makes at most one commit per frame under a 10,000-chunk synchronous burst", () => {
    const frames = mockFrames();
    const store = createRunStore();
    const c = chunker();
    let commits = 0;
    const { container } = render(
      <Profiler id="run" onRender={() => commits++}>
        <Text store={store} />
        <StreamView store={store} />
      </Profiler>,
    );
    const afterMount = commits;
    const error = vi.spyOn(console, "error");

    for (let i = 0; i < 10_000; i++) store.push(c({ type: "token", text: "x" }));
    expect(commits).toBe(afterMount); // nothing rendered synchronously
    expect(frames.pending()).toBe(1); // one frame requested for the whole burst
    frames.frame();
    expect(commits - afterMount).toBe(1);
    expect(container.querySelector("p")?.textContent).toBe("10000");
    expect(container.querySelector('[data-kind="text"]')?.textContent).toHaveLength(10_000);

    // A second burst: again one commit at the next frame.
    for (let i = 0; i < 10_000; i++) store.push(c({ type: "token", text: "y" }));
    frames.frame();
    expect(commits - afterMount).toBe(2);
    // No further frame requested when nothing changed.
    expect(frames.pending()).toBe(0);
    frames.frame();
    expect(commits - afterMount).toBe(2);
    expect(error).not.toHaveBeenCalledWith(expect.stringContaining("Maximum update depth"));
    error.mockRestore();
  });

  it("survives a burst pushed from an effect (no maximum update depth)", () => {
    const frames = mockFrames();
    const store = createRunStore();
    const c = chunker();
    function Pusher() {
      useEffect(() => {
        for (let i = 0; i < 10_000; i++) store.push(c({ type: "token", text: "z" }));
      }, []);
      return null;
    }
    const { container } = render(
      <StrictMode>
        <Pusher />
        <Text store={store} />
      </StrictMode>,
    );
    frames.frame();
    expect(Number(container.querySelector("p")?.textContent)).toBeGreaterThanOrEqual(10_000);
  });

  it("falls back to a 16 ms timeout without requestAnimationFrame", () => {
    vi.stubGlobal("requestAnimationFrame", undefined);
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const store = createRunStore();
    const c = chunker();
    const { container } = render(<Text store={store} />);
    store.push(c({ type: "token", text: "abc" }));
    expect(container.querySelector("p")?.textContent).toBe("0");
    act(() => {
      vi.advanceTimersByTime(15);
    });
    expect(container.querySelector("p")?.textContent).toBe("0");
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(container.querySelector("p")?.textContent).toBe("3");
  });

  it("does not re-render when the selected value is unchanged", () => {
    const frames = mockFrames();
    const store = createRunStore();
    const c = chunker();
    let renders = 0;
    function Status() {
      renders++;
      return <span>{useRun(store, (s) => s.status)}</span>;
    }
    render(<Status />);
    const initial = renders;
    store.push(c({ type: "token", text: "a" })); // idle → started
    frames.frame();
    expect(renders).toBe(initial + 1);
    store.push(c({ type: "token", text: "b" }));
    frames.frame();
    expect(renders).toBe(initial + 1);
  });

  it("supports a custom equality for derived values", () => {
    const frames = mockFrames();
    const store = createRunStore();
    const c = chunker();
    let renders = 0;
    function Ids() {
      renders++;
      const ids = useRun(
        store,
        (s) => s.timeline.map((seg) => seg.kind),
        (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
      );
      return <span>{ids.join(",")}</span>;
    }
    render(<Ids />);
    store.push(c({ type: "token", text: "a" }));
    frames.frame();
    const after = renders;
    store.push(c({ type: "token", text: "b" }));
    frames.frame();
    expect(renders).toBe(after);
  });

  it("unsubscribes from the store and cancels the pending frame on unmount", () => {
    const frames = mockFrames();
    const store = createRunStore();
    const c = chunker();
    const { unmount } = render(<Text store={store} />);
    store.push(c({ type: "token", text: "a" }));
    expect(frames.pending()).toBe(1);
    unmount();
    expect(frames.pending()).toBe(0);
    store.push(c({ type: "token", text: "b" }));
    expect(frames.pending()).toBe(0);
  });
});

describe("useRunStore", () => {
  it("creates one stable store per component", () => {
    const frames = mockFrames();
    const seen = new Set<RunStore>();
    let store!: RunStore;
    function Owner({ n }: { n: number }) {
      store = useRunStore();
      seen.add(store);
      const run = useRun(store);
      return <span data-n={n}>{run.text}</span>;
    }
    const { rerender, container } = render(<Owner n={1} />);
    rerender(<Owner n={2} />);
    expect(seen.size).toBe(1);
    store.push(chunker()({ type: "token", text: "hello" }));
    frames.frame();
    expect(container.textContent).toBe("hello");
  });
});
