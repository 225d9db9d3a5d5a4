import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, within } from "storybook/test";
import { ErrorBlock } from "./error-block.js";

const meta = {
  title: "Components/ErrorBlock",
  component: ErrorBlock,
  args: {
    error: { message: "The model provider returned HTTP 529 (overloaded).", code: "provider_overloaded" },
  },
} satisfies Meta<typeof ErrorBlock>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A fatal error ends the run (`role="alert"`). */
export const Fatal: Story = {
  play: async ({ canvasElement }) => {
    const alert = within(canvasElement).getByRole("alert");
    await expect(alert).toHaveAttribute("data-state", "fatal");
    await expect(alert).toHaveTextContent("provider_overloaded");
  },
};

/** A recoverable error: the run goes on (e.g. a retry). */
export const Recoverable: Story = {
  args: { error: { message: "Rate limited; retrying in 2 s.", code: "rate_limited", recoverable: true } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole("alert")).toHaveTextContent("Error (recovering)");
  },
};

export const WithoutCode: Story = {
  args: { error: { message: "Something went wrong while reading the response." } },
};
