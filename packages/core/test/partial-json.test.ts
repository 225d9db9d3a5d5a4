import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePartialArgs, parsePartialJson } from "../src/internal.js";

describe("parsePartialJson", () => {
  it.each([
    ['{"a": 1, "b', { a: 1 }],
    ['{"a": "hel', { a: "hel" }],
    ['{"a": tr', {}],
    ['{"a": 12', { a: 12 }],
    ['{"a": 1,', { a: 1 }],
    ['{"a": [1, 2', { a: [1, 2] }],
    ['{"a":', {}],
    ['{"a": {"b": [true, nul', { a: { b: [true] } }],
    ['{"q": "line\\nbreak \\u00e9', { q: "line\nbreak é" }],
    ['{"q": "cut \\', { q: "cut " }],
    ['{"n": -', {}],
    ['{"n": 1.', {}],
    ['{"n": 1e', {}],
  ])("reads %s as far as it goes", (text, expected) => {
    expect(parsePartialJson(text)).toEqual(expected);
  });

  it("rejects malformed text, not just incomplete text", () => {
    expect(() => parsePartialJson('{"a" 1}')).toThrow(SyntaxError);
    expect(() => parsePartialJson("{oops}")).toThrow(SyntaxError);
    expect(() => parsePartialJson("")).toThrow(SyntaxError);
  });

  it("keeps the previous arguments when the text turns malformed", () => {
    expect(parsePartialArgs('{"a": 1} x', { a: 0 })).toEqual({ a: 1 });
    expect(parsePartialArgs("{ x", { a: 0 })).toEqual({ a: 0 });
  });

  it("agrees with JSON.parse on every complete document, and never throws on any prefix of one", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(parsePartialJson(text)).toEqual(JSON.parse(text));
        for (let cut = 1; cut < text.length; cut++) {
          try {
            parsePartialJson(text.slice(0, cut));
          } catch (error) {
            expect((error as Error).message).toMatch(/no value yet/);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
