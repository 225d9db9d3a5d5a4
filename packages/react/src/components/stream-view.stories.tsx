import type { ChunkInput, RunState } from "@agentstream/core";
import type { Meta, StoryObj } from "@storybook/react-vite";
import type { ComponentType } from "react";
import { expect, userEvent, waitFor, within } from "storybook/test";
import {
  ANSWER,
  LONG_TEXT,
  MARKDOWN_ANSWER,
  runOf,
  tokens,
  UNSAFE_HTML,
  usePlayedScript,
} from "../docs/fixtures.js";
import type { RunSource } from "../hooks/types.js";
import { renderMarkdown } from "../markdown/render-markdown.js";
import { useRunStore } from "../store/use-run-store.js";
import { StreamView, type StreamViewProps } from "./stream-view.js";

/** StreamViewProps is a union (`run` or `store`); stories take both as optional args. */
type StreamViewArgs = Omit<StreamViewProps, "run" | "store"> & { run?: RunState; store?: RunSource };

const SEARCH_ARGS = { query: "server-sent events vs websockets for LLM streaming", limit: 5 };
const SEARCH_RESULT = [
  { title: "Using server-sent events", url: "https://developer.mozilla.org/docs/Web/API/Server-sent_events" },
  { title: "The WebSocket API", url: "https://developer.mozilla.org/docs/Web/API/WebSockets_API" },
];

/** The first part of a research run: status, reasoning, a tool call and its result. */
const OPENING: ChunkInput[] = [
  { type: "status", status: "started" },
  { type: "status", status: "thinking", iteration: 1 },
  { type: "thinking", text: "The user wants a comparison of SSE and WebSockets. " },
  { type: "thinking", text: "I should search for how both behave behind proxies and how they reconnect." },
  { type: "status", status: "acting", iteration: 1 },
  { type: "progress", step: "Searching the web", current: 0, total: 3 },
  { type: "tool_call", id: "call-1", name: "web_search", argsDelta: '{"query":"server-sent events vs ' },
  {
    type: "tool_call",
    id: "call-1",
    name: "web_search",
    argsDelta: 'websockets for LLM streaming","limit":5}',
  },
  { type: "tool_call", id: "call-1", name: "web_search", args: SEARCH_ARGS },
  { type: "tool_result", id: "call-1", name: "web_search", success: true, result: SEARCH_RESULT },
  { type: "status", status: "observing", iteration: 1 },
  { type: "progress", step: "Reading sources", current: 1, total: 3 },
  { type: "progress", step: "Writing the answer", current: 2, total: 3 },
];

const answerTokens = tokens(ANSWER);
const PARTIAL = answerTokens.slice(0, 18);

const FINISHED: ChunkInput[] = [
  ...OPENING,
  ...answerTokens,
  { type: "progress", step: "Done", current: 3, total: 3 },
  {
    type: "result",
    success: true,
    duration: 8_400,
    output: "Recommended SSE for the stream and a POST for stop.",
  },
];

const meta = {
  title: "Components/StreamView",
  component: StreamView as ComponentType<StreamViewArgs>,
  args: { run: runOf(FINISHED) },
  argTypes: {
    run: { control: false },
    store: { control: false },
    renderText: { control: false },
    components: { control: false },
    layout: { control: "inline-radio", options: ["auto", "timeline", "lanes"] },
  },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 760 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<StreamViewArgs>;

export default meta;
type Story = StoryObj<typeof meta>;

function getLog(canvasElement: HTMLElement): HTMLElement {
  return within(canvasElement).getByRole("log", { name: "Agent output" });
}

/** Nothing streamed yet: the `emptyState` shows. */
export const Empty: Story = {
  args: {
    run: runOf([]),
    emptyState: (
      <p style={{ margin: 0, color: "var(--as-color-fg-muted)" }}>
        Ask the agent something to see its work here.
      </p>
    ),
  },
  play: async ({ canvasElement }) => {
    const log = getLog(canvasElement);
    await expect(log).toHaveAttribute("data-state", "idle");
    await expect(log).not.toHaveAttribute("data-live");
    await expect(log).toHaveTextContent("Ask the agent something");
  },
};

/** Mid-run: the answer is streaming (the caret is on the last segment). */
export const Live: Story = {
  args: { run: runOf([...OPENING, ...PARTIAL]) },
  play: async ({ canvasElement }) => {
    const log = getLog(canvasElement);
    await expect(log).toHaveAttribute("data-live");
    const segments = log.querySelectorAll(".as-segment");
    const last = segments[segments.length - 1];
    await expect(last).toHaveAttribute("data-kind", "text");
    await expect(last).toHaveAttribute("data-streaming");
    await expect(within(log).getByRole("progressbar", { name: "Writing the answer" })).toHaveAttribute(
      "aria-valuenow",
      "2",
    );
  },
};

/** A real store fed chunk by chunk (replays in a loop), rendered through `useRun`. */
export const LiveFromStore: Story = {
  args: { run: undefined },
  render: function Render({ run: _run, store: _store, ...args }) {
    const store = useRunStore();
    usePlayedScript(store, FINISHED, { delay: 60, loop: true, pause: 2_500 });
    return <StreamView {...args} store={store} style={{ maxHeight: 420 }} />;
  },
  play: async ({ canvasElement }) => {
    const log = getLog(canvasElement);
    await waitFor(() => expect(log).toHaveTextContent("Server-sent events"), { timeout: 5_000 });
  },
};

export const Finished: Story = {
  play: async ({ canvasElement }) => {
    const log = getLog(canvasElement);
    await expect(log).toHaveAttribute("data-done");
    await expect(log).toHaveAttribute("data-state", "completed");
    await expect(log.querySelector("[data-streaming]")).toBeNull();
    await expect(within(log).getByRole("group", { name: "Result" })).toHaveTextContent("in 8.4 s");
    await expect(within(log).getByRole("article", { name: /web_search/ })).toHaveAttribute(
      "data-state",
      "complete",
    );
  },
};

/** The run failed while answering: what was produced stays, with the error below it. */
export const FailedWithPartialOutput: Story = {
  args: {
    run: runOf([
      ...OPENING,
      ...PARTIAL,
      { type: "error", message: "The model provider closed the connection.", code: "upstream_closed" },
    ]),
  },
  play: async ({ canvasElement }) => {
    const log = getLog(canvasElement);
    await expect(log).toHaveAttribute("data-state", "error");
    const alert = within(log).getByRole("alert");
    await expect(alert).toHaveTextContent("The model provider closed the connection.");
    const partial = within(log).getByText(/^Server-sent events \(SSE\) are a good fit/);
    // The partial output is above the error, in document order.
    await expect(partial.compareDocumentPosition(alert) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    await expect(log.querySelector("[data-streaming]")).toBeNull();
  },
};

/** Stopped by the user: the output so far, then the marker. */
export const Interrupted: Story = {
  args: { run: runOf([...OPENING, ...PARTIAL, { type: "interrupted", reason: "user" }]) },
  play: async ({ canvasElement }) => {
    const log = getLog(canvasElement);
    await expect(log).toHaveAttribute("data-state", "interrupted");
    await expect(within(log).getByRole("note")).toHaveTextContent("Interrupted — stopped by the user");
  },
};

const AGENTS = ["Researcher", "Critic", "Writer"] as const;
const MULTI_AGENT: ChunkInput[] = [
  { type: "status", status: "started" },
  { type: "status", status: "thinking", agent: "Researcher" },
  { type: "status", status: "thinking", agent: "Critic" },
  { type: "thinking", text: "Which transports do the big providers use?", agent: "Researcher" },
  { type: "status", status: "acting", agent: "Researcher" },
  {
    type: "tool_call",
    id: "r-1",
    name: "web_search",
    args: { query: "LLM provider streaming transport" },
    agent: "Researcher",
  },
  { type: "progress", step: "Collecting claims", current: 1, total: 2, agent: "Critic" },
  {
    type: "tool_result",
    id: "r-1",
    name: "web_search",
    success: true,
    result: { hits: 12 },
    agent: "Researcher",
  },
  ...tokens("Most providers stream over SSE. ", "Researcher"),
  { type: "status", status: "thinking", agent: "Writer" },
  ...tokens("Claim 2 needs a source. ", "Critic"),
  { type: "progress", step: "Checking sources", current: 2, total: 2, agent: "Critic" },
  ...tokens("Drafting the summary: ", "Writer"),
  { type: "result", success: true, output: "3 sources", agent: "Researcher" },
  { type: "error", message: "The fact-check service timed out.", code: "timeout", agent: "Critic" },
  ...tokens("SSE is the pragmatic choice.", "Writer"),
];

/** Several agents merged into one stream: one lane each, with its own status. */
export const MultiAgent: Story = {
  args: { run: runOf(MULTI_AGENT) },
  play: async ({ canvasElement }) => {
    const log = getLog(canvasElement);
    await expect(log).toHaveAttribute("data-layout", "lanes");
    for (const agent of AGENTS) {
      await expect(within(log).getByRole("region", { name: agent })).toBeVisible();
    }
    await expect(within(log).getByRole("region", { name: "Researcher" })).toHaveAttribute(
      "data-state",
      "completed",
    );
    await expect(within(log).getByRole("region", { name: "Critic" })).toHaveAttribute("data-state", "error");
  },
};

/**
 * The same tool called twice in one run (common in agent loops): payloads are named groups, not
 * landmarks, so repeated names are fine for assistive technology (axe `landmark-unique`).
 */
export const RepeatedToolCalls: Story = {
  args: {
    run: runOf([
      ...OPENING,
      {
        type: "tool_call",
        id: "call-2",
        name: "web_search",
        args: { query: "sse reconnection last-event-id" },
      },
      { type: "tool_result", id: "call-2", name: "web_search", success: true, result: { hits: 4 } },
      ...answerTokens,
      { type: "result", success: true, output: "done" },
    ]),
  },
  play: async ({ canvasElement }) => {
    await expect(within(getLog(canvasElement)).getAllByRole("article", { name: /web_search/ })).toHaveLength(
      2,
    );
  },
};

/** The same multi-agent run as one merged timeline. */
export const MultiAgentTimeline: Story = {
  args: { run: runOf(MULTI_AGENT), layout: "timeline" },
};

/** Answer text rendered as streaming-safe markdown (`renderText={renderMarkdown}`). */
export const WithMarkdown: Story = {
  args: {
    renderText: renderMarkdown,
    run: runOf([...OPENING, ...tokens(MARKDOWN_ANSWER), { type: "result", success: true, output: "Done" }]),
  },
  play: async ({ canvasElement }) => {
    const log = getLog(canvasElement);
    await expect(within(log).getByRole("heading", { name: "Findings" })).toBeVisible();
    await expect(within(log).getByRole("list")).toBeVisible();
  },
};

/** Raw HTML in streamed text, even through the markdown renderer, stays inert text. */
export const UnsafeText: Story = {
  args: {
    renderText: renderMarkdown,
    run: runOf([
      ...tokens(`Here is the page: ${UNSAFE_HTML} [link](javascript:alert(1))`),
      { type: "result", success: true, output: "ok" },
    ]),
  },
  play: async ({ canvasElement }) => {
    const log = getLog(canvasElement);
    await expect(log.querySelector("img, script, iframe, a")).toBeNull();
  },
};

/**
 * A long run in a view with a max height: it sticks to the bottom while content grows; scrolling
 * up lets go and shows "Jump to latest", which scrolls back.
 */
export const LongStream: Story = {
  args: {
    run: runOf([...OPENING, ...tokens(LONG_TEXT)]),
    style: { maxHeight: 320 },
  },
  play: async ({ canvasElement }) => {
    const log = getLog(canvasElement);
    const atBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight <= 32;
    await waitFor(() => expect(atBottom()).toBe(true));
    log.scrollTop = 0;
    log.dispatchEvent(new Event("scroll"));
    const jump = await within(log).findByRole("button", { name: /Jump to latest/ });
    await userEvent.click(jump);
    await waitFor(() => expect(atBottom()).toBe(true));
    await waitFor(() => expect(within(log).queryByRole("button", { name: /Jump to latest/ })).toBeNull());
  },
};
