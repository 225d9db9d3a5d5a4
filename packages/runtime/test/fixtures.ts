import { defineAgent } from "../src/index.js";

/** Observations the test agents record. */
export const probe = {
  finallyAt: new Map<string, number>(),
  produced: new Map<string, number>(),
  reset() {
    this.finallyAt.clear();
    this.produced.clear();
  },
};

/** Ticks until stopped; records when its finally block ran (by run id). */
export const forever = defineAgent({
  name: "forever",
  description: "Ticks until stopped.",
  async *run(input, ctx) {
    try {
      yield { type: "status", status: "acting" };
      for (let i = 0; i < 100_000; i++) {
        yield `tick${i} `;
        probe.produced.set(input.runId, i + 1);
        await ctx.sleep(10);
      }
    } finally {
      probe.finallyAt.set(input.runId, performance.now());
    }
  },
});

/** Streams some text, then throws. */
export const thrower = defineAgent({
  name: "thrower",
  description: "Fails half way.",
  async *run(_input, ctx) {
    yield "partial ";
    await ctx.sleep(5);
    yield "text ";
    throw new Error("boom: the tool exploded");
  },
});

/** Yields a malformed chunk. */
export const invalid = defineAgent({
  name: "invalid",
  description: "Yields a progress chunk whose `current` is not a number.",
  async *run() {
    yield "ok ";
    yield { type: "progress", step: "loading", current: "half" } as never;
    yield "never sent";
  },
});

/** Yields large tokens as fast as it is asked (backpressure test). */
export const firehose = defineAgent({
  name: "firehose",
  description: "Large tokens, no pace.",
  async *run(input) {
    const block = "x".repeat(4096);
    try {
      for (let i = 0; i < 20_000; i++) {
        probe.produced.set(input.runId, i + 1);
        yield block;
      }
    } finally {
      probe.finallyAt.set(input.runId, performance.now());
    }
  },
});

/** Counts to five, slowly; records when each number was produced. */
export const counter = defineAgent({
  name: "counter",
  description: "Counts to five, slowly.",
  async *run(input, ctx) {
    yield { type: "status", status: "started" };
    for (let i = 1; i <= 5; i++) {
      await ctx.sleep(25);
      probe.produced.set(input.runId, performance.now());
      yield `${i} `;
    }
    return { counted: 5, prompt: input.prompt };
  },
});

export const testAgents = [counter, forever, thrower, invalid, firehose];

/**
 * A deterministic stand-in for a research agent: status, progress, thinking, a tool call and its
 * result, then about a hundred paced tokens of an answer built from the prompt.
 */
export const essay = defineAgent({
  name: "essay",
  description: "Streams a paced answer with progress and a tool call.",
  async *run(input, ctx) {
    yield { type: "status", status: "started" };
    yield { type: "thinking", text: `Looking into: ${input.prompt}` };
    yield { type: "progress", step: "Search", current: 0, total: 2 };
    yield { type: "tool_call", id: `search_${input.runId}`, name: "search", args: { query: input.prompt } };
    await ctx.pace();
    yield {
      type: "tool_result",
      id: `search_${input.runId}`,
      name: "search",
      result: { hits: 3 },
      success: true,
    };
    yield { type: "progress", step: "Write", current: 1, total: 2 };
    yield { type: "status", status: "acting", iteration: 1 };
    const words = `Here is an answer about ${input.prompt} `.split(" ");
    for (let i = 0; i < 100; i++) {
      await ctx.pace();
      yield `${words[i % words.length]} `;
    }
    yield { type: "progress", step: "Write", current: 2, total: 2 };
    yield { type: "status", status: "completed" };
    return { words: 100 };
  },
});
