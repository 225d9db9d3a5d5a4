/**
 * Story fixtures (Storybook only; nothing here is exported by the package): chunks and run states
 * built with core's own `toChunk` and reducer, so every story shows a state the real store can
 * reach, and streams played into a real `RunStore`.
 */
import {
  type ChunkInput,
  foldChunks,
  type RunState,
  type RunStore,
  type StreamChunk,
  type ToolCallState,
  toChunk,
} from "@agentstream/core";
import { useEffect } from "react";

/** A fixed clock for deterministic stories (durations and metrics never change between runs). */
export const T0 = Date.UTC(2025, 5, 2, 9, 30, 0);

/** What a stream may say: a chunk without its envelope, or a string (a token), as `toChunk` takes. */
export type ChunkLike = ChunkInput | string;

/** Chunks with `seq` 0, 1, 2… and timestamps `step` ms apart, validated by core's `toChunk`. */
export function makeChunks(
  inputs: readonly ChunkLike[],
  { start = T0, step = 150 }: { start?: number; step?: number } = {},
): StreamChunk[] {
  return inputs.map((input, index) => toChunk(input, index, start + index * step));
}

/** One chunk, validated (`seq` 0 unless given). */
export function chunk(input: ChunkInput, seq = 0): StreamChunk {
  return toChunk(input, seq, T0);
}

/** The run state core's reducer folds from these chunks. */
export function runOf(inputs: readonly ChunkLike[], options?: { start?: number; step?: number }): RunState {
  return foldChunks(makeChunks(inputs, options));
}

/** A tool call for ToolCallCard stories. */
export function toolCall(overrides: Partial<ToolCallState> = {}): ToolCallState {
  return {
    id: "call-1",
    name: "web_search",
    argsText: '{"query":"server-sent events vs websockets","limit":5}',
    args: { query: "server-sent events vs websockets", limit: 5 },
    status: "called",
    startedAt: T0,
    ...overrides,
  };
}

/** Splits text into token-sized pieces (words with their trailing space). */
export function tokenize(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** Token chunk inputs for a text. */
export function tokens(text: string, agent?: string): ChunkInput[] {
  return tokenize(text).map((piece) =>
    agent ? { type: "token", text: piece, agent } : { type: "token", text: piece },
  );
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const id = setTimeout(done, ms);
    function done() {
      clearTimeout(id);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Plays a script of chunks into `store` on mount, `delay` ms apart (then waits `pause` ms and
 * starts over when `loop`). Stops when the component unmounts.
 */
export function usePlayedScript(
  store: RunStore,
  script: readonly ChunkInput[],
  { delay = 80, loop = false, pause = 1500 }: { delay?: number; loop?: boolean; pause?: number } = {},
): void {
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    (async () => {
      do {
        store.reset();
        for (let index = 0; index < script.length && !signal.aborted; index++) {
          store.push(toChunk(script[index], index));
          await sleep(delay, signal);
        }
        await sleep(pause, signal);
      } while (loop && !signal.aborted);
    })();
    return () => controller.abort();
  }, [store, script, delay, loop, pause]);
}

export const ANSWER = `Server-sent events (SSE) are a good fit for streaming agent output: the connection is a plain HTTP response, proxies understand it, and the browser reconnects by itself.

WebSockets are bidirectional, which helps when the client must talk back mid-run, but they need their own infrastructure and backpressure handling.

**Recommendation:** use SSE for the stream and a regular POST for stop requests.`;

export const MARKDOWN_ANSWER = `## Findings

1. **SSE** works through most proxies and reconnects by itself.
2. *WebSockets* need sticky sessions behind a load balancer.
3. Both support \`Authorization\` headers (SSE through \`fetch\`, not \`EventSource\`).

> Streams should be cancellable: the server must stop work when the client goes away.

\`\`\`ts
for await (const chunk of agent(input, { signal })) {
  res.write(encodeSseFrame(chunk));
}
\`\`\`

See [the AG-UI protocol](https://docs.ag-ui.com) for the event vocabulary.`;

export const LONG_TEXT = Array.from(
  { length: 14 },
  (_, i) =>
    `Paragraph ${i + 1}. Agents that work for minutes must show what they do while they do it: which step they are on, which tools they call with which arguments, what those tools return, and how far along the whole task is. A long answer keeps streaming below this line while the view stays pinned to the bottom, unless the reader scrolls up to read something earlier.`,
).join("\n\n");

export const UNICODE_TEXT =
  "Ünïcödé everywhere: emoji 👩🏽‍💻🧑‍🚀🏳️‍🌈 and flags 🇯🇵🇧🇷, CJK 流式传输的代理输出 / ストリーミング / 스트리밍, math ∑ₙ xⁿ⁄n! ≈ eˣ, combining marks e\u0301 a\u0308 n\u0303, Devanagari एजेंट, Thai เอเจนต์, and a zero-width joiner family 👨‍👩‍👧‍👦.";

export const RTL_ARABIC =
  "يقوم الوكيل الآن بالبحث في المصادر وتلخيص النتائج. تم العثور على ٣ مصادر حتى الآن، ويجري تحليل المصدر الرابع.";

export const RTL_HEBREW = "הסוכן מחפש כעת במקורות ומסכם את התוצאות. נמצאו 3 מקורות עד כה.";

/** Text that would run code if it were ever rendered as HTML; the kit shows it as inert text. */
export const UNSAFE_HTML =
  '<img src="x" onerror="alert(\'xss\')"><script>alert("xss")</script><a href="javascript:alert(1)">click me</a><iframe src="https://example.com"></iframe>';

/** A very large tool argument object (~12 kB of JSON). */
export const HUGE_ARGS: Record<string, unknown> = {
  query: "all incidents in the last 90 days",
  filters: { severity: ["critical", "high"], services: ["api", "worker", "scheduler", "billing"] },
  documents: Array.from({ length: 60 }, (_, i) => ({
    id: `doc-${String(i + 1).padStart(3, "0")}`,
    title: `Post-incident review #${i + 1}`,
    excerpt:
      "Latency rose after a deploy; the queue backed up and retries amplified the load on the database.",
    tags: ["latency", "deploy", i % 2 ? "database" : "queue"],
  })),
};
