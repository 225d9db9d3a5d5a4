import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, within } from "storybook/test";
import { StreamMetrics } from "./stream-metrics.js";

const meta = {
  title: "Components/StreamMetrics",
  component: StreamMetrics,
  args: {
    metrics: {
      chunkCount: 184,
      tokenCount: 171,
      timeToFirstToken: 412,
      tokensPerSecond: 38.64,
      duration: 5_020,
    },
  },
} satisfies Meta<typeof StreamMetrics>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Before the first chunk: every value is a placeholder. */
export const Empty: Story = {
  args: { metrics: { chunkCount: 0, tokenCount: 0 } },
  play: async ({ canvasElement }) => {
    const values = canvasElement.querySelectorAll("dd");
    await expect(values).toHaveLength(4);
    await expect(canvasElement.querySelector('[data-metric="ttft"] dd')).toHaveTextContent("—");
    await expect(canvasElement.querySelector('[data-metric="chunks"] dd')).toHaveTextContent("0");
  },
};

/** Mid-run: time to first token known, throughput updating. */
export const Live: Story = {
  args: {
    metrics: {
      chunkCount: 57,
      tokenCount: 52,
      timeToFirstToken: 412,
      tokensPerSecond: 31.2,
      duration: 1_870,
    },
  },
};

export const Finished: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText("Time to first token")).toBeVisible();
    await expect(canvasElement.querySelector('[data-metric="ttft"] dd')).toHaveTextContent("412 ms");
    await expect(canvasElement.querySelector('[data-metric="tps"] dd')).toHaveTextContent("38.6");
    await expect(canvasElement.querySelector('[data-metric="chunks"] dd')).toHaveTextContent("184");
    await expect(canvasElement.querySelector('[data-metric="duration"] dd')).toHaveTextContent("5 s");
  },
};

export const CustomPlaceholder: Story = {
  args: { metrics: { chunkCount: 3, tokenCount: 0 }, placeholder: "n/a" },
};

/** A model run: the provider's token usage (summed over the model's steps), cached input included. */
export const WithModelUsage: Story = {
  args: {
    metrics: {
      chunkCount: 96,
      tokenCount: 80,
      timeToFirstToken: 640,
      tokensPerSecond: 42.1,
      duration: 2_480,
      usage: { inputTokens: 1_830, outputTokens: 212, cachedInputTokens: 1_024 },
    },
  },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelectorAll("dd")).toHaveLength(6);
    await expect(canvasElement.querySelector('[data-metric="input-tokens"] dd')?.textContent).toMatch(
      /^1.830 \(1.024 cached\)$/,
    );
    await expect(canvasElement.querySelector('[data-metric="output-tokens"] dd')).toHaveTextContent("212");
  },
};
