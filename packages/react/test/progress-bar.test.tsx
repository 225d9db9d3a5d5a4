import { render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ProgressBar } from "../src/index.js";

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("ProgressBar", () => {
  it("is indeterminate without a value", () => {
    render(<ProgressBar label="Indexing" />);
    const bar = screen.getByRole("progressbar", { name: "Indexing" });
    expect(bar.getAttribute("data-state")).toBe("indeterminate");
    expect(bar.hasAttribute("aria-valuenow")).toBe(false);
    expect(bar.hasAttribute("aria-valuetext")).toBe(false);
    expect(bar.hasAttribute("data-value")).toBe(false);
    expect(bar.getAttribute("aria-valuemin")).toBe("0");
    expect(bar.getAttribute("aria-valuemax")).toBe("100");
    expect(bar.getAttribute("data-max")).toBe("100");
  });

  it("is indeterminate with value null", () => {
    render(<ProgressBar value={null} max={10} label="Work" />);
    expect(screen.getByRole("progressbar").getAttribute("data-state")).toBe("indeterminate");
  });

  it("is loading below max, with aria-valuenow/valuetext and data-value", () => {
    render(<ProgressBar value={42} label="Upload" />);
    const bar = screen.getByRole("progressbar", { name: "Upload" });
    expect(bar.getAttribute("data-state")).toBe("loading");
    expect(bar.getAttribute("aria-valuenow")).toBe("42");
    expect(bar.getAttribute("aria-valuetext")).toBe("42%");
    expect(bar.getAttribute("data-value")).toBe("42");
    expect(bar.getAttribute("data-max")).toBe("100");
  });

  it("says 'n of m' for a custom max and is complete at max", () => {
    const { rerender } = render(<ProgressBar value={3} max={7} label="Steps" />);
    const bar = screen.getByRole("progressbar");
    expect(bar.getAttribute("aria-valuetext")).toBe("3 of 7");
    expect(bar.getAttribute("aria-valuemax")).toBe("7");
    rerender(<ProgressBar value={7} max={7} label="Steps" />);
    expect(bar.getAttribute("data-state")).toBe("complete");
    expect(bar.querySelector(".as-progress__indicator")?.getAttribute("data-state")).toBe("complete");
  });

  it("uses getValueLabel and passes className, style, data-* and the ref through", () => {
    const ref = { current: null as HTMLDivElement | null };
    render(
      <ProgressBar
        ref={ref}
        value={1}
        max={4}
        label="Files"
        getValueLabel={(v, m) => `${v} files of ${m}`}
        className="mine"
        style={{ width: 200 }}
        data-testid="bar"
      />,
    );
    const bar = screen.getByTestId("bar");
    expect(ref.current).toBe(bar);
    expect(bar.className).toBe("as-progress mine");
    expect(bar.style.width).toBe("200px");
    expect(bar.getAttribute("aria-valuetext")).toBe("1 files of 4");
  });

  it("has a default accessible name", () => {
    render(<ProgressBar value={5} />);
    expect(screen.getByRole("progressbar", { name: "Progress" })).toBeTruthy();
  });

  it("is silent for valid props", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    render(
      <>
        <ProgressBar value={0} />
        <ProgressBar value={100} />
        <ProgressBar value={null} max={3} />
        <ProgressBar />
      </>,
    );
    expect(error).not.toHaveBeenCalled();
  });

  it("logs a dev error for a negative max and falls back to 100", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    render(<ProgressBar value={5} max={-1} />);
    expect(error).toHaveBeenCalledWith(expect.stringContaining("invalid `max` (-1)"));
    expect(screen.getByRole("progressbar").getAttribute("aria-valuemax")).toBe("100");
  });

  it("logs a dev error for a value above max and becomes indeterminate", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    render(<ProgressBar value={11} max={10} />);
    expect(error).toHaveBeenCalledWith(expect.stringContaining("invalid `value` (11); expected 0..10"));
    expect(screen.getByRole("progressbar").getAttribute("data-state")).toBe("indeterminate");
  });

  it("is silent in production", () => {
    vi.stubEnv("NODE_ENV", "production");
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    render(<ProgressBar value={-3} max={-1} />);
    expect(error).not.toHaveBeenCalled();
  });
});
