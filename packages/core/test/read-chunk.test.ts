import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCanonicalChunk, validateChunk } from "../src/index.js";
import { chunkSequence } from "./arbitraries.js";

/** What validateChunk makes of a value: the chunk (with its key order) or "throws". */
function strict(value: unknown): { chunk: unknown; keys: string } | "throws" {
  try {
    const chunk = validateChunk(value, 0);
    return { chunk, keys: Object.keys(chunk).join(",") };
  } catch {
    return "throws";
  }
}

function fast(value: unknown): { chunk: unknown; keys: string } | "throws" {
  const chunk = readCanonicalChunk(value);
  return chunk === undefined ? "throws" : { chunk, keys: Object.keys(chunk).join(",") };
}

const FIELDS = [
  ...["type", "seq", "timestamp", "agent", "metadata", "text", "status", "iteration", "step", "current"],
  ...["total", "message", "id", "name", "argsDelta", "args", "result", "success", "output", "duration"],
  ...["code", "recoverable", "reason", "partial", "prompt", "state", "choices", "schema", "value", "extra"],
];
/** Values that are right for some field and wrong for others. */
const VALUES: unknown[] = [
  ...[
    "",
    "x",
    "acting",
    "open",
    "token",
    "ask",
    0,
    -1,
    2.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    true,
    null,
  ],
  ...[undefined, {}, [], [{ label: "A", value: 1 }], ["A"], [{ label: 1, value: 1 }]],
];
const askChunk = fc.record(
  {
    type: fc.constant("ask"),
    id: fc.constantFrom("q1", ""),
    prompt: fc.string({ maxLength: 3 }),
    state: fc.constantFrom("open", "answered", "expired", "cancelled", "closed"),
    choices: fc.array(
      fc.record({ label: fc.string({ maxLength: 2 }), value: fc.jsonValue({ maxDepth: 1 }) }),
    ),
    schema: fc.constantFrom({ type: "string" }, undefined),
    value: fc.jsonValue({ maxDepth: 1 }),
    seq: fc.nat(3),
    timestamp: fc.nat(),
  },
  { requiredKeys: ["type", "id", "prompt", "state", "seq", "timestamp"] },
);

describe("readCanonicalChunk", () => {
  it("accepts exactly what validateChunk accepts and returns the same chunk, key order included (property)", () => {
    // Each generated chunk as it is, and with each field set to each value in turn.
    fc.assert(
      fc.property(chunkSequence, askChunk, (chunks, ask) => {
        for (const c of [...chunks.slice(0, 12), ask]) {
          expect(fast(c)).toEqual(strict(c));
          for (const field of FIELDS)
            for (const v of VALUES) {
              const value = { ...c, [field]: v };
              expect(fast(value)).toEqual(strict(value));
            }
        }
      }),
      { numRuns: 30 },
    );
  });

  it("refuses what is not a chunk object", () => {
    for (const value of [null, undefined, "token", 3, [], { type: "nope", seq: 0, timestamp: 0 }])
      expect(readCanonicalChunk(value)).toBeUndefined();
  });
});
