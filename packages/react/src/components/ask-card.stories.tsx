import type { Meta, StoryObj } from "@storybook/react-vite";
import { useState } from "react";
import { expect, fn, userEvent, waitFor, within } from "storybook/test";
import { AskCard, type AskCardQuestion } from "./ask-card.js";

const publish: AskCardQuestion = {
  id: "ask_1",
  prompt: "Publish 3 sections?",
  choices: [
    { label: "Publish", value: "Publish" },
    { label: "Cancel", value: "Cancel" },
  ],
  state: "open",
};

const meta = {
  title: "Components/AskCard",
  component: AskCard,
  args: { ask: publish, onAnswer: fn() },
} satisfies Meta<typeof AskCard>;

export default meta;
type Story = StoryObj<typeof meta>;

/** An open question with choices: a group named by the prompt, one button per choice, focus on the card. */
export const Choices: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const group = canvas.getByRole("group", { name: "Publish 3 sections?" });
    await waitFor(() => expect(group).toHaveFocus());
    await expect(canvas.getByText("Question: Publish 3 sections?")).toBeInTheDocument();
    await userEvent.click(canvas.getByRole("button", { name: "Publish" }));
    // The answer check loads with the first answer (on demand): the answer goes out once it has.
    await waitFor(() => expect(args.onAnswer).toHaveBeenCalledWith("ask_1", "Publish"));
  },
};

/** Keyboard only: Tab to a choice, Enter answers. */
export const Keyboard: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getByRole("group")).toHaveFocus());
    await userEvent.tab();
    await userEvent.tab();
    await expect(canvas.getByRole("button", { name: "Cancel" })).toHaveFocus();
    await userEvent.keyboard("{Enter}");
    await waitFor(() => expect(args.onAnswer).toHaveBeenCalledWith("ask_1", "Cancel"));
  },
};

/** Free input checked against a JSON schema before it is sent; Enter submits. */
export const FreeInput: Story = {
  args: {
    ask: {
      id: "ask_2",
      prompt: "How many sections should the summary have?",
      schema: { type: "integer", minimum: 1, maximum: 9 },
      state: "open",
    },
  },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const input = canvas.getByRole("textbox", { name: "How many sections should the summary have?" });
    await userEvent.type(input, "12{Enter}");
    await expect(canvas.getByRole("alert")).toHaveTextContent("The answer must be at most 9");
    await expect(input).toHaveAttribute("aria-invalid", "true");
    await expect(args.onAnswer).not.toHaveBeenCalled();
    await userEvent.clear(input);
    await userEvent.type(input, "4{Enter}");
    await waitFor(() => expect(args.onAnswer).toHaveBeenCalledWith("ask_2", 4));
  },
};

/** No choices and no schema: any text. */
export const Text: Story = {
  args: { ask: { id: "ask_3", prompt: "What should the title be?", state: "open" } },
};

/** The answer was sent and the server refused it: the card shows why and stays open. */
export const Refused: Story = {
  args: {
    onAnswer: fn(async () => {
      throw new Error('Question "ask_1" was already answered');
    }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Publish" }));
    await expect(await canvas.findByRole("alert")).toHaveTextContent("already answered");
  },
};

/** Answered: the choice made is marked (pressed) and named. */
export const Answered: Story = {
  args: { ask: { ...publish, state: "answered", value: "Publish" } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole("button", { name: "Publish" })).toHaveAttribute("aria-pressed", "true");
    await expect(canvas.getByRole("button", { name: "Cancel" })).toBeDisabled();
    await expect(canvas.getByText("Publish", { selector: "strong" })).toBeInTheDocument();
  },
};

/** No answer in time. */
export const Expired: Story = {
  args: { ask: { ...publish, state: "expired" } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).queryByRole("button")).toBeNull();
  },
};

/** The run was stopped while the question was open. */
export const Cancelled: Story = {
  args: { ask: { ...publish, state: "cancelled" } },
};

/** Without an answer handler (e.g. a read-only replay) the choices are shown but disabled. */
export const ReadOnly: Story = {
  args: { onAnswer: undefined },
};

/** Dark theme. */
export const Dark: Story = {
  globals: { theme: "dark" },
};

/** The full round trip: open, answer, answered (state held by the story). */
export const RoundTrip: Story = {
  render: function RoundTrip() {
    const [ask, setAsk] = useState<AskCardQuestion>(publish);
    return (
      <AskCard
        ask={ask}
        onAnswer={async (_id, value) => {
          await new Promise((r) => setTimeout(r, 50));
          setAsk({ ...ask, state: "answered", value });
        }}
      />
    );
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(canvas.getByRole("group")).toHaveAttribute("data-state", "answered"));
    await expect(canvas.getByText("Cancel", { selector: "strong" })).toBeInTheDocument();
  },
};
