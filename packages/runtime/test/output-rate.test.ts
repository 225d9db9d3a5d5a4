import type { BaseEvent } from "@ag-ui/core";
import { expect, it } from "vitest";
import { defineAgent, serverOptionsFromEnv } from "../src/index.js";
import { OutputRate } from "../src/runner/output-rate.js";
import { actAsOneClient } from "./client-fetch.js";
import { outputRateCases } from "./output-rate-cases.js";

/** One client: every fetch keeps the session cookie of the threads it creates. */
actAsOneClient();

outputRateCases("memory");

it("eventsPerSecond: AGENTSTREAM_EVENTS_PER_SECOND, and a rate that is not positive is refused where it is set", () => {
  expect(serverOptionsFromEnv({ AGENTSTREAM_EVENTS_PER_SECOND: "25" }).eventsPerSecond).toBe(25);
  expect(serverOptionsFromEnv({}).eventsPerSecond).toBeUndefined();
  expect(() => serverOptionsFromEnv({ AGENTSTREAM_EVENTS_PER_SECOND: "0" })).toThrow(
    /AGENTSTREAM_EVENTS_PER_SECOND must be an integer >= 1/,
  );
  const run = async function* () {};
  expect(() => defineAgent({ name: "a", description: "", run, eventsPerSecond: -1 })).toThrow(
    /defineAgent\(a\): eventsPerSecond must be a positive number/,
  );
  expect(defineAgent({ name: "a", description: "", run, eventsPerSecond: 5 }).eventsPerSecond).toBe(5);
});

it("OutputRate (unit): beyond the bucket a delta is held, merges only with deltas of its message, and goes before the next event", () => {
  const logged: BaseEvent[] = [];
  const rate = new OutputRate(
    1,
    (event) => logged.push(event),
    () => {},
  );
  const delta = (messageId: string, text: string, extra: Record<string, unknown> = {}) =>
    ({ type: "TEXT_MESSAGE_CONTENT", messageId, delta: text, ...extra }) as BaseEvent;
  const take = (event: BaseEvent) => {
    if (!rate.take(event)) logged.push(event);
  };
  take({ type: "RUN_STARTED" } as BaseEvent); // the bucket's one event
  take(delta("a", "x"));
  take(delta("a", "y"));
  take(delta("b", "z")); // another message: a's merged delta goes first, b's waits
  take(delta("b", "w", { metadata: { note: 1 } })); // its own metadata: never merged
  take({ type: "CUSTOM", name: "n", value: 1 } as BaseEvent);
  rate.close();
  expect(logged.map((e) => [e.type, (e as { delta?: string }).delta])).toEqual([
    ["RUN_STARTED", undefined],
    ["TEXT_MESSAGE_CONTENT", "xy"],
    ["TEXT_MESSAGE_CONTENT", "z"],
    ["TEXT_MESSAGE_CONTENT", "w"],
    ["CUSTOM", undefined],
  ]);
  expect(rate.coalesced).toBe(1);
});
