import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fn, userEvent, within } from "storybook/test";
import { StopButton } from "./stop-button.js";

const meta = {
  title: "Components/StopButton",
  component: StopButton,
  args: { running: true, onStop: fn() },
} satisfies Meta<typeof StopButton>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A run is in progress: clicking calls `onStop`, and so do Enter and Space. */
export const Running: Story = {
  play: async ({ args, canvasElement }) => {
    const button = within(canvasElement).getByRole("button", { name: "Stop" });
    await expect(button).toBeEnabled();
    await expect(button).toHaveAttribute("data-state", "running");
    await userEvent.click(button);
    await expect(args.onStop).toHaveBeenCalledTimes(1);
    button.focus();
    await userEvent.keyboard("{Enter}");
    await userEvent.keyboard(" ");
    await expect(args.onStop).toHaveBeenCalledTimes(3);
  },
};

/** Nothing runs: natively disabled, clicks do nothing. */
export const Idle: Story = {
  args: { running: false },
  play: async ({ args, canvasElement }) => {
    const button = within(canvasElement).getByRole("button", { name: "Stop" });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAttribute("data-state", "idle");
    await userEvent.click(button, { pointerEventsCheck: 0 });
    await expect(args.onStop).not.toHaveBeenCalled();
  },
};

export const CustomLabel: Story = {
  args: { label: "Stop generating" },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole("button", { name: "Stop generating" })).toBeEnabled();
  },
};
