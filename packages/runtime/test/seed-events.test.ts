/** The chunk → seed 004 event mapping of the EventSource route. */
import type { StreamChunk } from "@agentstream/core";
import { describe, expect, it } from "vitest";
import { type SeedEvent, SeedEventMapper, seedEventJson } from "../src/index.js";

const env = { seq: 0, timestamp: 1 };

function mapAll(chunks: StreamChunk[]): SeedEvent[] {
  const mapper = new SeedEventMapper();
  return chunks.flatMap((c) => mapper.push(c));
}

describe("SeedEventMapper", () => {
  it("maps one chunk of each type to seed 004's schema", () => {
    const events = mapAll([
      { ...env, type: "status", status: "started", iteration: 1 },
      { ...env, type: "thinking", text: "Analyzing task..." },
      { ...env, type: "token", text: "Hello " },
      { ...env, type: "token", text: "world", metadata: { source: "llm" } },
      {
        ...env,
        type: "progress",
        step: "Navigate",
        current: 1,
        total: 5,
        message: "Navigating to website...",
      },
      { ...env, type: "progress", step: "Search", current: 2 },
      { ...env, type: "tool_call", id: "t1", name: "navigate_to", args: { input: "https://example.com" } },
      { ...env, type: "tool_result", id: "t1", result: "<html>", success: true },
      { ...env, type: "interrupted", reason: "stopped", partial: "Hello world" },
      { ...env, type: "error", message: "boom", code: "X", recoverable: false },
      { ...env, type: "result", output: { answer: 42 }, success: true, duration: 12 },
    ]);
    expect(events).toEqual([
      { type: "status", data: { status: "started", iteration: 1 } },
      { type: "thinking", data: { content: "Analyzing task..." } },
      { type: "token", data: { token: "Hello ", metadata: { count: 1 } } },
      { type: "token", data: { token: "world", metadata: { count: 2, source: "llm" } } },
      {
        type: "progress",
        data: { step: 1, total: 5, message: "Navigating to website...", label: "Navigate" },
      },
      { type: "progress", data: { step: 2, message: "Search", label: "Search" } },
      {
        type: "tool_start",
        data: { tool_name: "navigate_to", tool_input: "https://example.com", tool_call_id: "t1" },
      },
      {
        type: "tool_end",
        data: { tool_name: "navigate_to", tool_output: "<html>", success: true, tool_call_id: "t1" },
      },
      { type: "interrupted", data: { reason: "stopped", partial: "Hello world" } },
      { type: "error", data: { message: "boom", code: "X", recoverable: false } },
      { type: "result", data: { result: { answer: 42 }, success: true, duration: 12 } },
    ]);
  });

  it("holds a streamed tool call until its arguments are complete (endTool), then sends one tool_start", () => {
    const mapper = new SeedEventMapper();
    expect(mapper.push({ ...env, type: "tool_call", id: "c", name: "search" })).toEqual([]);
    expect(mapper.push({ ...env, type: "tool_call", id: "c", name: "", argsDelta: '{"q":' })).toEqual([]);
    expect(mapper.push({ ...env, type: "tool_call", id: "c", name: "", argsDelta: '"py"}' })).toEqual([]);
    expect(mapper.endTool("c")).toEqual([
      { type: "tool_start", data: { tool_name: "search", tool_input: { q: "py" }, tool_call_id: "c" } },
    ]);
    expect(mapper.endTool("c")).toEqual([]);
    expect(mapper.push({ ...env, type: "tool_result", id: "c", result: [1], success: false })).toEqual([
      {
        type: "tool_end",
        data: { tool_name: "search", tool_output: [1], success: false, tool_call_id: "c" },
      },
    ]);
  });

  it("sends a held tool_start before its result, or before the run's end", () => {
    const a = new SeedEventMapper();
    a.push({ ...env, type: "tool_call", id: "c", name: "s", argsDelta: "not json" });
    expect(
      a.push({ ...env, type: "tool_result", id: "c", result: 1, success: true }).map((e) => e.type),
    ).toEqual(["tool_start", "tool_end"]);
    const b = new SeedEventMapper();
    b.push({ ...env, type: "tool_call", id: "c", name: "s", argsDelta: "not json" });
    const end = b.push({ ...env, type: "result", output: null, success: true });
    expect(end[0]).toEqual({
      type: "tool_start",
      data: { tool_name: "s", tool_input: "not json", tool_call_id: "c" },
    });
    expect(end[1]?.type).toBe("result");
  });

  it("keeps the agent of multi-agent chunks", () => {
    expect(mapAll([{ ...env, type: "token", text: "x", agent: "researcher" }])).toEqual([
      { type: "token", data: { token: "x", metadata: { count: 1 }, agent: "researcher" } },
    ]);
  });

  it("writes seed 004's envelope with the fields also at the top level (what the seed's own client reads)", () => {
    const json = JSON.parse(seedEventJson({ type: "token", data: { token: "Hi", metadata: { count: 1 } } }));
    expect(json).toEqual({
      type: "token",
      data: { token: "Hi", metadata: { count: 1 } },
      token: "Hi",
      metadata: { count: 1 },
    });
  });
});
