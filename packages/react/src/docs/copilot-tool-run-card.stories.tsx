import { createRunStore } from "@agentstream/core";
import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, within } from "storybook/test";
import { ToolRunCard } from "../copilot/tool-run-card.js";
import { type ChunkLike, makeChunks } from "./fixtures.js";

/** A finished (or paused) run of an action's handler, folded by a real store. */
function storeOf(inputs: readonly ChunkLike[]) {
  const store = createRunStore();
  store.pushMany(makeChunks(inputs));
  return { store, run: store.getSnapshot() };
}

const ARGS = { files: ["orders.csv", "customers.csv", "refunds.csv"] };
const STARTED: ChunkLike[] = [
  { type: "status", status: "started" },
  { type: "thinking", text: "Checking 3 files for schema drift and bad rows." },
  { type: "progress", step: "Analyzing orders.csv", current: 0, total: 3 },
  "orders.csv: 2130 rows, 2 issues\n",
  { type: "progress", step: "Analyzing customers.csv", current: 1, total: 3 },
];

const executing = storeOf(STARTED);
const complete = storeOf([
  ...STARTED,
  "customers.csv: 2469 rows, no issues\n",
  { type: "progress", step: "Analyzing refunds.csv", current: 2, total: 3 },
  "refunds.csv: 2243 rows, 1 issue\n",
  { type: "progress", step: "All files analyzed", current: 3, total: 3 },
  { type: "result", success: true, output: { analyzed: 3, issues: 3 }, duration: 1_540 },
]);
const interrupted = storeOf([...STARTED, { type: "interrupted", reason: "stopped" }]);
const failed = storeOf([
  ...STARTED,
  { type: "error", message: "Cannot read customers.csv: permission denied", recoverable: false },
]);
const idle = storeOf([]);

const meta = {
  title: "Copilot/ToolRunCard",
  component: ToolRunCard,
  args: {
    name: "analyzeFiles",
    toolCallId: "call_1",
    status: "executing",
    args: ARGS,
    result: undefined,
    run: executing.run,
    store: executing.store,
  },
  argTypes: {
    status: { control: "inline-radio", options: ["inProgress", "executing", "complete"] },
    run: { control: false },
    store: { control: false },
  },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 600 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof ToolRunCard>;

export default meta;
type Story = StoryObj<typeof meta>;

function card(canvasElement: HTMLElement): HTMLElement {
  return within(canvasElement).getByRole("article", { name: /analyzeFiles/ });
}

/** `inProgress`: the agent is still streaming the arguments; the handler has not started. */
export const ArgumentsStreaming: Story = {
  args: { status: "inProgress", args: { files: ["orders.csv", "cust"] }, run: idle.run, store: idle.store },
  play: async ({ canvasElement }) => {
    await expect(card(canvasElement)).toHaveAttribute("data-state", "streaming");
  },
};

/** `executing`: the generator is running; progress, steps and its output so far. */
export const Executing: Story = {
  play: async ({ canvasElement }) => {
    await expect(card(canvasElement)).toHaveAttribute("data-state", "called");
    await expect(within(card(canvasElement)).getByRole("progressbar")).toHaveAttribute("aria-valuenow", "1");
  },
};

/** `complete`: the generator returned; its return value is the result. */
export const Complete: Story = {
  args: { status: "complete", run: complete.run, store: complete.store, result: '{"analyzed":3,"issues":3}' },
  play: async ({ canvasElement }) => {
    await expect(card(canvasElement)).toHaveAttribute("data-run-state", "completed");
    await expect(
      within(card(canvasElement)).getByRole("group", { name: "analyzeFiles result" }),
    ).toHaveTextContent('"analyzed": 3');
  },
};

/** Stopped while running: the output so far, then the interruption marker. */
export const Interrupted: Story = {
  args: {
    status: "complete",
    run: interrupted.run,
    store: interrupted.store,
    result: "Interrupted: the action was stopped before it finished.",
  },
  play: async ({ canvasElement }) => {
    await expect(card(canvasElement)).toHaveAttribute("data-run-state", "interrupted");
    await expect(within(card(canvasElement)).getByRole("note")).toHaveTextContent("Interrupted");
  },
};

/** The handler threw: the card is failed, with the error under the partial output. */
export const Failed: Story = {
  args: { status: "complete", run: failed.run, store: failed.store, result: "Error: permission denied" },
  play: async ({ canvasElement }) => {
    await expect(card(canvasElement)).toHaveAttribute("data-state", "failed");
    await expect(within(card(canvasElement)).getByRole("alert")).toHaveTextContent("permission denied");
  },
};

/** From chat history (the run is not in this page): CopilotKit's result string stands in. */
export const FromHistory: Story = {
  args: { status: "complete", run: idle.run, store: idle.store, result: { analyzed: 3, issues: 3 } },
};
