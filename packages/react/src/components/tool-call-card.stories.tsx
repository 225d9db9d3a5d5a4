import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, userEvent, within } from "storybook/test";
import { HUGE_ARGS, T0, toolCall, UNSAFE_HTML } from "../docs/fixtures.js";
import { ToolCallCard } from "./tool-call-card.js";

const meta = {
  title: "Components/ToolCallCard",
  component: ToolCallCard,
  args: { call: toolCall() },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 560 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof ToolCallCard>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Arguments still streaming: the partial JSON is parsed as far as it goes. */
export const Streaming: Story = {
  args: {
    call: toolCall({
      status: "streaming",
      argsText: '{"query":"server-sent events vs web',
      args: { query: "server-sent events vs web" },
    }),
  },
  play: async ({ canvasElement }) => {
    const card = within(canvasElement).getByRole("article", { name: /web_search/ });
    await expect(card).toHaveAttribute("data-state", "streaming");
    await expect(card).toHaveTextContent("Preparing");
  },
};

/** Arguments complete, the tool is running. */
export const Running: Story = {
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole("article")).toHaveTextContent("Running");
  },
};

export const Complete: Story = {
  args: {
    call: toolCall({
      status: "complete",
      success: true,
      endedAt: T0 + 1_340,
      result: [
        {
          title: "Using server-sent events",
          url: "https://developer.mozilla.org/docs/Web/API/Server-sent_events",
        },
        { title: "The WebSocket API", url: "https://developer.mozilla.org/docs/Web/API/WebSockets_API" },
      ],
    }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole("article")).toHaveAttribute("data-state", "complete");
    await expect(canvas.getByText("Done")).toBeVisible();
    await expect(canvas.getByText("1.3 s")).toBeVisible();
    await expect(canvas.getByRole("group", { name: "web_search result" })).toHaveTextContent(
      "Using server-sent events",
    );
  },
};

export const Failed: Story = {
  args: {
    call: toolCall({
      status: "failed",
      success: false,
      endedAt: T0 + 30_000,
      result: "TimeoutError: the search service did not answer within 30 s",
    }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole("article")).toHaveAttribute("data-state", "failed");
    await expect(canvas.getByRole("group", { name: "web_search error" })).toHaveTextContent("TimeoutError");
  },
};

/** Payloads over 2,000 characters start collapsed (with their size) and scroll when opened. */
export const HugeArguments: Story = {
  args: {
    call: toolCall({
      name: "summarize_incidents",
      argsText: JSON.stringify(HUGE_ARGS),
      args: HUGE_ARGS,
      status: "called",
    }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const details = canvasElement.querySelector("details") as HTMLDetailsElement;
    await expect(details.open).toBe(false);
    await expect(canvas.getByText(/kB/)).toBeVisible();
    await userEvent.click(canvas.getByText("Arguments"));
    await expect(details.open).toBe(true);
    const payload = canvas.getByRole("group", { name: "summarize_incidents arguments" });
    await expect(payload).toBeVisible();
    await expect(payload.scrollHeight).toBeGreaterThan(payload.clientHeight);
  },
};

/** HTML in arguments and results is shown as text, never parsed: no element, no script. */
export const UnsafePayload: Story = {
  args: {
    call: toolCall({
      name: "fetch_page",
      argsText: JSON.stringify({ url: "javascript:alert(1)", note: UNSAFE_HTML }),
      args: { url: "javascript:alert(1)", note: UNSAFE_HTML },
      status: "complete",
      success: true,
      endedAt: T0 + 220,
      result: UNSAFE_HTML,
    }),
  },
  play: async ({ canvasElement }) => {
    const card = within(canvasElement).getByRole("article");
    await expect(card.querySelector("img, script, iframe, a")).toBeNull();
    await expect(within(card).getByRole("group", { name: "fetch_page result" })).toHaveTextContent(
      '<script>alert("xss")</script>',
    );
  },
};

/** Custom content in the card body, between arguments and result. */
export const WithChildren: Story = {
  args: {
    call: toolCall({ status: "complete", success: true, endedAt: T0 + 900, result: { hits: 2 } }),
    children: <p style={{ margin: 0 }}>Found 2 relevant pages; reading them next.</p>,
  },
};

export const HiddenArguments: Story = {
  args: {
    hideArgs: true,
    call: toolCall({ status: "complete", success: true, endedAt: T0 + 420, result: "OK" }),
  },
};
