import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChunkDecoder, createRunStore, decodeEvents, encodeChunks, foldChunks } from "../src/index.js";
import { chunkSequence } from "./arbitraries.js";
import { verify } from "./helpers.js";

const opts = { threadId: "thread", runId: "run", now: () => 1 };

describe("AG-UI mapping properties", () => {
  it("decode(encode(x)) deep-equals x, and every encoded stream passes @ag-ui/client's verifier", async () => {
    await fc.assert(
      fc.asyncProperty(
        chunkSequence,
        fc.constantFrom("outcome" as const, "custom" as const),
        async (chunks, interruptAs) => {
          const events = encodeChunks(chunks, { ...opts, interruptAs });
          await verify(events);
          expect(decodeEvents(events)).toStrictEqual(chunks);
          // and over the wire (JSON), too
          const wire = JSON.parse(JSON.stringify(events)) as typeof events;
          expect(decodeEvents(wire)).toEqual(JSON.parse(JSON.stringify(chunks)));
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });

  it("a store fed the events ends in the same text, tools and progress as a store fed the chunks", () => {
    fc.assert(
      fc.property(chunkSequence, (chunks) => {
        const fromChunks = foldChunks(chunks);
        const store = createRunStore({ now: () => 1 });
        for (const e of encodeChunks(chunks, opts)) store.pushEvent(e);
        const fromEvents = store.getSnapshot();
        expect(fromEvents.text).toBe(fromChunks.text);
        expect(fromEvents.thinking).toBe(fromChunks.thinking);
        expect(fromEvents.toolCallOrder).toEqual(fromChunks.toolCallOrder);
        for (const id of fromChunks.toolCallOrder) {
          expect(fromEvents.toolCalls[id]?.argsText).toBe(fromChunks.toolCalls[id]?.argsText);
          expect(fromEvents.toolCalls[id]?.result).toEqual(fromChunks.toolCalls[id]?.result);
        }
        // the event stream always ends the run, which closes an open thinking segment (endedAt)
        // ... and cancels the questions still open
        const open = (t: typeof fromChunks.timeline) =>
          t.map((s) =>
            s.kind === "thinking"
              ? { ...s, endedAt: undefined }
              : s.kind === "ask" && s.ask.state === "cancelled"
                ? { ...s, ask: { ...s.ask, state: "open" } }
                : s,
          );
        expect(open(fromEvents.timeline)).toEqual(open(fromChunks.timeline));
        expect(fromEvents.lanes.map((l) => l.text)).toEqual(fromChunks.lanes.map((l) => l.text));
        expect(fromEvents.result).toEqual(fromChunks.result);
        expect(fromEvents.error).toEqual(fromChunks.error);
        expect(fromEvents.done).toBe(true); // the encoded stream always ends the run
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 200) },
    );
  });

  it("decoding is incremental: one decoder fed event by event equals decodeEvents", () => {
    fc.assert(
      fc.property(chunkSequence, (chunks) => {
        const events = encodeChunks(chunks, opts);
        const dec = new ChunkDecoder();
        expect(events.flatMap((e) => dec.decode(e))).toStrictEqual(decodeEvents(events));
      }),
      { numRuns: 100 },
    );
  });
});
