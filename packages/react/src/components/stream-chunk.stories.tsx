import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, userEvent, within } from "storybook/test";
import {
  chunk,
  HUGE_ARGS,
  LONG_TEXT,
  MARKDOWN_ANSWER,
  RTL_ARABIC,
  RTL_HEBREW,
  UNICODE_TEXT,
  UNSAFE_HTML,
} from "../docs/fixtures.js";
import { StreamMarkdown } from "../markdown/stream-markdown.js";
import { type ChunkComponentProps, type ChunkComponents, StreamChunk } from "./stream-chunk.js";

const meta = {
  title: "Components/StreamChunk",
  component: StreamChunk,
  args: { chunk: chunk({ type: "token", text: "Server-sent events are a good fit for streaming." }) },
  argTypes: { components: { control: false } },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 640 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof StreamChunk>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The `data-type` of the rendered chunk. */
async function expectType(canvasElement: HTMLElement, type: string) {
  await expect(canvasElement.querySelector(".as-chunk")).toHaveAttribute("data-type", type);
}

export const Token: Story = {
  play: async ({ canvasElement }) => {
    await expectType(canvasElement, "token");
    await expect(canvasElement).toHaveTextContent("Server-sent events are a good fit for streaming.");
  },
};

/** Long text wraps (`pre-wrap`, long words break anywhere). */
export const LongText: Story = {
  args: { chunk: chunk({ type: "token", text: `${LONG_TEXT}\n\n${"unbreakable".repeat(40)}` }) },
  play: async ({ canvasElement }) => {
    const root = canvasElement.querySelector(".as-chunk") as HTMLElement;
    await expect(root.scrollWidth).toBeLessThanOrEqual(root.clientWidth + 1);
  },
};

function MarkdownToken({ chunk: token }: ChunkComponentProps<"token">) {
  return <StreamMarkdown text={token.text} />;
}
const MARKDOWN_COMPONENTS: Partial<ChunkComponents> = { token: MarkdownToken };

/**
 * Tokens are plain text by default; a `components` override renders them as markdown (here with
 * `StreamMarkdown` from `@agentstream/react/markdown`).
 */
export const Markdown: Story = {
  args: { chunk: chunk({ type: "token", text: MARKDOWN_ANSWER }), components: MARKDOWN_COMPONENTS },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole("heading", { name: "Findings" })).toBeVisible();
    await expect(canvas.getByRole("link", { name: "the AG-UI protocol" })).toHaveAttribute(
      "rel",
      "noopener noreferrer nofollow",
    );
  },
};

export const Unicode: Story = {
  args: { chunk: chunk({ type: "token", text: UNICODE_TEXT }) },
  play: async ({ canvasElement }) => {
    await expect(canvasElement).toHaveTextContent("👩🏽‍💻");
    await expect(canvasElement).toHaveTextContent("流式传输的代理输出");
  },
};

/** Right-to-left text: set `dir` (or `dir="auto"`) on the chunk, as on any element. */
export const RightToLeft: Story = {
  render: () => (
    <div style={{ display: "grid", gap: "0.75rem" }}>
      <StreamChunk chunk={chunk({ type: "token", text: RTL_ARABIC })} dir="rtl" lang="ar" />
      <StreamChunk chunk={chunk({ type: "token", text: RTL_HEBREW }, 1)} dir="auto" lang="he" />
      <StreamChunk
        chunk={chunk(
          { type: "tool_call", id: "rtl-1", name: "search", args: { query: "وكيل الذكاء الاصطناعي" } },
          2,
        )}
        dir="rtl"
        lang="ar"
      />
    </div>
  ),
  play: async ({ canvasElement }) => {
    const [arabic] = canvasElement.querySelectorAll<HTMLElement>(".as-chunk");
    await expect(arabic).toHaveAttribute("dir", "rtl");
    await expect(getComputedStyle(arabic as HTMLElement).direction).toBe("rtl");
  },
};

/** A thinking delta: a collapsible "Thinking" note. */
export const Thinking: Story = {
  args: {
    chunk: chunk({
      type: "thinking",
      text: "The user asks for a comparison; I should check how both behave behind proxies.",
    }),
  },
  play: async ({ canvasElement }) => {
    await expectType(canvasElement, "thinking");
    const summary = within(canvasElement).getByText("Thinking");
    await userEvent.click(summary);
    await expect(within(canvasElement).getByText(/behind proxies/)).toBeVisible();
  },
};

export const Status: Story = {
  args: { chunk: chunk({ type: "status", status: "acting", iteration: 2, agent: "Researcher" }) },
  play: async ({ canvasElement }) => {
    await expectType(canvasElement, "status");
    await expect(canvasElement.querySelector(".as-status")).toHaveAttribute("data-state", "acting");
  },
};

export const Progress: Story = {
  args: {
    chunk: chunk({
      type: "progress",
      step: "Reading sources",
      current: 3,
      total: 5,
      message: "mdn.dev, ag-ui.com, rfc6455",
    }),
  },
  play: async ({ canvasElement }) => {
    const bar = within(canvasElement).getByRole("progressbar", { name: "Reading sources" });
    await expect(bar).toHaveAttribute("aria-valuenow", "3");
    await expect(bar).toHaveAttribute("aria-valuemax", "5");
  },
};

/** Progress without a total: an indeterminate bar. */
export const ProgressIndeterminate: Story = {
  args: { chunk: chunk({ type: "progress", step: "Crawling", current: 12 }) },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole("progressbar")).toHaveAttribute(
      "data-state",
      "indeterminate",
    );
  },
};

/** A tool call whose arguments are still streaming (a delta). */
export const ToolCallStreaming: Story = {
  args: {
    chunk: chunk({ type: "tool_call", id: "call-7", name: "web_search", argsDelta: '{"query":"sse vs' }),
  },
  play: async ({ canvasElement }) => {
    await expectType(canvasElement, "tool_call");
    await expect(within(canvasElement).getByRole("article")).toHaveAttribute("data-state", "streaming");
  },
};

export const ToolCall: Story = {
  args: {
    chunk: chunk({
      type: "tool_call",
      id: "call-7",
      name: "web_search",
      args: { query: "sse vs websockets", limit: 5 },
    }),
  },
};

/** Huge tool arguments start collapsed, with their size. */
export const ToolCallHugeArguments: Story = {
  args: { chunk: chunk({ type: "tool_call", id: "call-8", name: "summarize_incidents", args: HUGE_ARGS }) },
  play: async ({ canvasElement }) => {
    const details = canvasElement.querySelector("details") as HTMLDetailsElement;
    await expect(details.open).toBe(false);
    await expect(details).toHaveTextContent(/Arguments \(\d+(\.\d)? kB\)/);
  },
};

export const ToolResult: Story = {
  args: {
    chunk: chunk({
      type: "tool_result",
      id: "call-7",
      name: "web_search",
      success: true,
      result: { hits: 2, top: "Using server-sent events (MDN)" },
    }),
  },
  play: async ({ canvasElement }) => {
    await expectType(canvasElement, "tool_result");
    await expect(within(canvasElement).getByRole("article")).toHaveAttribute("data-state", "complete");
  },
};

export const ToolResultFailure: Story = {
  args: {
    chunk: chunk({
      type: "tool_result",
      id: "call-9",
      name: "fetch_page",
      success: false,
      result: "HTTP 404 Not Found",
    }),
  },
};

/** A payload full of HTML and `javascript:` URLs is shown as inert text: nothing is parsed or run. */
export const UnsafePayload: Story = {
  render: () => (
    <div style={{ display: "grid", gap: "0.75rem" }}>
      <StreamChunk chunk={chunk({ type: "token", text: UNSAFE_HTML })} />
      <StreamChunk
        chunk={chunk(
          { type: "tool_result", id: "x", name: "fetch_page", success: true, result: UNSAFE_HTML },
          1,
        )}
      />
      <StreamChunk chunk={chunk({ type: "result", output: UNSAFE_HTML, success: true }, 2)} />
      <StreamChunk chunk={chunk({ type: "error", message: UNSAFE_HTML, code: "<b>code</b>" }, 3)} />
    </div>
  ),
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector("img, script, iframe, a, b")).toBeNull();
    await expect(canvasElement.querySelector(".as-chunk")).toHaveTextContent('<script>alert("xss")</script>');
  },
};

export const Result: Story = {
  args: {
    chunk: chunk({ type: "result", success: true, duration: 8_400, output: "SSE is the better fit here." }),
  },
  play: async ({ canvasElement }) => {
    await expectType(canvasElement, "result");
    await expect(within(canvasElement).getByRole("group", { name: "Result" })).toHaveTextContent("in 8.4 s");
  },
};

export const ResultJson: Story = {
  args: {
    chunk: chunk({
      type: "result",
      success: true,
      duration: 2_100,
      output: { winner: "SSE", confidence: 0.82 },
    }),
  },
};

export const ErrorChunk: Story = {
  name: "Error",
  args: {
    chunk: chunk({
      type: "error",
      message: "The model provider is overloaded.",
      code: "provider_overloaded",
    }),
  },
  play: async ({ canvasElement }) => {
    await expectType(canvasElement, "error");
    await expect(within(canvasElement).getByRole("alert")).toHaveAttribute("data-state", "fatal");
  },
};

export const ErrorRecoverable: Story = {
  args: {
    chunk: chunk({
      type: "error",
      message: "Rate limited; retrying.",
      code: "rate_limited",
      recoverable: true,
    }),
  },
};

export const Interrupted: Story = {
  args: {
    chunk: chunk({ type: "interrupted", reason: "user", partial: "SSE is a good fit for streaming agent" }),
  },
  play: async ({ canvasElement }) => {
    await expectType(canvasElement, "interrupted");
    await expect(within(canvasElement).getByRole("note")).toHaveTextContent("stopped by the user");
  },
};

/** From a multi-agent stream: the chunk carries `data-agent`. */
export const FromAnAgent: Story = {
  args: { chunk: chunk({ type: "token", text: "Found 3 sources.", agent: "Researcher" }, 41) },
  play: async ({ canvasElement }) => {
    const root = canvasElement.querySelector(".as-chunk");
    await expect(root).toHaveAttribute("data-agent", "Researcher");
    await expect(root).toHaveAttribute("data-seq", "41");
  },
};
