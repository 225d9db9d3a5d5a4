import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, within } from "storybook/test";
import {
  ProgressActivityView,
  progressActivitySchema,
  StatusActivityView,
  statusActivitySchema,
} from "../copilot/activity-renderers.js";
import { T0 } from "./fixtures.js";

/**
 * The rows an AgentStream server's progress and status activities become in `<CopilotChat>`
 * (through `agentStreamActivityRenderers`). Contents are validated with the same schemas the
 * renderers use.
 */
const meta = {
  title: "Copilot/Activity messages",
  component: ProgressActivityView,
  args: {
    content: progressActivitySchema.parse({
      step: "Reading sources",
      current: 2,
      total: 4,
      message: "mdn.dev, ag-ui.com",
      steps: [
        { label: "Plan", state: "done", startedAt: T0, endedAt: T0 + 900, duration: 900 },
        { label: "Search", state: "done", startedAt: T0 + 900, endedAt: T0 + 3_100, duration: 2_200 },
        { label: "Reading sources", state: "active", startedAt: T0 + 3_100 },
        { label: "Write", state: "pending" },
      ],
    }),
  },
} satisfies Meta<typeof ProgressActivityView>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Progress: Story = {
  play: async ({ canvasElement }) => {
    const bar = within(canvasElement).getByRole("progressbar", { name: "Reading sources" });
    await expect(bar).toHaveAttribute("aria-valuenow", "2");
    await expect(within(canvasElement).getAllByRole("listitem")).toHaveLength(4);
  },
};

/** Without a total: indeterminate. */
export const ProgressIndeterminate: Story = {
  args: { content: progressActivitySchema.parse({ step: "Crawling the site", current: 37 }) },
};

/** From one agent of several: the label names it. */
export const ProgressOfAnAgent: Story = {
  args: {
    content: progressActivitySchema.parse({ step: "Fact-checking", current: 1, total: 3, agent: "Critic" }),
  },
  play: async ({ canvasElement }) => {
    await expect(
      within(canvasElement).getByRole("progressbar", { name: "Critic: Fact-checking" }),
    ).toBeVisible();
  },
};

/** A status activity: an AgentStatus badge. */
export const Status: Story = {
  render: () => (
    <StatusActivityView
      content={statusActivitySchema.parse({ status: "observing", iteration: 2, agent: "Researcher" })}
    />
  ),
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole("status")).toHaveTextContent("Researcher: Observing");
  },
};

/** The status row once the run ended: the server's last snapshot says how (here, Stop). */
export const StatusAfterStop: Story = {
  render: () => (
    <StatusActivityView
      content={statusActivitySchema.parse({ status: "interrupted", iteration: 2, final: true })}
    />
  ),
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole("status")).toHaveTextContent("Interrupted");
    await expect(canvasElement.querySelector("[data-activity]")).toHaveAttribute("data-final");
  },
};
