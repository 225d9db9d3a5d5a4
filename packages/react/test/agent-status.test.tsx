import { RUN_STATUSES, type RunStatus } from "@agentstream/core";
import { act, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AgentStatus, RUN_STATUS_META } from "../src/index.js";

afterEach(() => vi.useRealTimers());

describe("AgentStatus", () => {
  it.each(RUN_STATUSES.map((s) => [s]))(
    "renders %s with its label, icon and data-state",
    (status: RunStatus) => {
      const { container } = render(<AgentStatus status={status} />);
      const root = container.firstElementChild as HTMLElement;
      expect(root.getAttribute("data-state")).toBe(status);
      const region = screen.getByRole("status");
      expect(region.getAttribute("aria-live")).toBe("polite");
      expect(region.textContent).toBe(RUN_STATUS_META[status].label);
      const icon = root.querySelector(".as-status__icon svg");
      expect(icon?.getAttribute("aria-hidden")).toBe("true");
      expect(root.querySelector(".as-status__badge")?.getAttribute("aria-hidden")).toBe("true");
    },
  );

  it("describes every run status (exhaustive map)", () => {
    expect(Object.keys(RUN_STATUS_META).sort()).toEqual([...RUN_STATUSES].sort());
  });

  it("marks busy statuses with data-busy", () => {
    const { container, rerender } = render(<AgentStatus status="acting" />);
    const root = container.firstElementChild as HTMLElement;
    expect(root.hasAttribute("data-busy")).toBe(true);
    rerender(<AgentStatus status="completed" />);
    expect(root.hasAttribute("data-busy")).toBe(false);
  });

  it("changes the live region only when the status changes", () => {
    const { rerender } = render(<AgentStatus status="thinking" iteration={1} />);
    const region = screen.getByRole("status");
    const seen: string[] = [];
    const observer = new MutationObserver(() => seen.push(region.textContent ?? ""));
    observer.observe(region, { childList: true, characterData: true, subtree: true });
    rerender(<AgentStatus status="thinking" iteration={2} />);
    rerender(<AgentStatus status="thinking" iteration={3} />);
    expect(region.textContent).toBe("Thinking");
    rerender(<AgentStatus status="acting" iteration={3} />);
    expect(region.textContent).toBe("Acting");
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        observer.disconnect();
        expect(seen.every((t) => t === "Acting")).toBe(true);
        resolve();
      }),
    );
  });

  it("shows the iteration, visibly and as text", () => {
    const { container } = render(<AgentStatus status="observing" iteration={2} />);
    expect(container.querySelector(".as-status__iteration")?.textContent).toBe("· 2");
    expect(container.textContent).toContain("iteration 2");
  });

  it("shows elapsed time since `since`, ticking", () => {
    vi.useFakeTimers();
    vi.setSystemTime(10_000);
    const { container } = render(<AgentStatus status="thinking" since={7_000} showElapsed />);
    expect(container.querySelector(".as-status__elapsed")?.textContent).toBe("3 s");
    act(() => {
      vi.advanceTimersByTime(2_000);
    });
    expect(container.querySelector(".as-status__elapsed")?.textContent).toBe("5 s");
  });

  it("does not announce when announce={false}, and accepts labels and an agent name", () => {
    render(<AgentStatus status="error" announce={false} agent="Researcher" labels={{ error: "Fehler" }} />);
    expect(screen.queryByRole("status")).toBeNull();
    expect(document.body.textContent).toContain("Researcher: Fehler");
  });

  it("forwards ref, className and style", () => {
    const ref = { current: null as HTMLDivElement | null };
    render(<AgentStatus ref={ref} status="idle" className="c" style={{ color: "red" }} />);
    expect(ref.current?.className).toBe("as-status c");
    expect(ref.current?.style.color).toBe("red");
  });
});
