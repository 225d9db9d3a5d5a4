import { render, screen } from "@testing-library/react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
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
