import { describe, expect, it } from "vitest";
import { ChunkValidationError, toChunk, validateChunk } from "../src/index.js";

function errorOf(fn: () => unknown): ChunkValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ChunkValidationError);
    return e as ChunkValidationError;
  }
  throw new Error("expected a ChunkValidationError");
}

describe("toChunk", () => {
  it("turns a string into a token chunk with seq = index and timestamp = now", () => {
    expect(toChunk("hi", 4, 123)).toStrictEqual({ type: "token", text: "hi", seq: 4, timestamp: 123 });
  });

  it("fills seq and timestamp of an object and keeps given ones", () => {
    expect(toChunk({ type: "status", status: "acting" }, 2, 99)).toStrictEqual({
      type: "status",
      status: "acting",
      seq: 2,
      timestamp: 99,
    });
    expect(toChunk({ type: "token", text: "x", seq: 7, timestamp: 5 }, 2, 99)).toMatchObject({
      seq: 7,
      timestamp: 5,
    });
  });

  it("uses Date.now() when no timestamp is given", () => {
    const before = Date.now();
    const c = toChunk("x", 0);
    expect(c.timestamp).toBeGreaterThanOrEqual(before);
    expect(c.timestamp).toBeLessThanOrEqual(Date.now());
  });

  it("keeps only the model's fields and leaves undefined optionals out", () => {
    const c = toChunk({ type: "progress", step: "a", current: 1, total: undefined, junk: 1 }, 0, 1);
    expect(c).toStrictEqual({ type: "progress", step: "a", current: 1, seq: 0, timestamp: 1 });
  });

  it("names index, type and field in the error", () => {
    const e = errorOf(() => toChunk({ type: "progress", step: "a", current: "1" }, 3, 0));
    expect(e.message).toBe('chunk 3 (progress): `current` must be a finite number, got the string "1"');
    expect(e.index).toBe(3);
    expect(e.chunkType).toBe("progress");
    expect(e.field).toBe("current");
  });

  it.each([
    [{ type: "token" }, "token", "text"],
    [{ type: "thinking", text: 3 }, "thinking", "text"],
    [{ type: "status", status: "sleeping" }, "status", "status"],
    [{ type: "status", status: "acting", iteration: "2" }, "status", "iteration"],
    [{ type: "progress", step: "a", current: Number.NaN }, "progress", "current"],
    [{ type: "progress", step: "a", current: 1, total: -1 }, "progress", "total"],
    [{ type: "progress", current: 1 }, "progress", "step"],
    [{ type: "tool_call", id: 5, name: "x" }, "tool_call", "id"],
    [{ type: "tool_call", id: "", name: "x" }, "tool_call", "id"],
    [{ type: "tool_call", id: "a", name: "x", args: [1] }, "tool_call", "args"],
    [{ type: "tool_call", id: "a", name: "x", argsDelta: 1 }, "tool_call", "argsDelta"],
    [{ type: "tool_result", id: "a", result: 1, success: "yes" }, "tool_result", "success"],
    [{ type: "result", output: 1, success: "yes" }, "result", "success"],
    [{ type: "error" }, "error", "message"],
    [{ type: "error", message: "x", recoverable: 1 }, "error", "recoverable"],
    [{ type: "interrupted", reason: 5 }, "interrupted", "reason"],
    [{ type: "token", text: "x", agent: 5 }, "token", "agent"],
    [{ type: "token", text: "x", metadata: [] }, "token", "metadata"],
    [{ type: "token", text: "x", seq: -1 }, "token", "seq"],
    [{ type: "token", text: "x", timestamp: Infinity }, "token", "timestamp"],
  ])("rejects %j (type %s, field %s)", (value, type, field) => {
    const e = errorOf(() => toChunk(value, 1, 0));
    expect(e.chunkType).toBe(type);
    expect(e.field).toBe(field);
    expect(e.message).toContain(`chunk 1 (${type}): \`${field}\``);
  });

  it("rejects unknown types and non-objects", () => {
    const e = errorOf(() => toChunk({ type: "bogus" }, 0, 0));
    expect(e.field).toBe("type");
    expect(e.message).toMatch(/^chunk 0 \(bogus\): `type` must be one of token, thinking/);
    expect(e.message).toContain('got the string "bogus"');
    const n = errorOf(() => toChunk(42, 9, 0));
    expect(n.chunkType).toBeUndefined();
    expect(n.message).toBe("chunk 9: must be a string or an object, got the number 42");
    expect(errorOf(() => toChunk({ text: "x" }, 0, 0)).field).toBe("type");
    expect(errorOf(() => toChunk(null, 0, 0)).message).toContain("got null");
  });

  it("accepts every valid chunk type", () => {
    const inputs = [
      { type: "token", text: "" },
      { type: "thinking", text: "t" },
      { type: "status", status: "observing", iteration: 2 },
      { type: "progress", step: "", current: 0, total: 0, message: "m" },
      { type: "tool_call", id: "a", name: "", argsDelta: "{", args: { a: 1 } },
      { type: "tool_result", id: "a", name: "n", result: undefined, success: false },
      { type: "result", output: { x: [1] }, success: true, duration: 5 },
      { type: "error", message: "m", code: "c", recoverable: true },
      { type: "interrupted", reason: "user", partial: "p" },
    ];
    for (const [i, v] of inputs.entries()) {
      expect(toChunk({ ...v, agent: "a", metadata: { k: 1 } }, i, 1)).toMatchObject({ ...v, seq: i });
    }
  });
});

describe("validateChunk", () => {
  it("requires the envelope", () => {
    expect(errorOf(() => validateChunk({ type: "token", text: "x" }, 0)).field).toBe("seq");
    expect(errorOf(() => validateChunk({ type: "token", text: "x", seq: 0 }, 0)).field).toBe("timestamp");
    expect(validateChunk({ type: "token", text: "x", seq: 0, timestamp: 1 }, 0)).toStrictEqual({
      type: "token",
      text: "x",
      seq: 0,
      timestamp: 1,
    });
  });

  it("rejects strings (only toChunk turns them into tokens)", () => {
    expect(errorOf(() => validateChunk("x", 2)).message).toBe(
      'chunk 2: must be an object, got the string "x"',
    );
  });
});
