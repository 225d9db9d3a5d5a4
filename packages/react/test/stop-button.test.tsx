import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { StopButton } from "../src/index.js";

describe("StopButton", () => {
  it("is an enabled, focusable button while running and calls onStop", () => {
    const onStop = vi.fn();
    render(<StopButton onStop={onStop} running />);
    const button = screen.getByRole("button", { name: "Stop" }) as HTMLButtonElement;
    expect(button.type).toBe("button");
    expect(button.disabled).toBe(false);
    expect(button.getAttribute("data-state")).toBe("running");
    button.focus();
    expect(document.activeElement).toBe(button);
    fireEvent.click(button);
    expect(onStop).toHaveBeenCalledTimes(1);
  });

  it("is disabled when not running", () => {
    const onStop = vi.fn();
    render(<StopButton onStop={onStop} running={false} label="Stop agent" />);
    const button = screen.getByRole("button", { name: "Stop agent" }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.getAttribute("data-state")).toBe("idle");
    fireEvent.click(button);
    expect(onStop).not.toHaveBeenCalled();
  });

  it("has a decorative icon and forwards ref/className", () => {
    const ref = { current: null as HTMLButtonElement | null };
    render(<StopButton ref={ref} onStop={() => {}} running className="s" />);
    expect(ref.current?.className).toBe("as-stop s");
    expect(ref.current?.querySelector("svg")?.getAttribute("aria-hidden")).toBe("true");
  });
});
