import type { ProgressStep } from "@agentstream/core";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { STEP_STATE_META, StepProgress } from "../src/index.js";

const steps: ProgressStep[] = [
  { label: "Fetch", state: "done", startedAt: 0, endedAt: 1200, duration: 1200 },
  { label: "Parse", state: "failed", startedAt: 1200, endedAt: 1500, duration: 300 },
  { label: "Index", state: "active", startedAt: 1500 },
  { label: "Report", state: "pending" },
];

describe("StepProgress", () => {
  it("renders an ordered list with one item per step and its data-state", () => {
    render(<StepProgress steps={steps} aria-label="Plan" />);
    const list = screen.getByRole("list", { name: "Plan" });
    expect(list.tagName).toBe("OL");
    const items = within(list).getAllByRole("listitem");
    expect(items.map((li) => li.getAttribute("data-state"))).toEqual(["done", "failed", "active", "pending"]);
  });

  it("marks only the active step with aria-current=step", () => {
    render(<StepProgress steps={steps} />);
    const items = screen.getAllByRole("listitem");
    expect(items.map((li) => li.getAttribute("aria-current"))).toEqual([null, null, "step", null]);
  });

  it("shows durations of finished steps and states as text", () => {
    render(<StepProgress steps={steps} />);
    const [fetch, parse, index, report] = screen.getAllByRole("listitem");
    expect(fetch?.textContent).toContain("1.2 s");
    expect(fetch?.textContent).toContain("(Done)");
    expect(parse?.textContent).toContain("300 ms");
    expect(parse?.textContent).toContain("(Failed)");
    expect(index?.textContent).toContain("(In progress)");
    expect(report?.textContent).toContain("(Pending)");
    expect(index?.querySelector(".as-step__duration")).toBeNull();
  });

  it("can hide durations", () => {
    render(<StepProgress steps={steps} showDurations={false} />);
    expect(document.querySelector(".as-step__duration")).toBeNull();
  });

  it("describes every step state", () => {
    for (const state of ["pending", "active", "done", "failed"] as const) {
      expect(STEP_STATE_META[state].label).toBeTruthy();
    }
  });

  it("forwards ref and className", () => {
    const ref = { current: null as HTMLOListElement | null };
    render(<StepProgress ref={ref} steps={[]} className="x" />);
    expect(ref.current?.className).toBe("as-steps x");
  });
});
