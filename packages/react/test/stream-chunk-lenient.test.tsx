import { render, screen } from "@testing-library/react";
import { renderToString } from "react-dom/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { StreamChunk } from "../src/seed/index.js";

// The seeds' own chunks, as seed 000 renders them: `<StreamChunk key={i} {...chunk} />`.
const SEED_CHUNKS: [string, Record<string, unknown>, string, string][] = [
  ["000 stream_chunk", { type: "stream_chunk", content: "Hello", metadata: { m: 1 } }, "token", "Hello"],
  ["000 thinking", { type: "thinking", content: "Analyzing task..." }, "thinking", "Analyzing task..."],
  ["000 progress", { type: "progress", step: "Fetch", content: "3 pages" }, "progress", "3 pages"],
  ["000 complete", { type: "complete", result: "The answer" }, "result", "The answer"],
  ["000 interrupted", { type: "interrupted" }, "interrupted", "Interrupted"],
  ["001 token", { type: "token", content: "Hi" }, "token", "Hi"],
  [
    "001 tool_call",
    { type: "tool_call", tool_name: "search", parameters: { q: "cats" } },
    "tool_call",
    "cats",
  ],
  ["001 tool_result", { type: "tool_result", tool_name: "search", result: ["a"] }, "tool_result", '"a"'],
  ["001 result", { type: "result", output: "done" }, "result", "done"],
  ["001 error", { type: "error", error: "Rate limited" }, "error", "Rate limited"],
  ["004 progress", { type: "progress", step: 1, total: 5, message: "Navigating" }, "progress", "Navigating"],
  [
    "004 tool_start",
    { type: "tool_start", tool_name: "navigate_to", tool_input: "https://x.dev" },
    "tool_call",
    "https://x.dev",
  ],
  ["canonical token", { type: "token", text: "plain", seq: 3 }, "token", "plain"],
];

const GARBAGE: [string, Record<string, unknown>][] = [
  ["{}", {}],
  ["{type: 42}", { type: 42 }],
  ["unknown type", { type: "banana", peel: true }],
  ["null fields", { type: "token", text: null, agent: null, metadata: null }],
  ["tool_result with success null", { type: "tool_result", tool_name: null, success: null, result: null }],
  ["progress with null step", { type: "progress", step: null, current: null }],
  ["status with null", { type: "status", status: null }],
  [
    "circular metadata",
    (() => {
      const m: Record<string, unknown> = {};
      m.self = m;
      return { type: 7, metadata: m };
    })(),
  ],
];

let warn: { mock: { calls: unknown[][] }; mockRestore(): void };
beforeEach(() => {
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => warn.mockRestore());

describe("StreamChunk, lenient", () => {
  it.each(SEED_CHUNKS)("renders %s spread as props", (_name, chunk, type, text) => {
    const { container } = render(<StreamChunk {...chunk} />);
    const root = container.firstElementChild as HTMLElement;
    expect(root.getAttribute("data-type")).toBe(type);
    expect(root.hasAttribute("data-invalid")).toBe(false);
    expect(root.textContent).toContain(text);
  });

  it.each(SEED_CHUNKS)("renders %s passed as chunk={…}", (_name, chunk, type, text) => {
    const { container } = render(<StreamChunk chunk={chunk as never} />);
    const root = container.firstElementChild as HTMLElement;
    expect(root.getAttribute("data-type")).toBe(type);
    expect(root.textContent).toContain(text);
  });

  it("seed 000's list renders (key + spread)", () => {
    const streamData = SEED_CHUNKS.map(([, chunk]) => chunk);
    const { container } = render(
      <div>
        {streamData.map((chunk, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: seed 000's own code
          <StreamChunk key={i} {...chunk} />
        ))}
      </div>,
    );
    expect(container.querySelectorAll(".as-chunk")).toHaveLength(SEED_CHUNKS.length);
    expect(container.querySelectorAll("[data-invalid]")).toHaveLength(0);
  });

  it("spread fields stay off the DOM; other props reach the wrapper", () => {
    const { container } = render(
      <StreamChunk {...{ type: "tool_call", tool_name: "s", id: "t1" }} className="k" data-testid="w" />,
    );
    const root = container.firstElementChild as HTMLElement;
    expect(root.getAttribute("id")).toBeNull();
    expect(root.getAttribute("tool_name")).toBeNull();
    expect(root.className).toContain("k");
    expect(screen.getByTestId("w")).toBe(root);
  });

  it.each(GARBAGE)("renders a visible fallback for %s and never throws", (_name, chunk) => {
    const { container } = render(<StreamChunk {...chunk} />);
    const root = container.firstElementChild as HTMLElement;
    expect(root.hasAttribute("data-invalid")).toBe(true);
    expect(root.classList.contains("as-chunk--invalid")).toBe(true);
    expect(root.querySelector(".as-chunk__type")?.textContent).toBeTruthy();
    expect(root.querySelector(".as-chunk__preview")?.textContent?.length).toBeLessThanOrEqual(121);
    // and as chunk={…}
    expect(() => render(<StreamChunk chunk={chunk as never} />)).not.toThrow();
  });

  it("shows the type and a JSON preview, and warns once in development", () => {
    const { container } = render(<StreamChunk {...{ type: "kiwi", peel: true }} />);
    expect(container.querySelector(".as-chunk__type")?.textContent).toBe("kiwi");
    expect(container.querySelector(".as-chunk__preview")?.textContent).toBe('{"type":"kiwi","peel":true}');
    expect(container.firstElementChild?.getAttribute("peel")).toBeNull();
    render(<StreamChunk chunk={{ type: "kiwi" } as never} />);
    const calls = warn.mock.calls.filter((c: unknown[]) => String(c[0]).includes("kiwi"));
    expect(calls).toHaveLength(1);
    expect(String(calls[0]?.[0])).toContain("StreamChunk cannot render this chunk: chunk 0 (kiwi)");
  });

  it("chunk={null} and no props at all render the fallback", () => {
    expect(render(<StreamChunk chunk={null} />).container.querySelector("[data-invalid]")).not.toBeNull();
    expect(render(<StreamChunk />).container.querySelector("[data-invalid]")).not.toBeNull();
  });

  it("renders on the server (renderToString) for seed shapes and garbage", () => {
    for (const [, chunk, type] of SEED_CHUNKS) {
      expect(renderToString(<StreamChunk {...chunk} />)).toContain(`data-type="${type}"`);
    }
    for (const [, chunk] of GARBAGE) {
      expect(renderToString(<StreamChunk {...chunk} />)).toContain("as-chunk--invalid");
    }
  });
});
