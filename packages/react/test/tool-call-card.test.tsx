import type { ToolCallStatus } from "@agentstream/core";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { TOOL_CALL_STATUS_META, ToolCallCard } from "../src/index.js";
import { toolCall } from "./fixtures.js";

describe("ToolCallCard", () => {
  it.each(["streaming", "called", "complete", "failed"] as ToolCallStatus[])(
    "renders status %s as data-state and a badge",
    (status) => {
      render(<ToolCallCard call={toolCall({ status })} />);
      const card = screen.getByRole("article", { name: "Tool search" });
      expect(card.getAttribute("data-state")).toBe(status);
      expect(card.querySelector(".as-tool__badge")?.textContent).toContain(
        TOOL_CALL_STATUS_META[status].label,
      );
    },
  );

  it("pretty-prints the (partial) arguments while they stream", () => {
    const { rerender } = render(
      <ToolCallCard
        call={toolCall({ status: "streaming", argsText: '{"query":"ca', args: { query: "ca" } })}
      />,
    );
    const args = screen.getByLabelText("search arguments");
    expect(args.textContent).toBe('{\n  "query": "ca"\n}');
    expect(args.hasAttribute("data-streaming")).toBe(true);
    rerender(
      <ToolCallCard
        call={toolCall({
          status: "streaming",
          argsText: '{"query":"cats", "limit": 5',
          args: { query: "cats", limit: 5 },
        })}
      />,
    );
    expect(screen.getByLabelText("search arguments").textContent).toContain('"limit": 5');
  });

  it("falls back to the raw argument text when nothing parsed yet", () => {
    render(<ToolCallCard call={toolCall({ status: "streaming", argsText: '{"q', args: {} })} />);
    expect(screen.getByLabelText("search arguments").textContent).toBe('{"q');
  });

  it("shows the result and the duration once complete", () => {
    render(
      <ToolCallCard
        call={toolCall({ status: "complete", result: { hits: 3 }, success: true, endedAt: 1_450 })}
      />,
    );
    expect(screen.getByLabelText("search result").textContent).toBe('{\n  "hits": 3\n}');
    expect(document.querySelector(".as-tool__duration")?.textContent).toBe("450 ms");
    expect(document.querySelector(".as-tool")?.getAttribute("data-success")).toBe("true");
  });

  it("labels a failed result as an error", () => {
    render(<ToolCallCard call={toolCall({ status: "failed", result: "boom", success: false })} />);
    expect(screen.getByLabelText("search error").textContent).toBe("boom");
  });

  it("renders unsafe payloads as inert text", () => {
    const evil = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    render(
      <ToolCallCard
        call={toolCall({ args: { html: evil }, argsText: "", result: evil, status: "complete" })}
      />,
    );
    expect(document.querySelector("img")).toBeNull();
    expect(document.querySelector("script")).toBeNull();
    expect(screen.getByLabelText("search result").textContent).toBe(evil);
  });

  it("collapses huge arguments into a scrollable, focusable section", () => {
    const big = { data: "x".repeat(5_000) };
    render(<ToolCallCard call={toolCall({ args: big, argsText: JSON.stringify(big) })} />);
    const details = document.querySelector("details.as-tool__section") as HTMLDetailsElement;
    expect(details).toBeTruthy();
    expect(details.open).toBe(false);
    expect(details.querySelector("summary")?.textContent).toMatch(/Arguments \(5(\.\d)? kB\)/);
    const region = details.querySelector(".as-tool__payload");
    expect(region?.getAttribute("role")).toBe("group");
    expect(region?.getAttribute("tabindex")).toBe("0");
  });

  it("never throws on unprintable results (cycles, BigInt)", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    render(<ToolCallCard call={toolCall({ status: "complete", result: cyclic })} />);
    expect(screen.getByLabelText("search result").textContent).toBe("[object Object]");
    render(<ToolCallCard call={toolCall({ id: "b", status: "complete", result: { n: 10n } })} />);
    expect(screen.getAllByLabelText("search result")[1]?.textContent).toContain('"10n"');
  });

  it("renders children and forwards ref/className", () => {
    const ref = { current: null as HTMLElement | null };
    render(
      <ToolCallCard ref={ref} call={toolCall()} className="c">
        <p>custom</p>
      </ToolCallCard>,
    );
    expect(ref.current?.tagName).toBe("ARTICLE");
    expect(ref.current?.className).toBe("as-tool c");
    expect(screen.getByText("custom")).toBeTruthy();
  });
});
