import { createRunStore } from "@agentstream/core";
import { describe, expect, it } from "vitest";
import {
  type ActionYield,
  ask,
  INTERRUPTED_RESULT,
  runToolHandler,
} from "../../src/copilot/run-tool-handler.js";
import { createToolCallRuns } from "../../src/copilot/tool-runs.js";

async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe("yield ask() in a browser generator action", () => {
  it("shows the question in the call's store and resumes the handler with the answer", async () => {
    const runs = createToolCallRuns();
    const store = runs.get("call_1");
    const { signal, release } = runs.link("call_1", undefined);
    const done = runToolHandler(
      async function* (): AsyncGenerator<ActionYield, unknown, unknown> {
        const choice = yield ask({ prompt: "Publish 2 sections?", choices: ["Publish", "Cancel"] });
        if (choice !== "Publish") return { cancelled: true };
        yield "publishing";
        return { published: true };
      },
      {},
      { signal, toolCallId: "call_1", store },
      { wait: (askId, s) => runs.waitAnswer("call_1", askId, s) },
    ).finally(release);
    await until(() => store.getSnapshot().askOrder.length === 1);
    const id = store.getSnapshot().askOrder[0] as string;
    expect(store.getSnapshot().asks[id]).toMatchObject({ prompt: "Publish 2 sections?", state: "open" });
    expect(runs.answer("call_1", "nope", "Publish")).toBe(false);
    expect(runs.answer("call_1", id, "Cancel")).toBe(true);
    expect(await done).toEqual({ cancelled: true });
    expect(store.getSnapshot().asks[id]).toMatchObject({ state: "answered", value: "Cancel" });
  });

  it("Stop while waiting closes the generator (finally runs) and returns the interrupted result", async () => {
    const runs = createToolCallRuns();
    const store = createRunStore();
    const { signal } = runs.link("call_2", undefined);
    let cleaned = false;
    const done = runToolHandler(
      async function* (): AsyncGenerator<ActionYield, unknown, unknown> {
        try {
          yield ask({ prompt: "Go?" });
          return "went";
        } finally {
          cleaned = true;
        }
      },
      {},
      { signal, toolCallId: "call_2", store },
      { wait: (askId, s) => runs.waitAnswer("call_2", askId, s) },
    );
    await until(() => store.getSnapshot().askOrder.length === 1);
    runs.stop("call_2");
    expect(await done).toBe(INTERRUPTED_RESULT);
    await until(() => cleaned);
    const id = store.getSnapshot().askOrder[0] as string;
    expect(store.getSnapshot().asks[id]?.state).toBe("cancelled");
    expect(store.getSnapshot().interruption).toBeDefined();
  });

  it("two calls ask at once; each answer reaches its own handler", async () => {
    const runs = createToolCallRuns();
    const handler = async function* (): AsyncGenerator<ActionYield, unknown, unknown> {
      const v = yield ask({ prompt: "Which?", choices: ["a", "b"] });
      return v;
    };
    const start = (id: string) =>
      runToolHandler(
        handler,
        {},
        { signal: runs.link(id, undefined).signal, toolCallId: id, store: runs.get(id) },
        { wait: (askId, s) => runs.waitAnswer(id, askId, s) },
      );
    const one = start("c1");
    const two = start("c2");
    await until(
      () =>
        runs.get("c1").getSnapshot().askOrder.length === 1 &&
        runs.get("c2").getSnapshot().askOrder.length === 1,
    );
    expect(runs.answer("c2", runs.get("c2").getSnapshot().askOrder[0] as string, "b")).toBe(true);
    expect(runs.answer("c1", runs.get("c1").getSnapshot().askOrder[0] as string, "a")).toBe(true);
    expect(await Promise.all([one, two])).toEqual(["a", "b"]);
  });
});
