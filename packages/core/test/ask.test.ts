import { describe, expect, it } from "vitest";
import {
  checkAnswer,
  decodeEvents,
  encodeChunks,
  foldChunks,
  type StreamChunk,
  toChunk,
} from "../src/index.js";
import { parseAnswerText } from "../src/internal.js";

describe("ask chunks", () => {
  it("normalises string choices, `question`, a missing id and state", () => {
    const chunk = toChunk(
      { type: "ask", question: "Publish 3 sections?", choices: ["Publish", "Cancel"] },
      0,
      1,
    );
    expect(chunk).toMatchObject({
      type: "ask",
      prompt: "Publish 3 sections?",
      state: "open",
      choices: [
        { label: "Publish", value: "Publish" },
        { label: "Cancel", value: "Cancel" },
      ],
    });
    expect(chunk.type === "ask" && chunk.id.startsWith("ask_")).toBe(true);
  });

  it("rejects a bad state and bad choices, naming the field", () => {
    expect(() => toChunk({ type: "ask", id: "a", prompt: "?", state: "maybe" }, 2)).toThrow(
      /chunk 2 \(ask\): `state` must be one of open, answered, expired, cancelled/,
    );
    expect(() => toChunk({ type: "ask", id: "a", prompt: "?", choices: [{ nope: 1 }] }, 0)).toThrow(
      /`choices`/,
    );
  });

  it("is an agentstream.ask ACTIVITY_SNAPSHOT per question, replaced when answered, and decodes back", () => {
    const chunks: StreamChunk[] = [
      {
        type: "ask",
        id: "q1",
        prompt: "Which column?",
        choices: [{ label: "a", value: "a" }],
        state: "open",
        seq: 0,
        timestamp: 1,
      },
      {
        type: "ask",
        id: "q1",
        prompt: "Which column?",
        choices: [{ label: "a", value: "a" }],
        state: "answered",
        value: "a",
        seq: 1,
        timestamp: 2,
      },
    ];
    const events = encodeChunks(chunks, { threadId: "t", runId: "r" });
    const snaps = events.filter((e) => e.type === "ACTIVITY_SNAPSHOT") as unknown as Array<
      Record<string, unknown>
    >;
    expect(snaps.map((e) => [e.messageId, e.activityType, (e.content as { state: string }).state])).toEqual([
      ["r:ask:q1", "agentstream.ask", "open"],
      ["r:ask:q1", "agentstream.ask", "answered"],
    ]);
    expect(decodeEvents(events)).toEqual(chunks);
    const state = foldChunks(chunks);
    expect(state.askOrder).toEqual(["q1"]);
    expect(state.asks.q1).toMatchObject({ state: "answered", value: "a" });
    expect(state.timeline.filter((s) => s.kind === "ask")).toHaveLength(1);
  });

  it("cancels a question still open when the run ends", () => {
    const state = foldChunks([
      { type: "ask", id: "q", prompt: "?", state: "open", seq: 0, timestamp: 1 },
      { type: "interrupted", reason: "stopped", seq: 1, timestamp: 2 },
    ]);
    expect(state.asks.q?.state).toBe("cancelled");
  });
});

describe("checkAnswer", () => {
  const choices = [
    { label: "Publish", value: "Publish" },
    { label: "Cancel", value: "Cancel" },
  ];
  it("accepts one of the choices and names the allowed values otherwise", () => {
    expect(checkAnswer({ choices }, "Publish")).toBeUndefined();
    expect(checkAnswer({ choices }, "Later")).toBe(
      'value must be one of "Publish", "Cancel", got the string "Later"',
    );
    expect(checkAnswer({ choices }, undefined)).toBe("value is missing");
  });
  it("checks free input against the schema (default: a string)", () => {
    expect(checkAnswer({}, "anything")).toBeUndefined();
    expect(checkAnswer({}, 3)).toBe("value must be a string, got the number 3");
    const schema = { type: "integer", minimum: 1, maximum: 10 };
    expect(checkAnswer({ schema }, 5)).toBeUndefined();
    expect(checkAnswer({ schema }, 11)).toBe("value must be at most 10");
    expect(checkAnswer({ schema }, 1.5)).toBe("value must be an integer, got the number 1.5");
    expect(checkAnswer({ schema: { type: "string", minLength: 1 } }, "")).toBe("value must not be empty");
    const obj = { type: "object", required: ["name"], properties: { name: { type: "string" } } };
    expect(checkAnswer({ schema: obj }, {})).toBe("value.name is missing");
  });
  it("parses typed text by the schema's type", () => {
    expect(parseAnswerText({ schema: { type: "number" } }, " 42 ")).toBe(42);
    expect(parseAnswerText({ schema: { type: "boolean" } }, "True")).toBe(true);
    expect(parseAnswerText({}, "42")).toBe("42");
  });
});
