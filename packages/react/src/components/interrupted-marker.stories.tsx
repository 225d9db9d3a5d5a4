import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, within } from "storybook/test";
import { InterruptedMarker } from "./interrupted-marker.js";

const meta = {
  title: "Components/InterruptedMarker",
  component: InterruptedMarker,
  args: { reason: "user" },
} satisfies Meta<typeof InterruptedMarker>;

export default meta;
type Story = StoryObj<typeof meta>;

export const StoppedByUser: Story = {
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole("note")).toHaveTextContent(
      "Interrupted — stopped by the user",
    );
  },
};

export const OtherReason: Story = {
  args: { reason: "the page was closed" },
};

export const WithPartialOutput: Story = {
  args: {
    reason: "timeout",
    partial: "SSE is a good fit for streaming agent output: the connection is a plain",
  },
};
