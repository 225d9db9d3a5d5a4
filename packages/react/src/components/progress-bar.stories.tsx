import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, within } from "storybook/test";
import { ProgressBar } from "./progress-bar.js";

const meta = {
  title: "Components/ProgressBar",
  component: ProgressBar,
  args: { label: "Indexing documents", value: 42, max: 100 },
  argTypes: {
    // A number control: the range control cannot show `null` (indeterminate).
    value: { control: { type: "number", min: 0, step: 1 } },
    max: { control: { type: "number", min: 1 } },
    getValueLabel: { control: false },
  },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 480 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof ProgressBar>;

export default meta;
type Story = StoryObj<typeof meta>;

/** No value: the amount of work is unknown. No `aria-valuenow`; the indicator sweeps. */
export const Indeterminate: Story = {
  args: { value: null, label: "Connecting to the agent" },
  play: async ({ canvasElement }) => {
    const bar = within(canvasElement).getByRole("progressbar", { name: "Connecting to the agent" });
    await expect(bar).toHaveAttribute("data-state", "indeterminate");
    await expect(bar).not.toHaveAttribute("aria-valuenow");
    await expect(bar).not.toHaveAttribute("aria-valuetext");
    await expect(bar).toHaveAttribute("aria-valuemin", "0");
    await expect(bar).toHaveAttribute("aria-valuemax", "100");
  },
};

/** Started, nothing done yet. */
export const Empty: Story = {
  args: { value: 0 },
  play: async ({ canvasElement }) => {
    const bar = within(canvasElement).getByRole("progressbar", { name: "Indexing documents" });
    await expect(bar).toHaveAttribute("data-state", "loading");
    await expect(bar).toHaveAttribute("aria-valuenow", "0");
    await expect(bar).toHaveAttribute("aria-valuetext", "0%");
  },
};

export const Partial: Story = {
  args: { value: 42 },
  play: async ({ canvasElement }) => {
    const bar = within(canvasElement).getByRole("progressbar", { name: "Indexing documents" });
    await expect(bar).toHaveAttribute("data-state", "loading");
    await expect(bar).toHaveAttribute("aria-valuenow", "42");
    await expect(bar).toHaveAttribute("aria-valuemin", "0");
    await expect(bar).toHaveAttribute("aria-valuemax", "100");
    await expect(bar).toHaveAttribute("aria-valuetext", "42%");
    await expect(bar).toHaveAttribute("data-value", "42");
    await expect(bar).toHaveAttribute("data-max", "100");
  },
};

export const Complete: Story = {
  args: { value: 100, label: "Indexed 1,204 documents" },
  play: async ({ canvasElement }) => {
    const bar = within(canvasElement).getByRole("progressbar");
    await expect(bar).toHaveAttribute("data-state", "complete");
    await expect(bar).toHaveAttribute("aria-valuenow", "100");
    await expect(bar).toHaveAttribute("aria-valuetext", "100%");
  },
};

/**
 * The run failed at step 3 of 7: with the run's `status` (`error`) the bar stays where the work
 * stopped and says so: `data-state="failed"`, "3 of 7, failed". The failed step shows in
 * {@link StepProgress} and the error in an `ErrorBlock`.
 */
export const Failed: Story = {
  args: { value: 3, max: 7, label: "Migrating tables", status: "error" },
  play: async ({ canvasElement }) => {
    const bar = within(canvasElement).getByRole("progressbar", { name: "Migrating tables" });
    await expect(bar).toHaveAttribute("data-state", "failed");
    await expect(bar).toHaveAttribute("aria-valuenow", "3");
    await expect(bar).toHaveAttribute("aria-valuemax", "7");
    await expect(bar).toHaveAttribute("aria-valuetext", "3 of 7, failed");
  },
};

/** Stopped by the user at step 2 of 3 (`status="interrupted"`): frozen where it was, neutral. */
export const Stopped: Story = {
  args: { value: 1, max: 3, label: "Write", status: "interrupted" },
  play: async ({ canvasElement }) => {
    const bar = within(canvasElement).getByRole("progressbar", { name: "Write" });
    await expect(bar).toHaveAttribute("data-state", "stopped");
    await expect(bar).toHaveAttribute("aria-valuenow", "1");
    await expect(bar).toHaveAttribute("aria-valuetext", "1 of 3, stopped");
  },
};

/**
 * A run that reported no total completed (`status="completed"`): the indeterminate bar does not
 * sweep on, it is full.
 */
export const CompletedWithoutTotal: Story = {
  args: { value: null, label: "Searching the knowledge base", status: "completed", showValue: false },
  play: async ({ canvasElement }) => {
    const bar = within(canvasElement).getByRole("progressbar");
    await expect(bar).toHaveAttribute("data-state", "complete");
    await expect(bar).toHaveAttribute("aria-valuenow", "100");
  },
};

/** With `max` other than 100 the value reads "3 of 7". */
export const StepsOfTotal: Story = {
  args: { value: 3, max: 7, label: "Step 4: summarizing" },
  play: async ({ canvasElement }) => {
    const bar = within(canvasElement).getByRole("progressbar");
    await expect(bar).toHaveAttribute("aria-valuetext", "3 of 7");
    await expect(canvasElement).toHaveTextContent("3 of 7");
  },
};

/** The label stays the accessible name when hidden. */
export const HiddenLabel: Story = {
  args: { value: 64, hideLabel: true, showValue: false, label: "Upload" },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole("progressbar", { name: "Upload" })).toBeVisible();
    await expect(canvasElement.querySelector(".as-progress__header")).toBeNull();
  },
};
