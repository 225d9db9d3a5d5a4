/**
 * What became of a tool call an agent run handed over to the page, decided once (call-outcome)
 * and shown alike by the chat's tool card, the chat's status row and `useAgentRun`'s turn.
 */
import { createRunStore, type RunState, type StreamChunk, settleRun, toChunk } from "@agentstream/core";
import { CopilotKitContext } from "@copilotkit/react-core/v2/context";
import { act, render } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AskCard } from "../../src/components/ask-card.js";
import { StatusActivityView } from "../../src/copilot/activity-renderers.js";
import {
  CUT_OFF_AFTER_MS,
  handedOverStatus,
  runIdOfActivity,
  type ToolExecutionSource,
  toolCallIdsOfRun,
  toolExecutions,
} from "../../src/copilot/call-outcome.js";
import { INTERRUPTED_RESULT } from "../../src/copilot/run-tool-handler.js";
import { ToolRunCard } from "../../src/copilot/tool-run-card.js";
import { createToolCallRuns } from "../../src/copilot/tool-runs.js";
import { createTurnStore } from "../../src/copilot/turn-store.js";

/** A fake CopilotKit core: its tool-execution subscribers, driven by the test. */
function fakeCore() {
  const subscribers: Parameters<ToolExecutionSource["subscribe"]>[0][] = [];
  const core: ToolExecutionSource = {
    subscribe(s) {
      subscribers.push(s);
      return { unsubscribe() {} };
    },
  };
  return {
    core,
    start: (toolCallId: string) => {
      for (const s of subscribers) s.onToolExecutionStart?.({ toolCallId });
    },
    end: (toolCallId: string, result: string, error?: string) => {
      for (const s of subscribers)
        s.onToolExecutionEnd?.({ toolCallId, result, ...(error ? { error } : {}) });
    },
  };
}

/** A completed agent run that handed `fe1` over (the AG-UI events the chat's agent streams). */
function handOver(store: ReturnType<typeof createRunStore>) {
  store.pushEvent({ type: "RUN_STARTED", threadId: "t", runId: "r1", timestamp: 1 } as never);
  store.push(toChunk({ type: "status", status: "acting" }, 0));
  store.push(toChunk({ type: "tool_call", id: "fe1", name: "draftSection", args: { topic: "x" } }, 1));
  store.pushEvent({ type: "RUN_FINISHED", threadId: "t", runId: "r1", timestamp: 9 } as never);
}

describe("handedOverStatus", () => {
  it("decides from the handler's run, the execution, the result, or the stream being closed", () => {
    const running = createRunStore();
    running.push(toChunk({ type: "status", status: "started" }, 0));
    expect(handedOverStatus({ handler: running.getSnapshot(), pending: false })).toBe("called");
    running.push(toChunk({ type: "interrupted", reason: "stopped" }, 1));
    expect(handedOverStatus({ handler: running.getSnapshot(), pending: false })).toBe("interrupted");
    expect(handedOverStatus({ executing: true, pending: false })).toBe("called");
    expect(handedOverStatus({ result: INTERRUPTED_RESULT, pending: false })).toBe("interrupted");
    expect(handedOverStatus({ result: "Error: boom", pending: false })).toBe("failed");
    expect(handedOverStatus({ result: '{"ok":true}', pending: false })).toBe("complete");
    expect(handedOverStatus({ error: "boom", result: "", pending: false })).toBe("failed");
    // No result, nothing runs it: cut off once the stream closed, undecided while it is open.
    expect(handedOverStatus({ pending: false })).toBe("interrupted");
    expect(handedOverStatus({ pending: true })).toBeUndefined();
  });

  it("finds a run's tool calls in the thread, with or without text before them", () => {
    const messages = [
      { id: "u1", role: "user" },
      { id: "r1:status", role: "activity" },
      { id: "call_a", role: "assistant", toolCalls: [{ id: "call_a" }] },
      { id: "tool-1", role: "tool", toolCallId: "call_a", content: INTERRUPTED_RESULT },
      { id: "r2:status", role: "activity" },
      { id: "r2:text:1", role: "assistant" },
      { id: "u2", role: "user" },
      { id: "r1:text:2", role: "assistant", toolCalls: [{ id: "call_b" }] },
    ];
    expect(runIdOfActivity("r1:status")).toBe("r1");
    expect(runIdOfActivity("r1:progress:research")).toBe("r1");
    expect(runIdOfActivity("u1")).toBeUndefined();
    expect(toolCallIdsOfRun(messages, "r1")).toEqual(["call_a", "call_b"]);
    expect(toolCallIdsOfRun(messages, "r2")).toEqual([]);
  });
});

afterEach(() => vi.useRealTimers());

describe("useAgentRun's turn store", () => {
  function setup() {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const fake = fakeCore();
    const runs = createToolCallRuns();
    const base = createRunStore();
    const messages: { id: string; role: string; toolCallId?: string; content?: string }[] = [];
    const turn = createTurnStore(base, {
      runs,
      executions: toolExecutions(fake.core),
      messages: () => messages,
    });
    const seen: RunState[] = [];
    turn.subscribe(() => seen.push(turn.getSnapshot()));
    return { fake, runs, base, turn, messages, seen };
  }

  it("a handed-over call keeps the turn busy while the page runs it; stopped, the turn is interrupted", () => {
    const { fake, runs, base, turn } = setup();
    handOver(base);
    // The run completed, its stream still open: CopilotKit is about to run the call.
    expect(base.getSnapshot().status).toBe("completed");
    expect(turn.getSnapshot().status).toBe("acting");
    expect(turn.getSnapshot().done).toBe(false);
    turn.setOpen(false);
    fake.start("fe1");
    const handler = runs.get("fe1");
    handler.push(toChunk({ type: "status", status: "started" }, 0));
    expect(turn.getSnapshot()).toMatchObject({ status: "acting", done: false });
    expect(turn.getSnapshot().toolCalls.fe1?.status).toBe("called");
    // Stopped (CopilotKit's stopAgent aborts the handler): the action and the turn are interrupted.
    handler.push(toChunk({ type: "interrupted", reason: "stopped" }, 1));
    fake.end("fe1", INTERRUPTED_RESULT);
    const stopped = settleRun(turn.getSnapshot());
    expect(stopped).toMatchObject({ status: "interrupted", done: true });
    expect(stopped.toolCalls.fe1?.status).toBe("interrupted");
    expect(stopped.timeline.some((s) => s.kind === "status")).toBe(false);
    // The same object until something changes (useSyncExternalStore needs it).
    expect(turn.getSnapshot()).toBe(turn.getSnapshot());
  });

  it("a second handed-over call waits its turn (CopilotKit runs them one by one): not cut off", () => {
    const { fake, base, turn } = setup();
    base.pushEvent({ type: "RUN_STARTED", threadId: "t", runId: "r1", timestamp: 1 } as never);
    base.push(toChunk({ type: "tool_call", id: "fe1", name: "left", args: {} }, 0));
    base.push(toChunk({ type: "tool_call", id: "fe2", name: "right", args: {} }, 1));
    base.pushEvent({ type: "RUN_FINISHED", threadId: "t", runId: "r1", timestamp: 9 } as never);
    turn.setOpen(false);
    fake.start("fe1");
    expect(turn.getSnapshot().toolCalls.fe2?.status).toBe("called");
    expect(turn.getSnapshot().status).toBe("acting");
    // Stopped during the first: CopilotKit skips the second, which nothing will run. A moment
    // after the page went quiet (CopilotKit starts the next handler within microtasks), it is cut off.
    fake.end("fe1", INTERRUPTED_RESULT);
    expect(turn.getSnapshot().toolCalls.fe2?.status).toBe("called");
    vi.advanceTimersByTime(CUT_OFF_AFTER_MS);
    expect(turn.getSnapshot().toolCalls.fe2?.status).toBe("interrupted");
    expect(turn.getSnapshot().status).toBe("interrupted");
  });

  it("after a reload nothing runs the call: once the replay closed, the turn is interrupted", () => {
    const { base, turn, seen } = setup();
    handOver(base);
    expect(turn.getSnapshot().status).toBe("acting");
    turn.setOpen(false);
    // Not at once: CopilotKit could still start the handler.
    expect(turn.getSnapshot().status).toBe("acting");
    vi.advanceTimersByTime(CUT_OFF_AFTER_MS);
    expect(turn.getSnapshot().status).toBe("interrupted");
    expect(turn.getSnapshot().toolCalls.fe1?.status).toBe("interrupted");
    // The store told its listeners when the moment passed.
    expect(seen.at(-1)?.status).toBe("interrupted");
  });

  it("a call that completed leaves the run completed; a thread tool message counts as its result", () => {
    const { fake, base, turn, messages } = setup();
    handOver(base);
    turn.setOpen(false);
    fake.start("fe1");
    fake.end("fe1", '{"words":120}');
    expect(turn.getSnapshot().status).toBe("completed");
    expect(turn.getSnapshot().toolCalls.fe1?.status).toBe("complete");

    const other = setup();
    handOver(other.base);
    other.messages.push({ id: "m", role: "tool", toolCallId: "fe1", content: "done" });
    other.turn.setOpen(false);
    expect(other.turn.getSnapshot().status).toBe("completed");
    expect(messages).toEqual([]);
  });

  it("pushes go to the agent run's store", () => {
    const { base, turn } = setup();
    turn.push(toChunk({ type: "token", text: "hi" }, 0) as StreamChunk);
    expect(base.getSnapshot().text).toBe("hi");
    turn.reset();
    expect(base.getSnapshot().status).toBe("idle");
  });
});

describe("the chat's tool card of a call this page did not run (history)", () => {
  const card = (props: Partial<Parameters<typeof ToolRunCard>[0]>) => {
    const store = createRunStore();
    return render(
      <ToolRunCard
        name="draftSection"
        toolCallId="fe1"
        status="complete"
        args={{}}
        result={undefined}
        run={store.getSnapshot()}
        store={store}
        {...props}
      />,
    ).container.querySelector("article") as HTMLElement;
  };

  it("says Stopped for the interrupted result, Failed for an error, Done otherwise", () => {
    expect(card({ result: INTERRUPTED_RESULT }).dataset.state).toBe("interrupted");
    expect(card({ result: INTERRUPTED_RESULT }).dataset.runState).toBe("interrupted");
    expect(card({ result: "Error: the wiki is down" }).dataset.state).toBe("failed");
    expect(card({ result: { words: 3 } }).dataset.state).toBe("complete");
  });

  it("a call without a result whose agent no longer runs was cut off: Stopped, not 'Preparing'", () => {
    expect(card({ status: "inProgress", pending: false }).dataset.state).toBe("interrupted");
    expect(card({ status: "inProgress", pending: true }).dataset.state).toBe("streaming");
    expect(card({ status: "inProgress" }).dataset.state).toBe("streaming");
  });
});

describe("the chat's status row", () => {
  function agentWith(messages: unknown[], isRunning = false) {
    return { isRunning, messages, subscribe: () => ({ unsubscribe() {} }) };
  }
  const withCore = (core: ToolExecutionSource, children: ReactNode) => (
    <CopilotKitContext.Provider value={{ copilotkit: core } as never}>{children}</CopilotKitContext.Provider>
  );
  const row = (container: HTMLElement) => container.querySelector(".as-status")?.getAttribute("data-state");

  it("a completed run whose handed-over call was stopped reads Interrupted, like the card", () => {
    const fake = fakeCore();
    const messages = [
      { id: "u1", role: "user" },
      { id: "r1:status", role: "activity", content: { status: "completed", final: true } },
      { id: "fe1", role: "assistant", toolCalls: [{ id: "fe1" }] },
    ];
    const view = (agent: ReturnType<typeof agentWith>) =>
      withCore(
        fake.core,
        <StatusActivityView
          content={{ status: "completed", final: true }}
          message={{ id: "r1:status" }}
          agent={agent}
        />,
      );
    // While the page runs the call, the turn is busy.
    toolExecutions(fake.core);
    fake.start("fe1");
    const { container } = render(view(agentWith(messages)));
    expect(row(container)).toBe("acting");
    act(() => fake.end("fe1", INTERRUPTED_RESULT));
    expect(row(container)).toBe("interrupted");
    // After a reload: no execution on this page, no tool message, the replay closed: cut off.
    const reloaded = fakeCore();
    const again = render(
      withCore(
        reloaded.core,
        <StatusActivityView
          content={{ status: "completed", final: true }}
          message={{ id: "r1:status" }}
          agent={agentWith(messages, false)}
        />,
      ),
    );
    expect(row(again.container)).toBe("interrupted");
  });

  it("a run whose call completed stays Completed; without a provider the row shows its own status", () => {
    const fake = fakeCore();
    const messages = [
      { id: "r1:status", role: "activity", content: { status: "completed", final: true } },
      { id: "fe1", role: "assistant", toolCalls: [{ id: "fe1" }] },
      { id: "m", role: "tool", toolCallId: "fe1", content: '{"ok":true}' },
    ];
    const props = {
      content: { status: "completed" as const, final: true as const },
      message: { id: "r1:status" },
    };
    const { container } = render(
      withCore(fake.core, <StatusActivityView {...props} agent={agentWith(messages)} />),
    );
    expect(row(container)).toBe("completed");
    const bare = render(<StatusActivityView {...props} agent={agentWith(messages)} />);
    expect(row(bare.container)).toBe("completed");
  });
});

describe("AskCard: one card answers", () => {
  const ask = {
    id: "q1",
    prompt: "Which column?",
    choices: [{ label: "area", value: "area" }],
    state: "open" as const,
  };

  it("a read-only copy says where to answer, takes no focus and leaves the announcement to the other", () => {
    const { container } = render(
      <>
        <AskCard
          ask={ask}
          answerElsewhere={<button type="button">Answer in the chat</button>}
          data-testid="copy"
        />
        <AskCard ask={ask} onAnswer={() => {}} data-testid="answers" />
      </>,
    );
    const copy = container.querySelector("[data-testid=copy]") as HTMLElement;
    const answers = container.querySelector("[data-testid=answers]") as HTMLElement;
    expect(copy.dataset.readOnly).toBe("true");
    expect(copy.textContent).toContain("Answer in the chat");
    expect(copy.querySelector("[aria-live=polite]")?.textContent).toBe("");
    expect(answers.querySelector("[aria-live=polite]")?.textContent).toBe("Question: Which column?");
    expect(document.activeElement).toBe(answers);
  });
});
