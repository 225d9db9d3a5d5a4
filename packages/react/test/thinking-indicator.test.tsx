import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ThinkingIndicator } from "../src/index.js";

describe("ThinkingIndicator", () => {
  it("shows 'Thinking…' while active", () => {
    const { container } = render(<ThinkingIndicator active />);
    const root = container.firstElementChild as HTMLElement;
    expect(root.getAttribute("data-state")).toBe("active");
    expect(root.textContent).toContain("Thinking…");
    expect(root.querySelector(".as-thinking__dots")?.closest("[aria-hidden]")).toBeTruthy();
  });

  it("is a collapsible <details> with the reasoning text and its duration once done", () => {
    const { container } = render(<ThinkingIndicator active={false} text="Let me check." duration={3000} />);
    const details = container.querySelector("details") as HTMLDetailsElement;
    expect(details.getAttribute("data-state")).toBe("done");
    expect(details.open).toBe(false);
    expect(details.querySelector("summary")?.textContent).toContain("Thought for 3 seconds");
    expect(details.querySelector(".as-thinking__text")?.textContent).toBe("Let me check.");
  });

  it("says 'a few seconds' only without a duration; singular and plural seconds", () => {
    const { container, rerender } = render(<ThinkingIndicator active={false} text="x" />);
    expect(container.textContent).toContain("Thought for a few seconds");
    rerender(<ThinkingIndicator active={false} text="x" duration={1000} />);
    expect(container.textContent).toContain("Thought for 1 second");
    expect(container.textContent).not.toContain("1 seconds");
    rerender(<ThinkingIndicator active={false} text="x" duration={300} />);
    expect(container.textContent).toContain("Thought for 1 second");
    rerender(<ThinkingIndicator active={false} text="x" duration={12_400} />);
    expect(container.textContent).toContain("Thought for 12 seconds");
    rerender(<ThinkingIndicator active={false} text="x" duration={125_000} />);
    expect(container.textContent).toContain("Thought for 2 minutes 5 seconds");
  });

  it("honours defaultOpen and custom labels", () => {
    const { container, rerender } = render(<ThinkingIndicator active={false} text="x" defaultOpen />);
    expect((container.querySelector("details") as HTMLDetailsElement).open).toBe(true);
    expect(container.textContent).toContain("Thought");
    rerender(<ThinkingIndicator active text="x" activeLabel="Reasoning" />);
    expect(container.textContent).toContain("Reasoning");
    rerender(<ThinkingIndicator active={false} duration={1500} doneLabel={(d) => `Done in ${d}`} />);
    expect(container.textContent).toContain("Done in 2 seconds");
  });

  it("forwards ref and className", () => {
    const ref = { current: null as HTMLElement | null };
    render(<ThinkingIndicator ref={ref} active text="t" className="k" />);
    expect(ref.current?.tagName).toBe("DETAILS");
    expect(ref.current?.className).toBe("as-thinking k");
  });
});
