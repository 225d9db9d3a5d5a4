import fc from "fast-check";
import { AGENT_STATUSES, type StreamChunk } from "../src/index.js";

type Body = Record<string, unknown> & { type: StreamChunk["type"] };

// Normalized through JSON (e.g. -0 becomes 0): chunk payloads are JSON values on the wire.
const json = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const key = fc.string({ maxLength: 4 }).filter((k) => k !== "__proto__");
const obj = fc.dictionary(key, json, { maxKeys: 3, noNullPrototype: true });
const text = fc.string({ maxLength: 8 });
const agentArb = fc.option(fc.constantFrom("a", "b", "c"), { nil: undefined });
const toolId = fc.constantFrom("t1", "t2", "t3");

/** A non-terminal chunk, or a terminal one of an agent (which ends only that agent's lane). */
const bodyChunk: fc.Arbitrary<Body> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ type: fc.constant("token" as const), text }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("thinking" as const), text }) },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        type: fc.constant("status" as const),
        status: fc.constantFrom(...AGENT_STATUSES),
        iteration: fc.nat(5),
      },
      { requiredKeys: ["type", "status"] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        type: fc.constant("progress" as const),
        step: fc.constantFrom("", "Search", "Read", "Write", "a: Search"),
        current: fc.nat(4),
        total: fc.nat(4),
        message: text,
      },
      { requiredKeys: ["type", "step", "current"] },
    ),
  },
  {
    weight: 3,
    arbitrary: fc.record(
      {
        type: fc.constant("tool_call" as const),
        id: toolId,
        name: fc.constantFrom("", "search", "fetch"),
        argsDelta: text,
        args: obj,
      },
      { requiredKeys: ["type", "id", "name"] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        type: fc.constant("tool_result" as const),
        id: toolId,
        name: fc.constantFrom("search", "fetch"),
        result: fc.oneof(text, json, fc.constant(undefined)),
        success: fc.boolean(),
      },
      { requiredKeys: ["type", "id", "result", "success"] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        type: fc.constant("ask" as const),
        id: fc.constantFrom("ask_1", "ask_2"),
        prompt: text,
        choices: fc.array(fc.record({ label: text, value: json }, { noNullPrototype: true }), {
          maxLength: 3,
        }),
        schema: obj,
        state: fc.constantFrom(
          "open" as const,
          "answered" as const,
          "expired" as const,
          "cancelled" as const,
        ),
        value: json,
      },
      { requiredKeys: ["type", "id", "prompt", "state"] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      { type: fc.constant("error" as const), message: text, code: text, recoverable: fc.constant(true) },
      { requiredKeys: ["type", "message", "recoverable"] },
    ),
  },
);

/** Terminal chunks; with an agent they end a lane, without one the run. */
const terminalChunk: fc.Arbitrary<Body> = fc.oneof(
  fc.record(
    { type: fc.constant("result" as const), output: json, success: fc.boolean(), duration: fc.nat(1000) },
    { requiredKeys: ["type", "output", "success"] },
  ),
  fc.record(
    { type: fc.constant("error" as const), message: text, code: text, recoverable: fc.constant(false) },
    { requiredKeys: ["type", "message"] },
  ),
  fc.record(
    { type: fc.constant("interrupted" as const), reason: text, partial: text },
    { requiredKeys: ["type", "reason"] },
  ),
);

const withEnvelope = fc.record({ agent: agentArb, metadata: obj }, { requiredKeys: [] });

/** A valid chunk sequence: body chunks (some multi-agent, some agent-terminal), maybe a run-level terminal chunk last. */
export const chunkSequence: fc.Arbitrary<StreamChunk[]> = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.oneof(
          { weight: 12, arbitrary: bodyChunk },
          { weight: 1, arbitrary: terminalChunk.map((c) => ({ ...c, agent: "b" })) },
        ),
        withEnvelope,
        fc.nat(3),
      ),
      { maxLength: 40 },
    ),
    fc.option(terminalChunk, { nil: undefined }),
  )
  .map(([body, last]) => {
    let ts = 1_700_000_000_000;
    const chunks: StreamChunk[] = body.map(([c, env, dt], seq) => {
      ts += dt;
      const chunk: Record<string, unknown> = { ...c, seq, timestamp: ts };
      if (env.agent !== undefined && chunk.agent === undefined) chunk.agent = env.agent;
      if (env.metadata !== undefined) chunk.metadata = env.metadata;
      return chunk as unknown as StreamChunk;
    });
    if (last !== undefined)
      chunks.push({ ...last, seq: chunks.length, timestamp: ts + 1 } as unknown as StreamChunk);
    return chunks;
  });

/** A token stream of one agent (no other chunk types), for chunking-independence properties. */
export const tokenTexts = fc.array(fc.string({ maxLength: 12, unit: "grapheme" }), { maxLength: 30 });
