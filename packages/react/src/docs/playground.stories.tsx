import {
  type ChunkInput,
  coalesce,
  merge,
  type RunState,
  type StreamChunk,
  timeout,
  toChunk,
} from "@agentstream/core";
import type { Meta, StoryObj } from "@storybook/react-vite";
import { useCallback, useEffect, useRef, useState } from "react";
import { expect, userEvent, waitFor, within } from "storybook/test";
import { AgentStatus } from "../components/agent-status.js";
import { ProgressBar } from "../components/progress-bar.js";
import { StopButton } from "../components/stop-button.js";
import { StreamMetrics } from "../components/stream-metrics.js";
import { StreamView } from "../components/stream-view.js";
import { useRun } from "../hooks/use-run.js";
import { renderMarkdown } from "../markdown/render-markdown.js";
import { useRunStore } from "../store/use-run-store.js";
import { sleep, tokenize } from "./fixtures.js";

const AGENT_NAMES = ["Researcher", "Analyst", "Writer", "Critic"] as const;
const STEP_LABELS = ["Plan", "Search", "Read sources", "Compare", "Draft", "Review", "Polish", "Publish"];

const REASONING =
  "I will split the question into steps, search for sources for each, then write up what they agree on.";

function paragraph(agent: string, step: number): string {
  return `**${STEP_LABELS[(step - 1) % STEP_LABELS.length]}** (${agent}, step ${step}): server-sent events keep one HTTP response open and push each chunk as it is produced, so the reader sees progress instead of a spinner. Backpressure matters when the client is slower than the model. `;
}

/** What one simulated agent does. */
interface AgentOptions {
  agent: string;
  steps: number;
  tokensPerSecond: number;
  /** Throw at this step (1-based); 0 or absent: never. */
  errorAtStep?: number;
  signal: AbortSignal;
  onLifecycle: (event: string) => void;
}

/**
 * A simulated agent: a real `async function*` producing the chunk model (status, thinking,
 * progress, streamed tool calls, tool results, tokens, result). It waits on `signal`, and its
 * `finally` reports when the generator is closed, so Stop can be seen to reach it.
 */
async function* simulatedAgent({
  agent,
  steps,
  tokensPerSecond,
  errorAtStep,
  signal,
  onLifecycle,
}: AgentOptions): AsyncGenerator<StreamChunk> {
  let seq = 0;
  const emit = (input: ChunkInput): StreamChunk => toChunk(input, seq++, Date.now());
  const tick = () => sleep(1000 / tokensPerSecond, signal);
  const startedAt = Date.now();
  onLifecycle(`${agent}: generator started`);
  try {
    yield emit({ type: "status", status: "started" });
    yield emit({ type: "status", status: "thinking", iteration: 1 });
    for (const piece of tokenize(REASONING)) {
      await tick();
      yield emit({ type: "thinking", text: piece });
    }
    for (let step = 1; step <= steps; step++) {
      const label = STEP_LABELS[(step - 1) % STEP_LABELS.length] as string;
      yield emit({ type: "status", status: "acting", iteration: step });
      yield emit({ type: "progress", step: label, current: step - 1, total: steps });
      if (errorAtStep === step) {
        await tick();
        throw new Error(`${label} failed: the search service answered HTTP 503`);
      }
      const id = `${agent}-search-${step}`;
      const args = JSON.stringify({ query: `${label.toLowerCase()} streaming agent UIs`, page: step });
      const third = Math.ceil(args.length / 3);
      for (let offset = 0; offset < args.length; offset += third) {
        await tick();
        yield emit({
          type: "tool_call",
          id,
          name: "web_search",
          argsDelta: args.slice(offset, offset + third),
        });
      }
      await tick();
      yield emit({
        type: "tool_result",
        id,
        name: "web_search",
        success: true,
        result: { hits: 3 + step, top: `https://example.com/${label.toLowerCase().replace(/\s/g, "-")}` },
      });
      yield emit({ type: "status", status: "observing", iteration: step });
      for (const piece of tokenize(paragraph(agent, step))) {
        await tick();
        yield emit({ type: "token", text: piece });
      }
      yield emit({ type: "token", text: "\n\n" });
    }
    yield emit({ type: "progress", step: "Done", current: steps, total: steps });
    yield emit({
      type: "result",
      success: true,
      output: `${steps} steps done`,
      duration: Date.now() - startedAt,
    });
  } finally {
    onLifecycle(`${agent}: generator closed (finally ran)`);
  }
}

/** Overall progress: the run's, or the sum of the lanes' in a multi-agent run. */
function overallProgress(run: RunState): { value: number | null; max?: number; label: string } {
  if (run.lanes.length > 0) {
    let current = 0;
    let total = 0;
    for (const lane of run.lanes) {
      if (lane.progress?.total === undefined) continue;
      current += lane.progress.current;
      total += lane.progress.total;
    }
    if (total === 0) return { value: null, label: "Overall progress" };
    return { value: Math.min(current, total), max: total, label: "Overall progress" };
  }
  const progress = run.progress;
  if (!progress || progress.total === undefined || progress.total <= 0) {
    return { value: null, label: progress?.label ?? "Progress" };
  }
  return {
    value: Math.min(Math.max(progress.current, 0), progress.total),
    max: progress.total,
    label: progress.label,
  };
}

/** Props of the {@link LivePlayground}. */
interface PlaygroundProps {
  /** Tokens per second each agent produces (agents after the first are a little slower). */
  speed: number;
  /** `coalesce` `minChars`: text is merged into chunks of at least this many characters. */
  chunkSize: number;
  /** Agents run in parallel; more than one are interleaved with `merge` (one lane each). */
  agents: number;
  /** Steps per agent (each: a streamed tool call, its result and a paragraph). */
  steps: number;
  /** The first agent throws at this step (0: never). */
  errorAtStep: number;
  /** End the run when nothing arrives for this long (`timeout`), in ms. */
  idleTimeout: number;
  /** Render answer text as markdown. */
  markdown: boolean;
}

/**
 * A live run: simulated agents (async generators) piped through core's operators (`coalesce`,
 * `merge`, `timeout`) into a `RunStore`, rendered by StreamView, AgentStatus, ProgressBar and
 * StreamMetrics. Stop aborts an `AbortController`: the operators stop, the generators are closed
 * with `return()` (their `finally` runs) and the run ends as interrupted.
 */
function LivePlayground({
  speed,
  chunkSize,
  agents,
  steps,
  errorAtStep,
  idleTimeout,
  markdown,
}: PlaygroundProps) {
  const store = useRunStore();
  const run = useRun(store);
  const [running, setRunning] = useState(false);
  const [lifecycle, setLifecycle] = useState<string[]>([]);
  const controllerRef = useRef<AbortController | null>(null);
  // The latest run started: its generators may report (e.g. their `finally`) after it ended.
  const latestRunRef = useRef<AbortController | null>(null);

  useEffect(() => () => controllerRef.current?.abort(), []);

  const start = useCallback(async () => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    latestRunRef.current = controller;
    const { signal } = controller;
    const count = Math.max(1, Math.min(AGENT_NAMES.length, Math.round(agents)));
    const onLifecycle = (event: string) => {
      if (latestRunRef.current === controller) setLifecycle((events) => [...events, event]);
    };
    store.reset();
    setLifecycle([]);
    setRunning(true);

    const sources = AGENT_NAMES.slice(0, count).map((agent, index) => ({
      agent,
      stream: coalesce(
        simulatedAgent({
          agent,
          steps,
          tokensPerSecond: Math.max(1, speed * (1 - index * 0.15)),
          errorAtStep: index === 0 ? errorAtStep : 0,
          signal,
          onLifecycle,
        }),
        { minChars: Math.max(1, chunkSize), flushInterval: 60, signal },
      ),
    }));
    const combined =
      count === 1 ? (sources[0] as (typeof sources)[number]).stream : merge(sources, { signal });
    const stream = timeout(combined, idleTimeout, { signal });

    let seq = 0;
    const push = (input: ChunkInput) => store.push(toChunk(input, seq++));
    try {
      for await (const chunk of stream) {
        if (signal.aborted) break;
        store.push({ ...chunk, seq: seq++ });
      }
    } catch (error) {
      // A single agent's throw reaches us through coalesce (merge turns it into an error chunk).
      if (!signal.aborted) {
        push({
          type: "error",
          message: error instanceof Error ? error.message : String(error),
          code: "agent_failed",
        });
      }
    }
    if (signal.aborted) {
      const state = store.getSnapshot();
      if (!state.done) push({ type: "interrupted", reason: "user", partial: state.text || undefined });
    } else if (!store.getSnapshot().done) {
      // A merged run ends when every agent has: the orchestrator reports the outcome.
      const lanes = store.getSnapshot().lanes;
      const failed = lanes.filter((lane) => lane.status === "error").length;
      push({
        type: "result",
        success: failed === 0,
        output: `${lanes.length - failed} of ${lanes.length} agents finished`,
      });
    }
    if (controllerRef.current === controller) {
      controllerRef.current = null;
      setRunning(false);
    }
  }, [store, speed, chunkSize, agents, steps, errorAtStep, idleTimeout]);

  const stop = useCallback(() => controllerRef.current?.abort(), []);
  const progress = overallProgress(run);

  return (
    <div style={{ display: "grid", gap: "0.75rem", maxWidth: 900 }}>
      <div style={{ display: "flex", flexWrap: "wrap", alignItems: "center", gap: "0.75rem" }}>
        <button type="button" className="sb-as-button" onClick={start}>
          {running ? "Restart" : run.status === "idle" ? "Start" : "Run again"}
        </button>
        <StopButton running={running} onStop={stop} />
        <AgentStatus
          status={run.status}
          iteration={run.lanes.length > 0 ? undefined : run.iteration}
          showElapsed
        />
      </div>
      {run.status === "idle" ? null : <ProgressBar {...progress} />}
      <StreamView
        store={store}
        renderText={markdown ? renderMarkdown : undefined}
        style={{
          maxHeight: 420,
          padding: "0.5rem",
          border: "1px solid var(--as-color-border)",
          borderRadius: 8,
        }}
        emptyState={
          <p style={{ margin: 0 }}>Press Start to run {agents > 1 ? `${agents} agents` : "the agent"}.</p>
        }
      />
      <StreamMetrics metrics={run.metrics} />
      {lifecycle.length > 0 ? (
        <ul aria-label="Generator lifecycle" className="sb-as-lifecycle">
          {lifecycle.map((event, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: an append-only log.
            <li key={index}>{event}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

const meta = {
  title: "Live/Playground",
  component: LivePlayground,
  parameters: { layout: "padded" },
  args: {
    speed: 40,
    chunkSize: 24,
    agents: 1,
    steps: 3,
    errorAtStep: 0,
    idleTimeout: 10_000,
    markdown: true,
  },
  argTypes: {
    speed: {
      control: { type: "range", min: 2, max: 300, step: 1 },
      description: "Tokens per second per agent",
    },
    chunkSize: {
      control: { type: "range", min: 1, max: 200, step: 1 },
      description: "`coalesce` minChars: merged text chunk size (characters)",
    },
    agents: {
      control: { type: "range", min: 1, max: 4, step: 1 },
      description: "Agents, merged with `merge`",
    },
    steps: { control: { type: "range", min: 1, max: 8, step: 1 } },
    errorAtStep: {
      control: { type: "range", min: 0, max: 8, step: 1 },
      description: "The first agent throws at this step (0: never)",
    },
    idleTimeout: { control: { type: "number", min: 500, step: 500 }, description: "`timeout` in ms" },
    markdown: { control: "boolean" },
  },
} satisfies Meta<typeof LivePlayground>;

export default meta;
type Story = StoryObj<typeof meta>;

function textLength(canvasElement: HTMLElement): number {
  const log = within(canvasElement).getByRole("log", { name: "Agent output" });
  let length = 0;
  for (const segment of log.querySelectorAll('.as-segment[data-kind="text"]')) {
    length += segment.textContent?.length ?? 0;
  }
  return length;
}

/** Press Start, change the controls, press Stop: nothing runs until you do. */
export const Playground: Story = {};

/** Start → the text grows → Stop → the status says interrupted and the generator was closed. */
export const StartThenStop: Story = {
  play: async ({ canvasElement, step }) => {
    const canvas = within(canvasElement);
    await step("Start the run", async () => {
      await userEvent.click(canvas.getByRole("button", { name: "Start" }));
    });
    let before = 0;
    await step("Text streams in and grows", async () => {
      await waitFor(() => expect(textLength(canvasElement)).toBeGreaterThan(20), { timeout: 10_000 });
      before = textLength(canvasElement);
      await waitFor(() => expect(textLength(canvasElement)).toBeGreaterThan(before + 20), {
        timeout: 10_000,
      });
    });
    await step("Stop really stops it", async () => {
      await userEvent.click(canvas.getByRole("button", { name: "Stop" }));
      await waitFor(() =>
        expect(canvasElement.querySelector(".as-status")).toHaveAttribute("data-state", "interrupted"),
      );
      await expect(canvas.getByRole("status")).toHaveTextContent("Interrupted");
      await expect(canvas.getByRole("note")).toHaveTextContent("Interrupted");
      await expect(canvas.getByRole("button", { name: "Stop" })).toBeDisabled();
      await waitFor(() =>
        expect(canvas.getByRole("list", { name: "Generator lifecycle" })).toHaveTextContent(
          "Researcher: generator closed (finally ran)",
        ),
      );
      const stopped = textLength(canvasElement);
      await sleep(400);
      await expect(textLength(canvasElement)).toBe(stopped);
    });
  },
};

/** Three agents merged: one lane each; the run ends when all have. */
export const MultiAgent: Story = {
  args: { agents: 3, speed: 120, steps: 2 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Start" }));
    const log = canvas.getByRole("log", { name: "Agent output" });
    await waitFor(() => expect(within(log).getByRole("region", { name: "Writer" })).toBeVisible(), {
      timeout: 10_000,
    });
    await waitFor(() => expect(log).toHaveAttribute("data-state", "completed"), { timeout: 20_000 });
    await expect(within(log).getAllByRole("region", { name: /Researcher|Analyst|Writer/ })).toHaveLength(3);
    await expect(canvas.getByRole("progressbar", { name: "Overall progress" })).toHaveAttribute(
      "data-state",
      "complete",
    );
  },
};

/** The agent throws at step 2: the output so far stays, the error shows below it. */
export const ErrorAtStep: Story = {
  args: { errorAtStep: 2, speed: 150, steps: 4 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Start" }));
    const log = canvas.getByRole("log", { name: "Agent output" });
    const alert = await within(log).findByRole("alert", {}, { timeout: 15_000 });
    await expect(alert).toHaveTextContent("Search failed: the search service answered HTTP 503");
    await expect(log).toHaveAttribute("data-state", "error");
    const text = log.querySelector('.as-segment[data-kind="text"]') as Element;
    await expect(text.compareDocumentPosition(alert) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  },
};

/** In a merged run, one failing agent does not stop the others (merge turns its throw into an error chunk). */
export const MultiAgentWithFailure: Story = {
  args: { agents: 3, errorAtStep: 1, speed: 120, steps: 2 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Start" }));
    const log = canvas.getByRole("log", { name: "Agent output" });
    await waitFor(() => expect(log).toHaveAttribute("data-done"), { timeout: 20_000 });
    await expect(within(log).getByRole("region", { name: "Researcher" })).toHaveAttribute(
      "data-state",
      "error",
    );
    await expect(within(log).getByRole("region", { name: "Analyst" })).toHaveAttribute(
      "data-state",
      "completed",
    );
    await expect(within(log).getByRole("region", { name: "Writer" })).toHaveAttribute(
      "data-state",
      "completed",
    );
    await expect(log).toHaveTextContent("2 of 3 agents finished");
  },
};

/** Chunks of one character (no coalescing) at high speed: the view still commits once per frame. */
export const FastTinyChunks: Story = {
  args: { speed: 300, chunkSize: 1, steps: 4 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Start" }));
    const log = canvas.getByRole("log", { name: "Agent output" });
    await waitFor(() => expect(log).toHaveAttribute("data-state", "completed"), { timeout: 20_000 });
    const chunks = Number(
      canvasElement.querySelector('[data-metric="chunks"] dd')?.textContent?.replace(/,/g, ""),
    );
    await expect(chunks).toBeGreaterThan(200);
  },
};
