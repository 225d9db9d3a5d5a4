import type { ProgressStep } from "@agentstream/core";
import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, within } from "storybook/test";
import { T0 } from "../docs/fixtures.js";
import { StepProgress } from "./step-progress.js";

const LABELS = [
  "Plan the research",
  "Search the web",
  "Read 5 sources",
  "Compare findings",
  "Write the answer",
];

function steps(states: ProgressStep["state"][]): ProgressStep[] {
  let at = T0;
  return states.map((state, index) => {
    const step: ProgressStep = { label: LABELS[index] ?? `Step ${index + 1}`, state };
    if (state !== "pending") step.startedAt = at;
    if (state === "done" || state === "failed" || state === "stopped") {
      const duration = 800 + index * 1_450;
      step.endedAt = at + duration;
      step.duration = duration;
      at += duration;
    }
    return step;
  });
}

const meta = {
  title: "Components/StepProgress",
  component: StepProgress,
  args: { steps: steps(["done", "done", "active", "pending", "pending"]) },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 420 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof StepProgress>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Nothing started yet. */
export const AllPending: Story = {
  args: { steps: steps(["pending", "pending", "pending", "pending", "pending"]) },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getAllByRole("listitem")).toHaveLength(5);
    await expect(canvasElement.querySelector("[aria-current]")).toBeNull();
  },
};

/** The active step is `aria-current="step"`; finished steps show how long they took. */
export const InProgress: Story = {
  play: async ({ canvasElement }) => {
    const items = within(canvasElement).getAllByRole("listitem");
    await expect(items[2]).toHaveAttribute("aria-current", "step");
    await expect(items[2]).toHaveAttribute("data-state", "active");
    await expect(items[2]).toHaveTextContent("(In progress)");
    await expect(items[0]).toHaveTextContent("took 800 ms");
  },
};

export const AllDone: Story = {
  args: { steps: steps(["done", "done", "done", "done", "done"]) },
  play: async ({ canvasElement }) => {
    for (const item of within(canvasElement).getAllByRole("listitem")) {
      await expect(item).toHaveAttribute("data-state", "done");
    }
  },
};

/** A step failed; the ones after it never ran. */
export const Failed: Story = {
  args: { steps: steps(["done", "done", "failed", "pending", "pending"]) },
  play: async ({ canvasElement }) => {
    const items = within(canvasElement).getAllByRole("listitem");
    await expect(items[2]).toHaveAttribute("data-state", "failed");
    await expect(items[2]).toHaveTextContent("(Failed)");
  },
};

/** The run was stopped during a step: it reads "Stopped" with a neutral glyph, not as a failure. */
export const Stopped: Story = {
  args: { steps: steps(["done", "stopped"]) },
  play: async ({ canvasElement }) => {
    const items = within(canvasElement).getAllByRole("listitem");
    await expect(items[1]).toHaveAttribute("data-state", "stopped");
    await expect(items[1]).toHaveTextContent("(Stopped)");
    await expect(items[1]).not.toHaveTextContent("(Failed)");
  },
};

export const WithoutDurations: Story = {
  args: { showDurations: false },
};
