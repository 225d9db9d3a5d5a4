import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { StreamMetrics } from "../src/index.js";

describe("StreamMetrics", () => {
  it("renders a description list of the run's figures", () => {
    const { container } = render(
      <StreamMetrics
        metrics={{
          chunkCount: 1234,
          tokenCount: 900,
          timeToFirstToken: 420,
          tokensPerSecond: 37.25,
          duration: 12_400,
        }}
      />,
    );
    const dl = container.querySelector("dl") as HTMLDListElement;
    const terms = [...dl.querySelectorAll("dt")].map((dt) => dt.textContent);
    const values = [...dl.querySelectorAll("dd")].map((dd) => dd.textContent);
    expect(terms).toEqual(["Time to first token", "Tokens/s", "Chunks", "Duration"]);
    expect(values).toEqual(["420 ms", "37.3", "1,234", "12 s"]);
  });

  it("shows a model's token usage when the run reported it (cached input included)", () => {
    const { container } = render(
      <StreamMetrics
        metrics={{
          chunkCount: 10,
          tokenCount: 8,
          usage: { inputTokens: 1830, outputTokens: 212, cachedInputTokens: 1024 },
        }}
      />,
    );
    expect(container.querySelector('[data-metric="input-tokens"] dd')?.textContent).toBe(
      "1,830 (1,024 cached)",
    );
    expect(container.querySelector('[data-metric="output-tokens"] dd')?.textContent).toBe("212");
  });

  it("shows placeholders for unknown values", () => {
    render(<StreamMetrics metrics={{ chunkCount: 0, tokenCount: 0 }} placeholder="n/a" />);
    const tps = document.querySelector('[data-metric="tps"] dd') as HTMLElement;
    expect(tps.textContent).toBe("n/a");
    expect(tps.hasAttribute("data-empty")).toBe(true);
    expect(screen.getByText("0")).toBeTruthy();
  });

  it("forwards ref and className", () => {
    const ref = { current: null as HTMLDListElement | null };
    render(<StreamMetrics ref={ref} metrics={{ chunkCount: 0, tokenCount: 0 }} className="m" />);
    expect(ref.current?.className).toBe("as-metrics m");
  });
});
