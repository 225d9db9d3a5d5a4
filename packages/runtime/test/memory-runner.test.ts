import { describe, expect, it } from "vitest";
import { defineAgent, executorFor, GeneratorAgent, MemoryRunner } from "../src/index.js";
import { runInput } from "./helpers.js";
import { runnerConformance } from "./runner-conformance.js";

runnerConformance("memory", async (options) => {
  const runner = new MemoryRunner(options);
  return { runner, close: () => runner.close() };
});

const quick = defineAgent({
  name: "quick",
  description: "test",
  async *run() {
    yield "a ";
    yield "b ";
  },
});

async function runOnce(runner: MemoryRunner, threadId?: string) {
  const input = runInput("x", threadId ? { threadId } : {});
  await runner.start({
    threadId: input.threadId,
    agentId: "quick",
    input,
    execute: executorFor(new GeneratorAgent(quick), input),
  });
  await runner.settled(input.threadId);
  return input.threadId;
}

describe("MemoryRunner", () => {
  it("evicts the least recently used finished threads beyond maxThreads", async () => {
    const runner = new MemoryRunner({ maxThreads: 2 });
    const a = await runOnce(runner);
    const b = await runOnce(runner);
    await runner.thread(a); // thread() does not count as use; read does
    for await (const _ of runner.read({ threadId: a })) {
      // touch a
    }
    const c = await runOnce(runner);
    expect(runner.threadCount).toBe(2);
    expect(await runner.thread(b)).toBeUndefined();
    expect(await runner.thread(a)).toBeDefined();
    expect(await runner.thread(c)).toBeDefined();
  });

  it("evicts finished threads beyond maxTotalBytes, never a running one", async () => {
    const runner = new MemoryRunner({ maxTotalBytes: 1 });
    const a = await runOnce(runner);
    const b = await runOnce(runner);
    expect(await runner.thread(a)).toBeUndefined();
    expect(await runner.thread(b)).toBeDefined();
    expect(runner.retainedBytes).toBeGreaterThan(0);
  });

  it("keeps the compacted history of a thread within maxThreadBytes (newest runs kept)", async () => {
    const runner = new MemoryRunner({ maxThreadBytes: 3_000 });
    const t = await runOnce(runner);
    for (let i = 0; i < 20; i++) await runOnce(runner, t);
    const history = await runner.history(t);
    expect(JSON.stringify(history).length).toBeLessThanOrEqual(3_000);
    expect(history.filter((e) => e.type === "RUN_STARTED").length).toBeGreaterThan(0);
  });
});
