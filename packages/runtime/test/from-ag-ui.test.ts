/**
 * fromAgUiAgent: a foreign AbstractAgent's events as chunks (every event kind a LangGraph /
 * Mastra integration sends), errors, abort in the middle of a tool call, several agents merged
 * as lanes, and the whole thing served over HTTP.
 */
import { AbstractAgent } from "@ag-ui/client";
import { type BaseEvent, EventType, type RunAgentInput } from "@ag-ui/core";
import { foldChunks, merge, type StreamChunk } from "@agentstream/core";
import { Observable } from "rxjs";
import { describe, expect, it } from "vitest";
import { defineAgent, fromAgUiAgent, runAgentChunks } from "../src/index.js";
import { plainRunUrl, runInput, runWithHttpAgent, startServer } from "./helpers.js";

type Script = (input: RunAgentInput) => (Record<string, unknown> | { wait: number } | { fail: string })[];

/** An AbstractAgent that plays a script of events (with waits, or a failure). */
class ScriptedAgent extends AbstractAgent {
  aborted = 0;
  unsubscribed = 0;
  constructor(private readonly script: Script) {
    super({ description: "scripted" });
  }
  override abortRun(): void {
    this.aborted++;
  }
  run(input: RunAgentInput): Observable<BaseEvent> {
    return new Observable<BaseEvent>((sub) => {
      let live = true;
      void (async () => {
        for (const step of this.script(input)) {
          if (!live) return;
          if ("wait" in step) await new Promise((r) => setTimeout(r, step.wait as number));
          else if ("fail" in step) return sub.error(new Error(step.fail as string));
          else sub.next(step as unknown as BaseEvent);
        }
        sub.complete();
      })();
      return () => {
        live = false;
        this.unsubscribed++;
      };
    });
  }
}

const graphScript: Script = ({ threadId, runId }) => [
  { type: EventType.RUN_STARTED, threadId, runId },
  { type: EventType.STATE_SNAPSHOT, snapshot: { progress: { label: "plan", current: 0, total: 2 } } },
  { type: EventType.STEP_STARTED, stepName: "plan" },
  { type: EventType.REASONING_START, messageId: "r1" },
  { type: EventType.REASONING_MESSAGE_START, messageId: "r1", role: "reasoning" },
  { type: EventType.REASONING_MESSAGE_CONTENT, messageId: "r1", delta: "Think first." },
  { type: EventType.REASONING_MESSAGE_END, messageId: "r1" },
  { type: EventType.REASONING_END, messageId: "r1" },
  { type: EventType.TOOL_CALL_CHUNK, toolCallId: "t1", toolCallName: "search", delta: '{"q":' },
  { type: EventType.TOOL_CALL_CHUNK, toolCallId: "t1", delta: '"sse"}' },
  { type: EventType.TOOL_CALL_END, toolCallId: "t1" },
  { type: EventType.TOOL_CALL_RESULT, messageId: "tm", toolCallId: "t1", content: "3 hits" },
  { type: EventType.STEP_FINISHED, stepName: "plan" },
  { type: EventType.STATE_DELTA, delta: [{ op: "replace", path: "/progress/current", value: 1 }] },
  { type: EventType.TEXT_MESSAGE_START, messageId: "m1", role: "assistant" },
  { type: EventType.TEXT_MESSAGE_CONTENT, messageId: "m1", delta: "Hello " },
  { type: EventType.TEXT_MESSAGE_CHUNK, messageId: "m1", delta: "world." },
  { type: EventType.TEXT_MESSAGE_END, messageId: "m1" },
  { type: EventType.STATE_DELTA, delta: [{ op: "replace", path: "/progress/current", value: 2 }] },
  { type: EventType.RUN_FINISHED, threadId, runId, result: { answer: 42 } },
];

async function all<T, R>(gen: AsyncGenerator<T, R, undefined>): Promise<{ items: T[]; returned: R }> {
  const items: T[] = [];
  while (true) {
    const step = await gen.next();
    if (step.done) return { items, returned: step.value };
    items.push(step.value);
  }
}

describe("fromAgUiAgent", () => {
  it("text, reasoning, tool call chunks, tool results, steps, state progress and the result", async () => {
    const { items, returned } = await all(fromAgUiAgent(new ScriptedAgent(graphScript), runInput("q")));
    const state = foldChunks(items);
    expect(state.text).toBe("Hello world.");
    expect(state.thinking).toBe("Think first.");
    expect(state.toolCalls.t1).toMatchObject({ name: "search", args: { q: "sse" }, result: "3 hits" });
    expect(state.progress).toMatchObject({ current: 2, total: 2 });
    expect(items.filter((c) => c.type === "progress").length).toBeGreaterThanOrEqual(3);
    expect(state.result?.output).toEqual({ answer: 42 });
    expect(returned).toMatchObject({
      outcome: "finished",
      text: "Hello world.",
      result: { answer: 42 },
      state: { progress: { label: "plan", current: 2, total: 2 } },
    });
  });

  it("RUN_ERROR and an Observable error become error chunks", async () => {
    const runError = new ScriptedAgent(({ threadId, runId }) => [
      { type: EventType.RUN_STARTED, threadId, runId },
      { type: EventType.TEXT_MESSAGE_CHUNK, messageId: "m", role: "assistant", delta: "partial" },
      { type: EventType.RUN_ERROR, message: "graph exploded", code: "GRAPH" },
    ]);
    const a = await all(fromAgUiAgent(runError, runInput("q")));
    expect(a.items.at(-1)).toMatchObject({ type: "error", message: "graph exploded", code: "GRAPH" });
    expect(a.returned).toMatchObject({ outcome: "error", text: "partial", error: "graph exploded" });

    const thrower = new ScriptedAgent(() => [{ fail: "connection reset" }]);
    const b = await all(fromAgUiAgent(thrower, runInput("q")));
    expect(b.items.at(-1)).toMatchObject({ type: "error", message: "The agent failed: connection reset" });
  });

  it("abort in the middle of a tool call: interrupted, abortRun() called, unsubscribed", async () => {
    const agent = new ScriptedAgent(({ threadId, runId }) => [
      { type: EventType.RUN_STARTED, threadId, runId },
      { type: EventType.TEXT_MESSAGE_CHUNK, messageId: "m", role: "assistant", delta: "Looking. " },
      { type: EventType.TOOL_CALL_START, toolCallId: "t", toolCallName: "slow" },
      { type: EventType.TOOL_CALL_ARGS, toolCallId: "t", delta: '{"a":' },
      { wait: 5_000 },
      { type: EventType.TOOL_CALL_ARGS, toolCallId: "t", delta: "1}" },
    ]);
    const controller = new AbortController();
    const gen = fromAgUiAgent(agent, runInput("q"), { signal: controller.signal });
    const items: StreamChunk[] = [];
    const started = Date.now();
    while (true) {
      const step = await gen.next();
      if (step.done) {
        expect(step.value.outcome).toBe("aborted");
        break;
      }
      items.push(step.value);
      if (step.value.type === "tool_call" && step.value.argsDelta) controller.abort("stop pressed");
    }
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(items.at(-1)).toMatchObject({ type: "interrupted", reason: "stop pressed", partial: "Looking. " });
    expect(agent.aborted).toBe(1);
    expect(agent.unsubscribed).toBe(1);
  });

  it("leaving early (the consumer's return()) also stops the foreign run", async () => {
    const agent = new ScriptedAgent(({ threadId, runId }) => [
      { type: EventType.RUN_STARTED, threadId, runId },
      { type: EventType.TEXT_MESSAGE_CHUNK, messageId: "m", role: "assistant", delta: "a" },
      { wait: 5_000 },
    ]);
    for await (const chunk of fromAgUiAgent(agent, runInput("q"))) {
      if (chunk.type === "token") break;
    }
    expect(agent.aborted).toBe(1);
    expect(agent.unsubscribed).toBe(1);
  });

  it("several foreign agents merged as lanes inside a generator agent", async () => {
    const lanes = defineAgent({
      name: "lanes",
      description: "two graphs",
      async *run(input, ctx) {
        yield* merge(
          {
            planner: fromAgUiAgent(new ScriptedAgent(graphScript), input, { signal: ctx.signal }),
            writer: fromAgUiAgent(new ScriptedAgent(graphScript), input, { signal: ctx.signal }),
          },
          { signal: ctx.signal },
        );
        return "both done";
      },
    });
    const chunks: StreamChunk[] = [];
    for await (const c of runAgentChunks(lanes, runInput("q"))) chunks.push(c);
    const state = foldChunks(chunks);
    expect(state.lanes.map((l) => l.agent)).toEqual(["planner", "writer"]);
    for (const lane of state.lanes) {
      expect(lane.text).toBe("Hello world.");
      expect(lane.progress).toMatchObject({ current: 2, total: 2 });
    }
    expect(state.result?.output).toBe("both done");
  });

  it("served over HTTP: the plain route's stream passes AG-UI's verifier", async () => {
    const graph = defineAgent({
      name: "graph",
      description: "foreign",
      async *run(input, ctx) {
        return (yield* fromAgUiAgent(new ScriptedAgent(graphScript), input, { signal: ctx.signal })).result;
      },
    });
    const s = await startServer({ agents: { graph } });
    try {
      const run = await runWithHttpAgent(plainRunUrl(s.url, "graph"), runInput("q"));
      expect(run.error).toBeUndefined();
      expect(run.text).toBe("Hello world.");
      expect(run.types).toContain("TOOL_CALL_RESULT");
      expect(run.types.at(-1)).toBe("RUN_FINISHED");
    } finally {
      await s.close();
    }
  });
});
