import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, within } from "storybook/test";
import { ResultBlock } from "./result-block.js";

const meta = {
  title: "Components/ResultBlock",
  component: ResultBlock,
  args: {
    result: {
      output:
        "SSE is the better fit: plain HTTP, automatic reconnection, and a POST is enough to stop a run.",
      success: true,
      duration: 8_400,
    },
  },
} satisfies Meta<typeof ResultBlock>;

export default meta;
type Story = StoryObj<typeof meta>;

export const TextOutput: Story = {
  play: async ({ canvasElement }) => {
    const result = within(canvasElement).getByRole("group", { name: "Result" });
    await expect(result).toHaveAttribute("data-state", "success");
    await expect(result).toHaveTextContent("in 8.4 s");
  },
};

/** Structured output is shown as indented JSON. */
export const JsonOutput: Story = {
  args: {
    result: {
      output: { winner: "SSE", reasons: ["plain HTTP", "reconnects by itself"], confidence: 0.82 },
      success: true,
      duration: 2_150,
    },
  },
};

export const Failure: Story = {
  args: {
    result: { output: "The agent gave up after 3 failed tool calls.", success: false, duration: 12_000 },
  },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole("group", { name: "Failed" })).toHaveAttribute(
      "data-state",
      "failure",
    );
  },
};

export const CustomTitle: Story = {
  args: { title: "Summary" },
};
