/**
 * The rendering benchmark's page (bundled by esbuild in production mode, React's profiling
 * build so that <Profiler> reports commits). `window.__bench.run(mode, tokens, batch)` mounts one
 * of two views, feeds it `tokens` tokens as fast as they come (`batch` tokens per macrotask, the
 * way SSE reads deliver them), waits until the last token is on screen, and reports commits,
 * animation frames, long tasks and the time taken.
 *
 * - `agentstream`: `<StreamView store={store} />`, each token `store.pushEvent(TEXT_MESSAGE_CONTENT)`.
 * - `naive`: the seed pattern, a list with `setMessages(prev => [...prev, msg])` per token.
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import { createRunStore } from "@agentstream/core";
import { StreamView } from "@agentstream/react";
import { memo, Profiler, type ReactNode, useEffect, useState } from "react";
import { createRoot } from "react-dom/profiling";
import { tokenText } from "../lib/workload.js";

interface Msg {
  type: "token";
  content: string;
}

/** What the naive pattern of seed 000 does: one array copy and one state update per chunk. */
function NaiveList({ feed }: { feed: (push: (m: Msg) => void) => void }) {
  const [messages, setMessages] = useState<Msg[]>([]);
  useEffect(() => {
    feed((msg) => setMessages((prev) => [...prev, msg]));
  }, [feed]);
  return (
    <div className="naive">
      {messages.map((m, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the seed's pattern
        <span key={i}>{m.content}</span>
      ))}
    </div>
  );
}

const Block = memo(function Block({ text }: { text: string }) {
  return <div className="as-text as-text-block">{text}</div>;
});

/**
 * An experiment for the proposed fix (not the kit's default): answer text split into blocks of
 * 10 lines, finished blocks memoized, so each frame changes only the tail block's text node.
 */
function renderBlocks(text: string): ReactNode {
  const lines = text.split(/(?<=\n)/);
  const blocks: ReactNode[] = [];
  for (let i = 0; i < lines.length; i += 10) {
    blocks.push(<Block key={i} text={lines.slice(i, i + 10).join("")} />);
  }
  return <>{blocks}</>;
}

export interface RenderResult {
  mode: string;
  tokens: number;
  commits: number;
  frames: number;
  longTasks: number;
  longTaskMs: number;
  maxLongTaskMs: number;
  /** Start (ms after the first token) and duration of the first long tasks. */
  longTaskList: [number, number][];
  /** From the first token to the last one on screen. */
  totalMs: number;
  /** From the first token to the last one fed. */
  feedMs: number;
  /** Tokens fed before the time limit (all of them unless `timedOut`). */
  fed: number;
  textOk: boolean;
  textLength: number;
  timedOut: boolean;
}

function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(0);
  });
}

async function run(
  mode: "agentstream" | "agentstream-blocks" | "naive",
  tokens: number,
  batch: number,
  timeoutMs: number,
): Promise<RenderResult> {
  const texts = Array.from({ length: tokens }, (_, i) => tokenText(i));
  const expected = texts.join("");
  const events: BaseEvent[] = texts.map(
    (delta) => ({ type: "TEXT_MESSAGE_CONTENT", messageId: "m1", delta }) as BaseEvent,
  );
  const msgs: Msg[] = texts.map((content) => ({ type: "token", content }));

  const host = document.getElementById("root") as HTMLElement;
  host.innerHTML = "";
  const container = document.createElement("div");
  container.style.cssText = "height: 600px; overflow: auto;";
  host.appendChild(container);

  let commits = 0;
  const onRender = () => {
    commits++;
  };
  let longTasks = 0;
  let longTaskMs = 0;
  let maxLongTaskMs = 0;
  let t0 = 0;
  let fed = 0;
  const longTaskList: [number, number][] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      longTasks++;
      longTaskMs += e.duration;
      maxLongTaskMs = Math.max(maxLongTaskMs, e.duration);
      if (longTaskList.length < 20) longTaskList.push([Math.round(e.startTime - t0), Math.round(e.duration)]);
    }
  });
  observer.observe({ type: "longtask" });

  const root = createRoot(container);
  let startFeed: () => Promise<void>;
  const textOnScreen = (): string =>
    mode === "naive"
      ? (container.querySelector(".naive")?.textContent ?? "")
      : (container.querySelector('[data-kind="text"]')?.textContent ?? "");

  if (mode !== "naive") {
    const store = createRunStore();
    store.pushEvent({ type: "RUN_STARTED", threadId: "t", runId: "r" } as BaseEvent);
    store.pushEvent({ type: "TEXT_MESSAGE_START", messageId: "m1", role: "assistant" } as BaseEvent);
    root.render(
      <Profiler id="agentstream" onRender={onRender}>
        <StreamView
          store={store}
          style={{ height: "100%" }}
          renderText={mode === "agentstream-blocks" ? renderBlocks : undefined}
        />
      </Profiler>,
    );
    startFeed = async () => {
      for (let i = 0; i < events.length; i += batch) {
        const end = Math.min(events.length, i + batch);
        for (let k = i; k < end; k++) store.pushEvent(events[k] as BaseEvent);
        fed = end;
        await macrotask();
        if (performance.now() - t0 > timeoutMs) break;
      }
    };
  } else {
    let push: ((m: Msg) => void) | undefined;
    const ready = new Promise<void>((resolve) => {
      const feed = (p: (m: Msg) => void) => {
        push = p;
        resolve();
      };
      root.render(
        <Profiler id="naive" onRender={onRender}>
          <NaiveList feed={feed} />
        </Profiler>,
      );
    });
    await ready;
    startFeed = async () => {
      for (let i = 0; i < msgs.length; i += batch) {
        const end = Math.min(msgs.length, i + batch);
        for (let k = i; k < end; k++) push?.(msgs[k] as Msg);
        fed = end;
        await macrotask();
        if (performance.now() - t0 > timeoutMs) break;
      }
    };
  }
  // Let the initial mount settle, then count from here.
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)));
  commits = 0;
  longTasks = 0;
  longTaskMs = 0;
  maxLongTaskMs = 0;
  longTaskList.length = 0;

  let frames = 0;
  let counting = true;
  const countFrame = () => {
    frames++;
    if (counting) requestAnimationFrame(countFrame);
  };
  requestAnimationFrame(countFrame);

  t0 = performance.now();
  await startFeed();
  const feedMs = performance.now() - t0;
  let timedOut = fed < tokens;
  // Wait until the last token is on screen.
  while (!timedOut && textOnScreen().length < expected.length) {
    if (performance.now() - t0 > timeoutMs) {
      timedOut = true;
      break;
    }
    await new Promise((r) => requestAnimationFrame(() => r(undefined)));
  }
  const totalMs = performance.now() - t0;
  counting = false;
  // Long-task entries are delivered asynchronously: give them a moment.
  await new Promise((r) => setTimeout(r, 100));
  observer.disconnect();
  const text = textOnScreen();
  root.unmount();
  return {
    mode,
    tokens,
    commits,
    frames,
    longTasks,
    longTaskMs,
    maxLongTaskMs,
    longTaskList,
    totalMs,
    feedMs,
    fed,
    textOk: text === expected,
    textLength: text.length,
    timedOut,
  };
}

(window as unknown as { __bench: unknown }).__bench = { run };
document.title = "ready";
