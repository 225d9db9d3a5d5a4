import type { BaseEvent } from "@ag-ui/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ChunkDecoder,
  createRunStore,
  decodeStoreInputs,
  encodeChunks,
  foldChunks,
  foldInputs,
  type RunLifecycleInput,
  RunReducer,
  type RunState,
  type RunStoreInput,
  type StreamChunk,
} from "../src/index.js";
import { chunkSequence } from "./arbitraries.js";
import { RunReducer as OracleReducer } from "./oracle/reducer-v0.js";

const RUNS = Number(process.env.FC_RUNS ?? 200);

/** Folds a lifecycle input into the old reducer, through the methods the old store called. */
function oracleApply(r: OracleReducer, input: RunStoreInput): void {
  if (input.type === "run_started") r.startRun(input.timestamp);
  else if (input.type === "tool_call_end") r.endToolCall(input.id);
  else if (input.type === "run_finished") r.finishRun(input.timestamp);
  else r.apply(input);
}

/** Which parts of `next` kept their identity from `prev` (segments, lanes, records): a structural fingerprint. */
function sharing(prev: RunState, next: RunState): boolean[] {
  const same: boolean[] = [];
  for (const k of Object.keys(next) as (keyof RunState)[]) same.push(Object.is(prev[k], next[k]));
  next.timeline.forEach((s, i) => {
    same.push(s === prev.timeline[i]);
  });
  next.lanes.forEach((l, i) => {
    same.push(l === prev.lanes[i]);
    l.timeline.forEach((s, j) => {
      same.push(s === prev.lanes[i]?.timeline[j]);
    });
  });
  for (const id of next.toolCallOrder) same.push(next.toolCalls[id] === prev.toolCalls[id]);
  return same;
}

const lifecycle: fc.Arbitrary<RunLifecycleInput> = fc.oneof(
  fc.record({ type: fc.constant("run_started" as const), timestamp: fc.nat(10) }),
  fc.record({ type: fc.constant("tool_call_end" as const), id: fc.constantFrom("t1", "t2", "t3", "") }),
  fc.record({ type: fc.constant("run_finished" as const), timestamp: fc.nat(10) }),
);

type Step = { input: RunStoreInput } | { reset: true };

/** Chunk streams (multi-agent, every chunk type) with lifecycle inputs and resets mixed in. */
const inputStream: fc.Arbitrary<{ steps: Step[]; snapAt: boolean[] }> = fc
  .tuple(
    chunkSequence,
    fc.array(
      fc.tuple(fc.nat(40), fc.oneof({ weight: 6, arbitrary: lifecycle }, fc.constant("reset" as const))),
      {
        maxLength: 6,
      },
    ),
    fc.array(fc.boolean(), { minLength: 50, maxLength: 50 }),
  )
  .map(([chunks, extra, snapAt]) => {
    const steps: Step[] = chunks.map((c) => ({ input: c }));
    for (const [pos, x] of extra)
      steps.splice(Math.min(pos, steps.length), 0, x === "reset" ? { reset: true } : { input: x });
    return { steps, snapAt };
  });

describe("the reducer keeps each text delta once per scope", () => {
  it("every snapshot equals the old reducer's (values and which parts keep their identity)", () => {
    fc.assert(
      fc.property(inputStream, ({ steps, snapAt }) => {
        const now = new RunReducer();
        const old = new OracleReducer();
        let prevNew = now.snapshot();
        let prevOld = old.snapshot();
        steps.forEach((step, i) => {
          if ("reset" in step) {
            now.reset();
            old.reset();
          } else {
            now.apply(step.input);
            oracleApply(old, step.input);
          }
          expect(now.version).toBe(old.version);
          expect(now.isDone).toBe(old.isDone);
          // snapshots at random points: the lazy joins must not depend on when they are read
          if (snapAt[i % snapAt.length] === true || i === steps.length - 1) {
            const a = now.snapshot();
            const b = old.snapshot();
            expect(a).toStrictEqual(b);
            expect(JSON.stringify(a)).toBe(JSON.stringify(b));
            expect(sharing(prevNew, a)).toEqual(sharing(prevOld, b));
            expect(now.snapshot()).toBe(a);
            prevNew = a;
            prevOld = b;
          }
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("long interleaved multi-agent streams: run and lane text equal the old reducer's", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom("token" as const, "thinking" as const, "tool_call" as const),
            fc.constantFrom(undefined, "a", "b"),
            fc.string({ maxLength: 3 }),
            fc.boolean(),
          ),
          { maxLength: 300 },
        ),
        (spec) => {
          const now = new RunReducer();
          const old = new OracleReducer();
          spec.forEach(([type, agent, text, snap], seq) => {
            const base = { seq, timestamp: 1000 + seq, ...(agent === undefined ? {} : { agent }) };
            const c: StreamChunk =
              type === "tool_call" ? { type, id: `t${seq}`, name: "f", ...base } : { type, text, ...base };
            now.apply(c);
            old.apply(c);
            if (snap) expect(now.snapshot()).toStrictEqual(old.snapshot());
          });
          expect(now.snapshot()).toStrictEqual(old.snapshot());
        },
      ),
      { numRuns: 100 },
    );
  });
});

/** The old store's pushEvent: decode a chunk, then call the reducer's lifecycle methods by event type. */
function oraclePushEvent(r: OracleReducer, dec: ChunkDecoder, event: BaseEvent, now: () => number): void {
  const chunk = dec.decodeOne(event);
  if (chunk !== undefined) r.apply(chunk);
  const at = typeof event?.timestamp === "number" ? event.timestamp : now();
  switch (event?.type) {
    case "RUN_STARTED":
      r.startRun(at);
      break;
    case "TOOL_CALL_END":
      r.endToolCall(String((event as { toolCallId?: unknown }).toolCallId ?? ""));
      break;
    case "RUN_FINISHED":
      r.finishRun(at);
      break;
  }
}

const opts = { threadId: "thread", runId: "run", now: () => 1 };

/**
 * Event streams: the round-trip generator's chunks encoded by the ChunkEncoder, maybe stripped of
 * the envelope (read as a foreign agent's), maybe without timestamps, with extra lifecycle events
 * (repeated, early, for unknown calls) and malformed events mixed in.
 */
const eventStream: fc.Arbitrary<BaseEvent[]> = fc
  .tuple(
    chunkSequence,
    fc.boolean(),
    fc.boolean(),
    fc.array(
      fc.tuple(
        fc.nat(80),
        fc.oneof(
          fc.constant({ type: "RUN_STARTED", threadId: "thread", runId: "run" }),
          fc.record({ type: fc.constant("TOOL_CALL_END"), toolCallId: fc.constantFrom("t1", "t2", "t3") }),
          fc.constant({ type: "TOOL_CALL_END" }),
          fc.constant({ type: "RUN_FINISHED", threadId: "thread", runId: "run", timestamp: 9 }),
          fc.constant({ type: "RUN_FINISHED", threadId: "thread", runId: "run", result: "r" }),
          fc.constant({ type: "TEXT_MESSAGE_CONTENT", messageId: "m", delta: "x" }),
          fc.constant(null),
          fc.constant({ type: 5 }),
        ),
      ),
      { maxLength: 6 },
    ),
  )
  .map(([chunks, foreign, noTimestamps, extra]) => {
    const events = encodeChunks(chunks, opts).map((e) => {
      const copy: Record<string, unknown> = { ...e };
      if (foreign) delete copy.metadata;
      if (noTimestamps) delete copy.timestamp;
      return copy as unknown as BaseEvent;
    });
    for (const [pos, ev] of extra) events.splice(Math.min(pos, events.length), 0, ev as unknown as BaseEvent);
    return events;
  });

describe("one input type for the store", () => {
  it("pushEvent of each event equals folding that event's decodeInputs, step by step and at the end", () => {
    fc.assert(
      fc.property(eventStream, (events) => {
        const now = () => 7;
        const store = createRunStore({ now });
        const dec = new ChunkDecoder({ now });
        const reducer = new RunReducer();
        for (const ev of events) {
          const inputs = dec.decodeInputs(ev);
          for (const input of inputs) reducer.apply(input);
          const chunk = store.pushEvent(ev);
          // the returned chunk is the decoded one; lifecycle inputs follow it
          const chunks = inputs.filter(
            (x): x is StreamChunk => !x.type.startsWith("run_") && x.type !== "tool_call_end",
          );
          expect(chunk).toStrictEqual(chunks[0]);
          expect(inputs.length).toBeLessThanOrEqual(2);
          expect(store.getSnapshot()).toStrictEqual(reducer.snapshot());
        }
        expect(foldInputs(decodeStoreInputs(events, { now }))).toStrictEqual(store.getSnapshot());
      }),
      { numRuns: RUNS },
    );
  });

  it("pushEvent reaches the same state as the old store's pushEvent (decode, then lifecycle calls)", () => {
    fc.assert(
      fc.property(eventStream, (events) => {
        const now = () => 7;
        const store = createRunStore({ now });
        const dec = new ChunkDecoder({ now });
        const old = new OracleReducer();
        for (const ev of events) {
          store.pushEvent(ev);
          oraclePushEvent(old, dec, ev, now);
        }
        expect(store.getSnapshot()).toStrictEqual(old.snapshot());
      }),
      { numRuns: RUNS },
    );
  });

  it("foldChunks is foldInputs of chunks; lifecycle inputs through push notify only when they change the state", () => {
    const chunks: StreamChunk[] = [
      { type: "tool_call", id: "t", name: "f", argsDelta: "{", seq: 0, timestamp: 1 },
      { type: "token", text: "a", seq: 1, timestamp: 2 },
    ];
    expect(foldChunks(chunks)).toStrictEqual(foldInputs(chunks));
    const store = createRunStore();
    let calls = 0;
    store.subscribe(() => calls++);
    store.push({ type: "run_started", timestamp: 1 });
    store.push({ type: "run_started", timestamp: 2 }); // already started: no change
    expect(calls).toBe(1);
    store.push(chunks[0] as StreamChunk);
    expect(store.getSnapshot().toolCalls.t?.status).toBe("streaming");
    store.push({ type: "tool_call_end", id: "t" });
    expect(store.getSnapshot().toolCalls.t?.status).toBe("called");
    store.push({ type: "tool_call_end", id: "t" }); // no longer streaming: no change
    expect(calls).toBe(3);
    store.pushMany([{ type: "run_finished", timestamp: 5 }]);
    expect(store.getSnapshot()).toMatchObject({ status: "completed", done: true });
    expect(calls).toBe(4);
  });
});
