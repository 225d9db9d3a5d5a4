import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, userEvent, within } from "storybook/test";
import { ThinkingIndicator } from "./thinking-indicator.js";

const REASONING =
  "The user wants a comparison. SSE is one-way over plain HTTP, so proxies and auth work as usual. WebSockets are two-way but need sticky sessions. The stop button only needs a POST, so SSE is enough here. I should mention reconnection and backpressure.";

const meta = {
  title: "Components/ThinkingIndicator",
  component: ThinkingIndicator,
  args: { active: false, text: REASONING, duration: 3_200 },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 560 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof ThinkingIndicator>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Thinking, reasoning not shown (a single line with animated dots). */
export const Active: Story = {
  args: { active: true, text: undefined, duration: undefined },
  play: async ({ canvasElement }) => {
    const root = canvasElement.querySelector(".as-thinking");
    await expect(root).toHaveAttribute("data-state", "active");
    await expect(root).toHaveTextContent("Thinking…");
  },
};

/** Thinking, with the reasoning streaming into a collapsible section. */
export const ActiveWithReasoning: Story = {
  args: { active: true, duration: undefined, text: REASONING.slice(0, 90) },
};

/** Done: "Thought for 3 seconds"; the summary toggles the reasoning open and closed. */
export const Collapsible: Story = {
  play: async ({ canvasElement }) => {
    const details = canvasElement.querySelector("details") as HTMLDetailsElement;
    const summary = within(canvasElement).getByText("Thought for 3 seconds");
    await expect(details.open).toBe(false);
    await expect(within(canvasElement).getByText(/The user wants a comparison/)).not.toBeVisible();
    await userEvent.click(summary);
    await expect(details.open).toBe(true);
    await expect(within(canvasElement).getByText(/The user wants a comparison/)).toBeVisible();
    await userEvent.click(summary);
    await expect(details.open).toBe(false);
  },
};

export const DefaultOpen: Story = {
  args: { defaultOpen: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText(/The user wants a comparison/)).toBeVisible();
  },
};

/** Done, without reasoning text and without a known duration. */
export const DoneWithoutText: Story = {
  args: { text: undefined, duration: undefined },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector(".as-thinking")).toHaveTextContent("Thought");
  },
};

/** Labels are props (e.g. for translation). */
export const CustomLabels: Story = {
  args: { doneLabel: (duration) => `Réfléchi pendant ${duration}`, activeLabel: "Réflexion…" },
};
