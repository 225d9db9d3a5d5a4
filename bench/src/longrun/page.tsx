/**
 * The long-run benchmark's page (bundled by esbuild in production mode, React's profiling build).
 * `window.__bench.run(options)` mounts one view beside a controlled `<input>`, feeds it a long
 * run as fast as it comes (`batch` items per macrotask, the way SSE reads deliver them), and
 * records, per window of `window` items, the wall time and React's render time (<Profiler>
 * `actualDuration`), every animation-frame interval, long tasks, and the keypress-to-paint latency
 * of the input (keys are pressed by the driver while the run streams). `__bench.scroll(frames)`
 * then scrolls the finished run upwards in `scrollTop` steps, one per frame, and reports the
 * frame intervals.
 *
 * Views:
 * - `agentstream`: `<StreamView store={store} />`, text as `TEXT_MESSAGE_CONTENT` events, chunks
 *   as `store.push(chunk)`.
 * - `naive`: seed 000's pattern, `setMessages(prev => [...prev, msg])` per token or chunk.
 * - `copilotkit`: CopilotKit v2's `CopilotChatAssistantMessage` (its Streamdown markdown) with
 *   the growing text as `message.content`, one state update per macrotask (CopilotKit re-renders
 *   its message list on every agent message change).
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import { type ChunkInput, createRunStore, toChunk } from "@agentstream/core";
import { StreamView } from "@agentstream/react";
import { Profiler, type ReactNode, useEffect, useState } from "react";
import { createRoot, type Root } from "react-dom/profiling";
import { tokenText } from "../lib/workload.js";

/** What the page runs. */
export interface LongRunOptions {
  mode: "agentstream" | "naive" | "copilotkit";
  /** `text`: one long answer; `chunks`: tool calls, progress and status only. */
  kind: "text" | "chunks";
  /** Tokens (text) or chunks. */
  size: number;
  batch: number;
  /** Items per measured window. */
  window: number;
  timeoutMs: number;
}

/** What one run measured. */
export interface LongRunResult {
  fed: number;
  timedOut: boolean;
  /** Wall time of each full window of `window` items (ms). */
  windowMs: number[];
  /** React render time (<Profiler> actualDuration, summed) per window (ms). */
  windowRenderMs: number[];
  /** Animation-frame intervals while streaming (ms). */
  frames: number[];
  commits: number;
  longTasks: number;
  maxLongTaskMs: number;
  /** Keypress (event timestamp) to the frame after the input's new value rendered (ms). */
  keyLatency: number[];
  totalMs: number;
  chars: number;
  textOk: boolean;
}

const CHUNK_TYPES = 4;

/** The `i`-th chunk of the chunk run: status, a tool call with its arguments, its result, progress. */
function chunkInput(i: number): ChunkInput {
  const turn = Math.floor(i / CHUNK_TYPES);
  const id = `call-${turn}`;
  switch (i % CHUNK_TYPES) {
    case 0:
      return { type: "status", status: turn % 2 === 0 ? "acting" : "observing", iteration: turn + 1 };
    case 1:
      return { type: "tool_call", id, name: "search", args: { query: `query ${turn}`, limit: 5 } };
    case 2:
      return {
        type: "tool_result",
        id,
        name: "search",
        result: { hits: [`doc-${turn}`], took: 3 },
        success: true,
      };
    default:
      return { type: "progress", step: `Step ${turn + 1}`, current: turn + 1, total: 1_000_000 };
  }
}

function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(0);
  });
}

const nextFrame = () => new Promise<number>((r) => requestAnimationFrame(r));

interface NaiveItem {
  key: number;
  text: string;
}

/** Seed 000's pattern: one array copy and one state update per item. */
function NaiveList({ feed }: { feed: (push: (m: NaiveItem) => void) => void }) {
  const [items, setItems] = useState<NaiveItem[]>([]);
  useEffect(() => feed((m) => setItems((prev) => [...prev, m])), [feed]);
  return (
    <div className="naive" style={{ whiteSpace: "pre-wrap" }}>
      {items.map((m) => (
        <span key={m.key}>{m.text}</span>
      ))}
    </div>
  );
}

/** The input beside the view: a controlled React input, as a host app's prompt box would be. */
function Prompt({ onPainted }: { onPainted: (ms: number) => void }) {
  const [value, setValue] = useState("");
  return (
    <input
      id="prompt"
      value={value}
      style={{ width: 300 }}
      onChange={(e) => {
        const stamp = e.nativeEvent.timeStamp;
        setValue(e.target.value);
        // After React's commit, the next frame paints it; the task after that frame is "painted".
        requestAnimationFrame(() => setTimeout(() => onPainted(performance.now() - stamp), 0));
      }}
    />
  );
}

let root: Root | undefined;
let scroller: HTMLElement | null = null;

async function run(o: LongRunOptions): Promise<LongRunResult> {
  const host = document.getElementById("root") as HTMLElement;
  root?.unmount();
  host.innerHTML = "";
  const container = document.createElement("div");
  host.appendChild(container);
  root = createRoot(container);

  let commits = 0;
  let renderMs = 0;
  const onRender = (_id: string, _phase: string, actual: number) => {
    commits++;
    renderMs += actual;
  };
  const keyLatency: number[] = [];
  let longTasks = 0;
  let maxLongTaskMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      longTasks++;
      maxLongTaskMs = Math.max(maxLongTaskMs, e.duration);
    }
  });
  observer.observe({ type: "longtask" });

  const texts = o.kind === "text" ? Array.from({ length: o.size }, (_, i) => tokenText(i)) : [];
  const expected = texts.join("");
  // push(i) feeds item i; the view decides how.
  let push: (from: number, to: number) => void;
  let view: ReactNode;
  const scrollStyle = { height: 600, overflow: "auto" } as const;
  if (o.mode === "agentstream") {
    const store = createRunStore();
    store.pushEvent({ type: "RUN_STARTED", threadId: "t", runId: "r" } as BaseEvent);
    if (o.kind === "text") {
      store.pushEvent({ type: "TEXT_MESSAGE_START", messageId: "m1", role: "assistant" } as BaseEvent);
      push = (from, to) => {
        for (let i = from; i < to; i++)
          store.pushEvent({ type: "TEXT_MESSAGE_CONTENT", messageId: "m1", delta: texts[i] } as BaseEvent);
      };
    } else {
      push = (from, to) => {
        for (let i = from; i < to; i++) store.push(toChunk(chunkInput(i), i, 1_700_000_000_000 + i));
      };
    }
    view = <StreamView store={store} style={scrollStyle} />;
  } else if (o.mode === "naive") {
    let add: ((m: NaiveItem) => void) | undefined;
    const feed = (p: (m: NaiveItem) => void) => {
      add = p;
    };
    push = (from, to) => {
      for (let i = from; i < to; i++) {
        const text = o.kind === "text" ? (texts[i] as string) : `${JSON.stringify(chunkInput(i))}\n`;
        add?.({ key: i, text });
      }
    };
    view = (
      <div style={scrollStyle} className="scroller">
        <NaiveList feed={feed} />
      </div>
    );
  } else {
    let set: ((t: string) => void) | undefined;
    let content = "";
    const feed = (s: (t: string) => void) => {
      set = s;
    };
    push = (from, to) => {
      for (let i = from; i < to; i++) content += texts[i] as string;
      set?.(content);
    };
    // Loaded only for this view (a chunk of its own), so the other views' pages stay small.
    const { CopilotKitMessage } = await import("./copilotkit.js");
    view = (
      <div style={scrollStyle} className="scroller">
        <CopilotKitMessage feed={feed} />
      </div>
    );
  }
  root.render(
    <div style={{ display: "flex", gap: 16 }}>
      <div style={{ width: 700 }}>
        <Profiler id="view" onRender={onRender}>
          {view}
        </Profiler>
      </div>
      <Prompt onPainted={(ms) => keyLatency.push(ms)} />
    </div>,
  );
  await nextFrame();
  await new Promise((r) => setTimeout(r, 50));
  scroller = container.querySelector(".as-stream") ?? container.querySelector(".scroller");
  commits = 0;
  renderMs = 0;
  longTasks = 0;
  maxLongTaskMs = 0;

  const frames: number[] = [];
  let streaming = true;
  let last = performance.now();
  const onFrame = (now: number) => {
    frames.push(now - last);
    last = now;
    if (streaming) requestAnimationFrame(onFrame);
  };
  requestAnimationFrame((now) => {
    last = now;
    requestAnimationFrame(onFrame);
  });
  (window as unknown as { __streaming: boolean }).__streaming = true;

  const t0 = performance.now();
  let windowStart = t0;
  let windowRender = 0;
  const windowMs: number[] = [];
  const windowRenderMs: number[] = [];
  let fed = 0;
  let timedOut = false;
  for (let i = 0; i < o.size; i += o.batch) {
    const end = Math.min(o.size, i + o.batch);
    push(i, end);
    fed = end;
    await macrotask();
    if (Math.floor(end / o.window) > windowMs.length) {
      const now = performance.now();
      windowMs.push(now - windowStart);
      windowRenderMs.push(renderMs - windowRender);
      windowStart = now;
      windowRender = renderMs;
    }
    if (performance.now() - t0 > o.timeoutMs) {
      timedOut = fed < o.size;
      break;
    }
  }
  // Let the last frame render.
  await nextFrame();
  await nextFrame();
  const totalMs = performance.now() - t0;
  streaming = false;
  (window as unknown as { __streaming: boolean }).__streaming = false;
  await new Promise((r) => setTimeout(r, 100));
  observer.disconnect();
  const shown =
    o.mode === "agentstream"
      ? (container.querySelector('[data-kind="text"]')?.textContent ?? "")
      : (container.querySelector(".scroller")?.textContent ?? "");
  return {
    fed,
    timedOut,
    windowMs,
    windowRenderMs,
    frames,
    commits,
    longTasks,
    maxLongTaskMs,
    keyLatency,
    totalMs,
    chars: o.kind === "text" ? texts.slice(0, fed).join("").length : fed,
    textOk: o.kind !== "text" || timedOut || o.mode === "copilotkit" || shown === expected,
  };
}

/** Scrolls the view up by `step` pixels per frame for `count` frames; returns the frame intervals. */
async function scroll(count: number, step: number): Promise<number[]> {
  const el = scroller;
  if (!el) return [];
  el.scrollTop = el.scrollHeight;
  await nextFrame();
  const frames: number[] = [];
  let last = await nextFrame();
  for (let i = 0; i < count; i++) {
    el.scrollTop = Math.max(0, el.scrollTop - step);
    const now = await nextFrame();
    frames.push(now - last);
    last = now;
  }
  return frames;
}

/** Counts what is mounted: DOM elements under the view, and the text blocks/segments rendered. */
function mounted(): { elements: number; segments: number; blocks: number } {
  const el = scroller;
  return {
    elements: el?.querySelectorAll("*").length ?? 0,
    segments: el?.querySelectorAll(".as-segment").length ?? 0,
    blocks: el?.querySelectorAll(".as-text__block").length ?? 0,
  };
}

(window as unknown as { __bench: unknown }).__bench = { run, scroll, mounted };
document.title = "ready";
