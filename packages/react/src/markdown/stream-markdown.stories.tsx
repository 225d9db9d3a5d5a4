import type { Meta, StoryObj } from "@storybook/react-vite";
import { useEffect, useState } from "react";
import { expect, waitFor, within } from "storybook/test";
import { MARKDOWN_ANSWER, RTL_ARABIC, UNICODE_TEXT, UNSAFE_HTML } from "../docs/fixtures.js";
import { StreamMarkdown } from "./stream-markdown.js";

const meta = {
  title: "Markdown/StreamMarkdown",
  component: StreamMarkdown,
  args: { text: MARKDOWN_ANSWER, streaming: false },
  argTypes: {
    text: { control: "text" },
    components: { control: false },
    remarkPlugins: { control: false },
  },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 680 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof StreamMarkdown>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Complete: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole("heading", { level: 2, name: "Findings" })).toBeVisible();
    await expect(canvas.getAllByRole("listitem")).toHaveLength(3);
    await expect(canvasElement.querySelector("pre code")).toHaveTextContent("for await");
  },
};

/**
 * The unfinished tail is healed while streaming: `**almost rea` renders bold (not as literal
 * asterisks that later flip to bold), so the text does not flicker between raw and formatted.
 */
export const StreamingTail: Story = {
  args: { streaming: true, text: "## Answer\n\nThe answer is **almost rea" },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector("strong")).toHaveTextContent("almost rea");
    await expect(canvasElement.querySelector(".as-markdown")).toHaveAttribute("data-streaming");
  },
};

/** An unclosed code fence at the tail is closed while streaming: the code renders as code at once. */
export const StreamingCodeFence: Story = {
  args: { streaming: true, text: "Here is the loop:\n\n```ts\nfor await (const chunk of agent(input" },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector("pre code")).toHaveTextContent(
      "for await (const chunk of agent(input",
    );
  },
};

/** Typed out token by token, as it arrives from a model. */
export const Typewriter: Story = {
  render: function Render(args) {
    const [length, setLength] = useState(0);
    useEffect(() => {
      const id = setInterval(() => setLength((n) => (n >= MARKDOWN_ANSWER.length ? 0 : n + 6)), 40);
      return () => clearInterval(id);
    }, []);
    return (
      <StreamMarkdown
        {...args}
        text={MARKDOWN_ANSWER.slice(0, length)}
        streaming={length < MARKDOWN_ANSWER.length}
      />
    );
  },
  play: async ({ canvasElement }) => {
    await waitFor(() =>
      expect(within(canvasElement).getByRole("heading", { name: "Findings" })).toBeVisible(),
    );
  },
};

/**
 * Sanitized: raw HTML is shown as text, `javascript:`, `data:` and `vbscript:` links are dropped
 * (their text stays), other links get `rel="noopener noreferrer nofollow"`.
 */
export const UnsafeInput: Story = {
  args: {
    text: `Raw HTML stays text: ${UNSAFE_HTML}\n\n[a javascript: link](javascript:alert(1)), [a disguised one](java\tscript:alert(1)), [a data: link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==), ![an image](javascript:alert(2)) and [a safe link](https://example.com).`,
  },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector("img, script, iframe")).toBeNull();
    const links = within(canvasElement).getAllByRole("link");
    await expect(links).toHaveLength(1);
    await expect(links[0]).toHaveAttribute("href", "https://example.com");
    await expect(canvasElement).toHaveTextContent("a javascript: link");
  },
};

export const UnicodeAndRightToLeft: Story = {
  render: (args) => (
    <div style={{ display: "grid", gap: "1rem" }}>
      <StreamMarkdown {...args} text={`**Unicode:** ${UNICODE_TEXT}`} />
      <StreamMarkdown {...args} text={`**ملخص:** ${RTL_ARABIC}`} dir="rtl" lang="ar" />
    </div>
  ),
};
