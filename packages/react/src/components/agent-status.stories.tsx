import { RUN_STATUSES, type RunStatus } from "@agentstream/core";
import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, within } from "storybook/test";
import { AgentStatus } from "./agent-status.js";

const meta = {
  title: "Components/AgentStatus",
  component: AgentStatus,
  args: { status: "thinking" },
  argTypes: {
    status: { control: "select", options: RUN_STATUSES },
    iteration: { control: { type: "number", min: 1 } },
    since: { control: false },
  },
} satisfies Meta<typeof AgentStatus>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A story per status; the play function checks the state attribute and the spoken label. */
function statusStory(status: RunStatus, label: string, busy: boolean): Story {
  return {
    args: { status },
    play: async ({ canvasElement }) => {
      const root = canvasElement.querySelector<HTMLElement>(".as-status");
      await expect(root).toHaveAttribute("data-state", status);
      await expect(root?.hasAttribute("data-busy")).toBe(busy);
      await expect(within(canvasElement).getByRole("status")).toHaveTextContent(label);
    },
  };
}

export const Idle = statusStory("idle", "Idle", false);
export const Started = statusStory("started", "Started", true);
export const Thinking = statusStory("thinking", "Thinking", true);
export const Acting = statusStory("acting", "Acting", true);
export const Observing = statusStory("observing", "Observing", true);
export const Completed = statusStory("completed", "Completed", false);
export const Interrupted = statusStory("interrupted", "Interrupted", false);
export const ErrorStatus = { ...statusStory("error", "Error", false), name: "Error" } satisfies Story;

/** Every status side by side (only the first badge announces, as in a timeline). */
export const AllStatuses: Story = {
  render: (args) => (
    <div style={{ display: "flex", flexWrap: "wrap", gap: "0.75rem" }}>
      {RUN_STATUSES.map((status, index) => (
        <AgentStatus key={status} {...args} status={status} announce={index === 0} />
      ))}
    </div>
  ),
};

/** The loop turn: "· 3", read as ", iteration 3". */
export const WithIteration: Story = {
  args: { status: "acting", iteration: 3 },
  play: async ({ canvasElement }) => {
    await expect(canvasElement).toHaveTextContent("· 3");
    await expect(canvasElement).toHaveTextContent("iteration 3");
  },
};

/** Time spent in the current status, ticking once a second while the agent is busy. */
export const WithElapsedTime: Story = {
  args: { status: "thinking", showElapsed: true },
  render: (args) => <AgentStatus {...args} since={Date.now() - 65_000} />,
  play: async ({ canvasElement }) => {
    const elapsed = await within(canvasElement).findByText(/1 min/);
    await expect(elapsed).toHaveClass("as-status__elapsed");
  },
};

/**
 * The connection dropped and is being resumed (`useAgentStream`'s status `reconnecting`): the
 * badge says "Reconnecting" until events flow again.
 */
export const Reconnecting: Story = {
  args: { status: "observing", reconnecting: true },
  play: async ({ canvasElement }) => {
    const root = canvasElement.querySelector<HTMLElement>(".as-status");
    await expect(root).toHaveAttribute("data-reconnecting");
    await expect(root).toHaveAttribute("data-busy");
    await expect(within(canvasElement).getByRole("status")).toHaveTextContent("Reconnecting");
  },
};

/** Multi-agent views name the agent ("Researcher: Thinking"). */
export const WithAgentName: Story = {
  args: { status: "observing", agent: "Researcher", iteration: 2 },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole("status")).toHaveTextContent("Researcher: Observing");
  },
};

/** Labels can be replaced, e.g. for translation. */
export const TranslatedLabels: Story = {
  args: {
    status: "thinking",
    labels: { thinking: "Réflexion…", acting: "Action", completed: "Terminé" },
  },
};
