import { fireEvent, render, screen } from "@testing-library/react";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { AskCard } from "../src/index.js";

const ask = {
  id: "q1",
  prompt: "Publish 3 sections?",
  choices: [
    { label: "Publish", value: "publish" },
    { label: "Cancel", value: "cancel" },
  ],
  state: "open" as const,
};

describe("AskCard's live region", () => {
  it("is created empty (server render) and filled after mount, so screen readers announce it", () => {
    const html = renderToString(<AskCard ask={ask} onAnswer={() => {}} />);
    expect(html).toContain('aria-live="polite"');
    expect(html).not.toContain("Question: Publish 3 sections?");
    const { container } = render(<AskCard ask={ask} onAnswer={() => {}} />);
    const live = container.querySelector('[aria-live="polite"]');
    expect(live?.textContent).toBe("Question: Publish 3 sections?");
    expect(screen.getByRole("group", { name: /Publish 3 sections\?/ })).toBeTruthy();
  });

  it("announces the answer when the question is answered", () => {
    const { container, rerender } = render(<AskCard ask={ask} onAnswer={() => {}} />);
    rerender(<AskCard ask={{ ...ask, state: "answered", value: "cancel" } as never} onAnswer={() => {}} />);
    expect(container.querySelector('[aria-live="polite"]')?.textContent).toBe("Answered: Cancel");
  });
});

describe("AskCard's answer check (loaded with the first answer)", () => {
  it("refuses a typed answer that does not fit the schema, then sends one that does, read as the schema asks", async () => {
    const sent: unknown[] = [];
    const question = {
      id: "q2",
      prompt: "How many sections?",
      schema: { type: "integer", minimum: 1 },
      state: "open" as const,
    };
    render(<AskCard ask={question} onAnswer={(_id, value) => void sent.push(value)} />);
    const input = screen.getByRole("textbox", { name: "How many sections?" });
    fireEvent.change(input, { target: { value: "none" } });
    fireEvent.click(screen.getByRole("button", { name: "Send" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      'The answer must be an integer, got the string "none"',
    );
    expect(input.getAttribute("aria-invalid")).toBe("true");
    fireEvent.change(input, { target: { value: "0" } });
    fireEvent.click(screen.getByRole("button", { name: "Send" }));
    expect((await screen.findByText("The answer must be at least 1")).getAttribute("role")).toBe("alert");
    fireEvent.change(input, { target: { value: " 3 " } });
    fireEvent.click(screen.getByRole("button", { name: "Send" }));
    await vi.waitFor(() => expect(sent).toEqual([3]));
    await vi.waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
  });

  it("sends the value of the choice clicked", async () => {
    const sent: unknown[] = [];
    render(<AskCard ask={ask} onAnswer={(_id, value) => void sent.push(value)} />);
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    await vi.waitFor(() => expect(sent).toEqual(["cancel"]));
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
