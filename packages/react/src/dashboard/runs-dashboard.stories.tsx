import { createRunStore, type RunsApiRun } from "@agentstream/core";
import type { Meta, StoryObj } from "@storybook/react-vite";
import { useMemo } from "react";
import { expect, userEvent, within } from "storybook/test";
import { StreamView } from "../components/stream-view.js";
import { makeChunks } from "../docs/fixtures.js";
import { emptyRunsFixture, runsFixture } from "../docs/runs-fixtures.js";
import { RunsDashboardView } from "./runs-dashboard.js";

/** A replay panel fed from fixture chunks (the live dashboard reads the thread's events route). */
function FixtureReplay({ run, onClose }: { run: RunsApiRun; onClose: () => void }) {
  const store = useMemo(() => {
    const s = createRunStore();
    s.pushMany(
      makeChunks([
        { type: "status", status: "thinking" },
        { type: "progress", step: "Search", current: 1, total: 2 },
        `Replaying ${run.agentId}: `,
        "SSE suits one-way agent output; ",
        "WebSockets suit chatty two-way protocols.",
        { type: "result", output: { tokens: run.tokens }, success: true, duration: run.durationMs },
      ]),
    );
    return s;
  }, [run]);
  return (
    <section className="as-dash-replay" aria-label={`Replay: ${run.agentId}`}>
      <header className="as-dash-replay__head">
        <h2>Replay: {run.agentId}</h2>
        <button type="button" className="as-dash-button" onClick={onClose}>
          Close
        </button>
      </header>
      <StreamView store={store} />
    </section>
  );
}

const meta = {
  title: "Dashboard/RunsDashboard",
  component: RunsDashboardView,
  parameters: { layout: "fullscreen" },
  args: {
    data: runsFixture(),
    status: "live",
    renderReplay: (run: RunsApiRun, close: () => void) => <FixtureReplay run={run} onClose={close} />,
  },
} satisfies Meta<typeof RunsDashboardView>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A busy hour: figures, six charts with their text alternatives, recent runs and connections. */
export const Overview: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getAllByRole("figure")).toHaveLength(6);
    await expect(canvas.getByRole("figure", { name: "Active streams" })).toBeInTheDocument();
    const runs = canvas.getByRole("table", { name: /Recent runs/ });
    await expect(within(runs).getAllByRole("row")).toHaveLength(15); // header + 14 runs
    await expect(canvasElement.querySelector('[aria-live="polite"]')).not.toBeNull();
    await expect(canvasElement.querySelector('[data-figure="Active streams"]')).toHaveTextContent("2");
  },
};

/** Keyboard: arrow keys move between runs, Enter opens the replay, its Close button ends it. */
export const Keyboard: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const buttons = canvas.getAllByRole("button", { name: /^Replay the run of/ });
    buttons[0]?.focus();
    await userEvent.keyboard("{ArrowDown}");
    await expect(buttons[1]).toHaveFocus();
    await userEvent.keyboard("{End}");
    await expect(buttons.at(-1)).toHaveFocus();
    await userEvent.keyboard("{Enter}");
    const replay = await canvas.findByRole("region", { name: /Replay:/ });
    await expect(replay).toHaveTextContent("WebSockets suit chatty");
    await userEvent.click(within(replay).getByRole("button", { name: "Close" }));
    await expect(canvas.queryByRole("region", { name: /Replay:/ })).toBeNull();
  },
};

/** The dark theme (the kit's dark tokens on the dashboard's root). */
export const Dark: Story = {
  args: { theme: "dark" },
  play: async ({ canvasElement }) => {
    const root = canvasElement.querySelector(".as-dash") as HTMLElement;
    await expect(root.dataset.theme).toBe("dark");
    await expect(getComputedStyle(root).backgroundColor).toBe("rgb(13, 17, 23)");
  },
};

/** A fresh server: no runs yet, flat charts. */
export const Empty: Story = {
  args: { data: emptyRunsFixture() },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText("No runs yet")).toBeInTheDocument();
    await expect(canvas.getByText("No connections yet")).toBeInTheDocument();
  },
};

/** Before the first snapshot. */
export const Loading: Story = {
  args: { data: undefined, status: "connecting" },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText("Loading…")).toBeInTheDocument();
  },
};

/** The feed refused (wrong token): the reason shows, nothing is retried. */
export const Unauthorized: Story = {
  args: { data: undefined, status: "error", error: "Invalid credentials" },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole("status")).toHaveTextContent(
      "Not connected (Invalid credentials)",
    );
  },
};
