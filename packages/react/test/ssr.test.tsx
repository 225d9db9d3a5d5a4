// @vitest-environment node
// biome-ignore-all lint/correctness/noComponentHookFactories: test components close over per-test state.
import { createRunStore } from "@agentstream/core";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import * as kit from "../src/index.js";
import { StreamMarkdown } from "../src/markdown/index.js";
import { chunker } from "./chunks.js";
import { toolCall } from "./fixtures.js";

const c = chunker();

function populatedStore() {
  const store = createRunStore();
  store.push(c({ type: "status", status: "thinking", iteration: 1 }));
  store.push(c({ type: "thinking", text: "hmm" }));
  store.push(c({ type: "tool_call", id: "t", name: "search", argsDelta: '{"q":"x"}' }));
  store.push(c({ type: "tool_result", id: "t", result: "ok", success: true }));
  store.push(c({ type: "progress", step: "Read", current: 1, total: 2 }));
  store.push(c({ type: "token", text: "Answer" }));
  store.push(c({ type: "error", message: "boom" }));
  return store;
}

describe("server rendering", () => {
  it("runs without a DOM", () => {
    expect(typeof window).toBe("undefined");
    expect(typeof document).toBe("undefined");
  });

  it("renders every component to a string without errors or scheduling", () => {
    const raf = vi.fn();
    vi.stubGlobal("requestAnimationFrame", raf);
    const error = vi.spyOn(console, "error");
    const store = populatedStore();
    const run = store.getSnapshot();
    const elements = {
      ProgressBar: <kit.ProgressBar value={3} max={10} label="p" />,
      ProgressBarIndeterminate: <kit.ProgressBar label="p" />,
      StepProgress: <kit.StepProgress steps={[{ label: "a", state: "active" }]} />,
      AgentStatus: <kit.AgentStatus status="acting" iteration={2} since={0} showElapsed />,
      ThinkingIndicator: <kit.ThinkingIndicator active text="t" />,
      ToolCallCard: <kit.ToolCallCard call={toolCall({ status: "complete", result: 1 })} />,
      StreamMetrics: <kit.StreamMetrics metrics={run.metrics} />,
      StopButton: <kit.StopButton onStop={() => {}} running />,
      ResultBlock: <kit.ResultBlock result={{ output: "x", success: true }} />,
      ErrorBlock: <kit.ErrorBlock error={{ message: "e" }} />,
      InterruptedMarker: <kit.InterruptedMarker reason="user" />,
      StreamChunk: <kit.StreamChunk chunk={c({ type: "token", text: "hi" })} />,
      StreamViewRun: <kit.StreamView run={run} />,
      StreamViewStore: <kit.StreamView store={store} />,
      StreamMarkdown: <StreamMarkdown text={"# Title\n\nSome **bold"} streaming />,
    };
    for (const [name, element] of Object.entries(elements)) {
      const html = renderToString(element);
      expect(html, name).toMatch(/^</);
    }
    expect(renderToString(elements.StreamViewStore)).toContain("Answer");
    expect(renderToString(elements.AgentStatus)).not.toContain("as-status__elapsed");
    expect(raf).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
    vi.unstubAllGlobals();
  });

  it("uses the current snapshot as the server snapshot", () => {
    const store = createRunStore();
    store.push(c({ type: "token", text: "server text" }));
    function Text() {
      return <span>{kit.useRun(store, (s) => s.text)}</span>;
    }
    expect(renderToString(<Text />)).toBe("<span>server text</span>");
  });
});
