import { createRunStore, type RunStore } from "@agentstream/core";
import { describe, expect, it } from "vitest";
import { isAsyncGeneratorFunction } from "../../src/copilot/is-async-generator-function.js";
import {
  INTERRUPTED_RESULT,
  runToolHandler,
  type StreamingActionContext,
} from "../../src/copilot/run-tool-handler.js";
import { createToolCallRuns } from "../../src/copilot/tool-runs.js";

function context(store: RunStore, signal = new AbortController().signal): StreamingActionContext {
  return { store, signal, toolCallId: "call-1" };
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe("runToolHandler", () => {
  it("accepts seed 000's `stream_chunk` yields and other seed spellings, pairing tool results", async () => {
    const store = createRunStore();
    const result = await runToolHandler(
      async function* ({ task }: { task: string }) {
        yield { type: "stream_chunk", content: `Working on ${task}. `, metadata: { part: 1 } };
        yield { type: "thinking", content: "hmm" };
        yield { type: "tool_call", tool_name: "search", parameters: { q: task } };
        yield { type: "tool_result", tool_name: "search", result: ["hit"] };
        yield { type: "progress", step: 1, total: 2, message: "Reading" };
        yield { type: "token", content: "Done." };
        return "ok";
      },
      { task: "x" },
      context(store),
    );
    expect(result).toBe("ok");
    const state = store.getSnapshot();
    expect(state.error).toBeUndefined();
    expect(state.text).toBe("Working on x. Done.");
    expect(state.thinking).toBe("hmm");
    expect(state.progress).toMatchObject({ current: 1, total: 2, label: "Reading" });
    const tools = state.toolCallOrder.map((id) => state.toolCalls[id]);
    expect(tools).toHaveLength(1);
    expect(tools[0]).toMatchObject({ name: "search", args: { q: "x" }, status: "complete", result: ["hit"] });
  });

  it("pushes every yield in order before the handler finishes, and returns the return value", async () => {
    const store = createRunStore();
    const seen: string[] = [];
    store.subscribe(() => seen.push(store.getSnapshot().text));
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const promise = runToolHandler(
      async function* (args: { n: number }) {
        yield "Hello ";
        yield { type: "progress", step: "Fetching", current: 1, total: args.n };
        yield "world";
        await gate;
        return { ok: true };
      },
      { n: 3 },
      context(store),
    );
    await tick();
    const mid = store.getSnapshot();
    expect(mid.text).toBe("Hello world");
    expect(mid.progress).toMatchObject({ current: 1, total: 3, label: "Fetching" });
    expect(mid.done).toBe(false);
    release();
    await expect(promise).resolves.toEqual({ ok: true });
    const end = store.getSnapshot();
    expect(end.done).toBe(true);
    expect(end.result).toMatchObject({ output: { ok: true }, success: true });
    expect(seen).toContain("Hello ");
  });

  it("on abort: closes the generator (finally runs), marks the run interrupted, returns the interrupted result", async () => {
    const store = createRunStore();
    const controller = new AbortController();
    let finallyRan = false;
    const promise = runToolHandler(
      async function* (_args: unknown, { signal }: StreamingActionContext) {
        try {
          for (let i = 0; ; i++) {
            yield `t${i} `;
            await new Promise((resolve, reject) => {
              const id = setTimeout(resolve, 10);
              signal.addEventListener("abort", () => {
                clearTimeout(id);
                reject(new DOMException("aborted", "AbortError"));
              });
            });
          }
        } finally {
          finallyRan = true;
        }
      },
      {},
      context(store, controller.signal),
    );
    await tick(35);
    controller.abort();
    await expect(promise).resolves.toBe(INTERRUPTED_RESULT);
    await tick(5);
    expect(finallyRan).toBe(true);
    const state = store.getSnapshot();
    expect(state.status).toBe("interrupted");
    expect(state.interruption?.reason).toBe("stopped");
    expect(state.text.length).toBeGreaterThan(0);
  });

  it("on abort, a generator that ignores the signal is closed at its next yield", async () => {
    const store = createRunStore();
    const controller = new AbortController();
    let finallyRan = false;
    let yieldsAfterAbort = 0;
    const promise = runToolHandler(
      async function* () {
        try {
          for (;;) {
            await tick(10);
            if (controller.signal.aborted) yieldsAfterAbort++;
            yield "x";
          }
        } finally {
          finallyRan = true;
        }
      },
      {},
      context(store, controller.signal),
    );
    await tick(25);
    controller.abort();
    await expect(promise).resolves.toBe(INTERRUPTED_RESULT);
    await tick(30);
    expect(finallyRan).toBe(true);
    expect(yieldsAfterAbort).toBeLessThanOrEqual(1);
    expect(store.getSnapshot().status).toBe("interrupted");
  });

  it("a throw pushes an error chunk and rejects", async () => {
    const store = createRunStore();
    const promise = runToolHandler(
      async function* () {
        yield "partial";
        throw new Error("disk full");
      },
      {},
      context(store),
    );
    await expect(promise).rejects.toThrow("disk full");
    const state = store.getSnapshot();
    expect(state.status).toBe("error");
    expect(state.error?.message).toBe("disk full");
    expect(state.text).toBe("partial");
  });

  it("an invalid yield is an error, and the generator is closed", async () => {
    const store = createRunStore();
    let finallyRan = false;
    const promise = runToolHandler(
      async function* () {
        try {
          yield { type: "progress", step: "x", current: "one" } as never;
          yield "never";
        } finally {
          finallyRan = true;
        }
      },
      {},
      context(store),
    );
    await expect(promise).rejects.toThrow(/current/);
    await tick();
    expect(finallyRan).toBe(true);
    expect(store.getSnapshot().error?.message).toMatch(/current/);
  });

  it("plain async handlers are awaited and recorded", async () => {
    const store = createRunStore();
    await expect(
      runToolHandler(async (args: { a: number }) => args.a * 2, { a: 21 }, context(store)),
    ).resolves.toBe(42);
    expect(store.getSnapshot().result?.output).toBe(42);
    await expect(
      runToolHandler(
        async () => {
          throw new Error("nope");
        },
        {},
        context(store),
      ),
    ).rejects.toThrow("nope");
    expect(store.getSnapshot().error?.message).toBe("nope");
  });

  it("sync generators stream too", async () => {
    const store = createRunStore();
    const result = await runToolHandler(
      function* () {
        yield "a";
        yield "b";
        return "ab";
      },
      {},
      context(store),
    );
    expect(result).toBe("ab");
    expect(store.getSnapshot().text).toBe("ab");
  });

  it("does not start a handler whose signal is already aborted", async () => {
    const store = createRunStore();
    const controller = new AbortController();
    controller.abort();
    let ran = false;
    const result = await runToolHandler(
      async function* () {
        ran = true;
        yield "x";
      },
      {},
      context(store, controller.signal),
    );
    expect(result).toBe(INTERRUPTED_RESULT);
    expect(ran).toBe(false);
  });
});

describe("isAsyncGeneratorFunction", () => {
  it("tells async generator functions from other functions", () => {
    class Actions {
      async *method() {}
    }
    expect(isAsyncGeneratorFunction(async function* () {})).toBe(true);
    expect(isAsyncGeneratorFunction(new Actions().method)).toBe(true);
    expect(isAsyncGeneratorFunction(async () => 1)).toBe(false);
    expect(isAsyncGeneratorFunction(function* () {})).toBe(false);
    expect(isAsyncGeneratorFunction(() => ({ [Symbol.asyncIterator]() {} }))).toBe(false);
    expect(isAsyncGeneratorFunction(undefined)).toBe(false);
  });
});

describe("tool-call run registry", () => {
  it("gives the same store for a tool call id, created on first use", () => {
    const runs = createToolCallRuns();
    expect(runs.peek("a")).toBeUndefined();
    const store = runs.get("a");
    expect(runs.get("a")).toBe(store);
    expect(runs.peek("a")).toBe(store);
    expect(runs.get("b")).not.toBe(store);
    runs.clear();
    expect(runs.peek("a")).toBeUndefined();
  });

  it("belongs to its owner: two registries never share a tool call", () => {
    const one = createToolCallRuns();
    const two = createToolCallRuns();
    expect(one.get("same-id")).not.toBe(two.get("same-id"));
    const { signal, release } = one.link("same-id", undefined);
    expect(one.isRunning("same-id")).toBe(true);
    expect(two.isRunning("same-id")).toBe(false);
    expect(two.stop("same-id")).toBe(false);
    expect(one.stop("same-id")).toBe(true);
    expect(signal.aborted).toBe(true);
    release();
    expect(one.isRunning("same-id")).toBe(false);
  });
});
