import { merge, type StreamChunk } from "@agentstream/core";
import { describe, expect, it } from "vitest";
import { defineAgent, GeneratorAgent, runAgentChunks } from "../src/index.js";
import { StreamRegistry } from "../src/runner.js";
import { runInput } from "./helpers.js";

async function chunksOf(def: Parameters<typeof runAgentChunks>[0], input = runInput("hi"), options = {}) {
  const out: StreamChunk[] = [];
  for await (const c of runAgentChunks(def, input, options)) out.push(c);
  return out;
}

describe("runAgentChunks", () => {
  it("strings become tokens, chunks are validated and numbered, the return value is the result", async () => {
    const def = defineAgent({
      name: "a",
      description: "",
      async *run(input) {
        yield { type: "status", status: "thinking" };
        yield "Hello ";
        yield { type: "token", text: input.prompt, seq: 99 };
        return { done: true };
      },
    });
    const chunks = await chunksOf(def);
    expect(chunks.map((c) => c.type)).toEqual(["status", "token", "token", "result"]);
    expect(chunks.map((c) => c.seq)).toEqual([0, 1, 2, 3]);
    expect(chunks[3]).toMatchObject({ type: "result", output: { done: true }, success: true });
  });

  it("without a return value the result is the text streamed", async () => {
    const def = defineAgent({
      name: "b",
      description: "",
      async *run() {
        yield "a";
        yield "b";
      },
    });
    const chunks = await chunksOf(def);
    expect(chunks.at(-1)).toMatchObject({ type: "result", output: "ab" });
  });

  it("a yielded result ends the run and the generator's finally runs", async () => {
    let cleaned = false;
    const def = defineAgent({
      name: "c",
      description: "",
      async *run() {
        try {
          yield { type: "result", output: 1, success: true };
          yield "never";
        } finally {
          cleaned = true;
        }
      },
    });
    const chunks = await chunksOf(def);
    expect(chunks.map((c) => c.type)).toEqual(["result"]);
    await Promise.resolve();
    expect(cleaned).toBe(true);
  });

  it("abort: interrupted with the partial text, finally runs, registry returns to 0", async () => {
    const registry = new StreamRegistry();
    let cleaned = false;
    const def = defineAgent({
      name: "d",
      description: "",
      async *run(_i, ctx) {
        try {
          for (;;) {
            yield "x";
            await ctx.sleep(5);
          }
        } finally {
          cleaned = true;
        }
      },
    });
    const controller = new AbortController();
    const chunks: StreamChunk[] = [];
    for await (const c of runAgentChunks(def, runInput("x"), { signal: controller.signal, registry })) {
      chunks.push(c);
      expect(registry.active).toBe(1);
      if (chunks.length === 3) controller.abort("stop now");
    }
    expect(chunks.at(-1)).toMatchObject({ type: "interrupted", reason: "stop now", partial: "xxx" });
    expect(await registry.idle(500)).toBe(true);
    expect(cleaned).toBe(true);
  });

  it("ctx.callTool emits the call and ends the run; an unknown tool is an error", async () => {
    const tools = [{ name: "pick", description: "Pick one", parameters: { type: "object", properties: {} } }];
    const def = defineAgent({
      name: "e",
      description: "",
      async *run(_i, ctx) {
        yield* ctx.callTool("pick", { n: 1 });
        yield "unreachable";
      },
    });
    const chunks = await chunksOf(def, runInput("x", { tools }));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ type: "tool_call", name: "pick", args: { n: 1 } });
    const missing = await chunksOf(def, runInput("x"));
    expect(missing[0]).toMatchObject({ type: "error", code: "AGENT_ERROR" });
    expect((missing[0] as { message: string }).message).toContain(
      'did not offer a frontend tool named "pick"',
    );
  });

  it("ctx.callTools emits every call of one turn and ends the run after the last; ctx.toolResults reads all the results", async () => {
    const schema = { type: "object", properties: {} };
    const tools = [
      { name: "left", description: "", parameters: schema },
      { name: "right", description: "", parameters: schema },
    ];
    const seen: unknown[] = [];
    const def = defineAgent({
      name: "pair",
      description: "",
      async *run(_i, ctx) {
        if (ctx.toolResults.length > 0) {
          seen.push(ctx.toolResults.map((r) => [r.name, r.value]));
          yield "done";
          return;
        }
        yield* ctx.callTools([
          { name: "left", args: { n: 1 } },
          { name: "right", args: { n: 2 } },
        ]);
        yield "unreachable";
      },
    });
    const chunks = await chunksOf(def, runInput("x", { tools }));
    expect(chunks).toHaveLength(2);
    expect(chunks[0]).toMatchObject({ type: "tool_call", name: "left", args: { n: 1 } });
    expect(chunks[1]).toMatchObject({ type: "tool_call", name: "right", args: { n: 2 } });
    const [a, b] = chunks as { id: string }[];
    expect(a?.id).not.toBe(b?.id);

    // The follow-up, as CopilotKit sends it: each result after the assistant message of its call.
    const call = (id: string | undefined, name: string, n: number) => ({
      id: `m_${name}`,
      role: "assistant" as const,
      toolCalls: [{ id: id ?? "", type: "function" as const, function: { name, arguments: `{"n":${n}}` } }],
    });
    const result = (id: string | undefined, content: string) => ({
      id: `r_${content}`,
      role: "tool" as const,
      toolCallId: id ?? "",
      content,
    });
    const base = runInput("x", { tools });
    const followUp = {
      ...base,
      messages: [
        ...base.messages,
        call(a?.id, "left", 1),
        result(a?.id, '{"ok":1}'),
        call(b?.id, "right", 2),
        result(b?.id, "plain"),
      ],
    };
    const after = await chunksOf(def, followUp);
    expect(after.at(-1)).toMatchObject({ type: "result", success: true });
    expect(seen).toEqual([
      [
        ["left", { ok: 1 }],
        ["right", "plain"],
      ],
    ]);

    const missing = defineAgent({
      name: "m",
      description: "",
      async *run(_i, ctx) {
        yield* ctx.callTools([{ name: "left" }, { name: "absent" }]);
      },
    });
    const failed = await chunksOf(missing, runInput("x", { tools }));
    expect(failed).toHaveLength(1); // checked before any call goes out
    expect((failed[0] as { message: string }).message).toContain(
      'did not offer a frontend tool named "absent"',
    );
  });

  it("ctx.run + merge: two agents in parallel, chunks tagged, a failing lane does not stop the other", async () => {
    const slow = defineAgent({
      name: "slow",
      description: "",
      async *run(_i, ctx) {
        for (const w of ["a", "b", "c"]) {
          await ctx.sleep(5);
          yield w;
        }
        return "slow done";
      },
    });
    const broken = defineAgent({
      name: "broken",
      description: "",
      async *run(_i, ctx) {
        yield "partial";
        await ctx.sleep(2);
        throw new Error("lane failed");
      },
    });
    const team = defineAgent({
      name: "team",
      description: "",
      async *run(_i, ctx) {
        yield* merge({ slow: ctx.run(slow), broken: ctx.run(broken) }, { signal: ctx.signal });
        return "team done";
      },
    });
    const chunks = await chunksOf(team);
    expect(new Set(chunks.filter((c) => c.type === "token").map((c) => c.agent))).toEqual(
      new Set(["slow", "broken"]),
    );
    expect(chunks.find((c) => c.type === "error")).toMatchObject({ agent: "broken", message: "lane failed" });
    expect(chunks.find((c) => c.type === "result" && c.agent === "slow")).toMatchObject({
      output: "slow done",
    });
    expect(chunks.at(-1)).toMatchObject({ type: "result", output: "team done" });
    expect(chunks.at(-1)?.agent).toBeUndefined();
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
  });
});

describe("GeneratorAgent", () => {
  const def = defineAgent({
    name: "g",
    description: "desc",
    async *run(input) {
      yield `hi ${input.prompt}`;
      return 42;
    },
  });

  it("works on CopilotKit-style per-request clones (Object.create, no field initialisers)", async () => {
    const agent = new GeneratorAgent(def);
    const copy = agent.clone();
    expect(Object.getPrototypeOf(copy)).toBe(GeneratorAgent.prototype);
    const input = runInput("there");
    copy.setMessages(input.messages);
    copy.threadId = input.threadId;
    const result = await copy.runAgent({ runId: input.runId });
    expect(result.result).toBe(42);
    expect(result.newMessages.map((m) => m.content)).toEqual(["hi there"]);
    expect(agent.description).toBe("desc");
  });

  it("abortRun() stops the run: the generator's finally runs and the run finishes", async () => {
    let cleaned = false;
    const ticking = defineAgent({
      name: "t",
      description: "",
      async *run(_i, ctx) {
        try {
          for (;;) {
            yield ".";
            await ctx.sleep(5);
          }
        } finally {
          cleaned = true;
        }
      },
    });
    const copy = new GeneratorAgent(ticking).clone();
    const types: string[] = [];
    const done = copy.runAgent({}, { onEvent: ({ event }) => void types.push(event.type) });
    await new Promise((r) => setTimeout(r, 30));
    copy.abortRun();
    await done;
    expect(cleaned).toBe(true);
    expect(types.at(-1)).toBe("RUN_FINISHED");
    expect(types).toContain("CUSTOM");
  });
});
