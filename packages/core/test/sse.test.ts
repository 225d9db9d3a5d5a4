import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  encodeChunks,
  encodeSseComment,
  encodeSseFrame,
  parseSse,
  readAgUiEvents,
  type SseMessage,
} from "../src/index.js";

async function* pieces(...parts: (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  for (const p of parts) yield p;
}
async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
const enc = new TextEncoder();

describe("encodeSseFrame / encodeSseComment", () => {
  it("writes id, event and JSON data lines", () => {
    expect(encodeSseFrame({ a: 1 }, 7)).toBe('id: 7\ndata: {"a":1}\n\n');
    expect(encodeSseFrame("x", "k", "message")).toBe("id: k\nevent: message\ndata: x\n\n");
    expect(encodeSseFrame("a\nb\r\nc")).toBe("data: a\ndata: b\ndata: c\n\n");
    expect(encodeSseComment("ping")).toBe(": ping\n\n");
    expect(() => encodeSseFrame(1, "a\nb")).toThrow(/line break/);
  });
});

describe("parseSse", () => {
  it("parses frames split across reads, several per read, CRLF, comments", async () => {
    const msgs = await all(
      parseSse(
        pieces(
          "id: 1\nda",
          'ta: {"a"',
          ":1}\n",
          "\n: heartbeat\n\nid: 2\r\nevent: x\r\ndata: l1\r\ndata: l2\r\n\r\ndata: 3\n\ndata: 4\n\n",
        ),
      ),
    );
    expect(msgs).toEqual([
      { id: "1", data: '{"a":1}' },
      { id: "2", event: "x", data: "l1\nl2" },
      { data: "3" }, // `id` is the frame's own id field (not the stream's last event id)
      { data: "4" },
    ]);
  });

  it("reads a ReadableStream of bytes, with multi-byte characters split between reads", async () => {
    const bytes = enc.encode("data: héllo €\n\n");
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 3) c.enqueue(bytes.slice(i, i + 3));
        c.close();
      },
    });
    expect(await all(parseSse(stream))).toEqual([{ data: "héllo €" }]);
  });

  it("delivers a final frame without its blank line", async () => {
    expect(await all(parseSse(pieces("data: a\n\ndata: b")))).toEqual([{ data: "a" }, { data: "b" }]);
  });

  it("stops when aborted and cancels the stream", async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(enc.encode("data: 1\n\n"));
      },
      cancel() {
        cancelled = true;
      },
    });
    const ac = new AbortController();
    const out: SseMessage[] = [];
    for await (const m of parseSse(stream, { signal: ac.signal })) {
      out.push(m);
      ac.abort();
    }
    expect(out).toEqual([{ data: "1" }]);
    expect(cancelled).toBe(true);
  });

  it("reads fields as the event stream interpretation does: lone CR, CR and LF split, BOM, NUL ids", async () => {
    const msgs = await all(
      parseSse(
        pieces(
          "\uFEFFdata: a\r", // the LF of this CRLF arrives with the next read: one line end
          "\ndata\r\r", // `data` without a colon is an empty data line; lone CRs end lines
          "id: 7\0\nevent:\ndata:b\n\n", // an id holding NUL is ignored; `event:` empty is none
          "id: 8\nretry: 100\nfoo: bar\n\n", // no data: nothing is dispatched
          "data:  two spaces\n\n",
        ),
      ),
    );
    expect(msgs).toEqual([{ data: "a\n" }, { data: "b" }, { data: " two spaces" }]);
  });

  it("yields the same messages however the bytes are split (property)", async () => {
    const frame = fc
      .record({
        id: fc.option(fc.stringMatching(/^[a-z0-9]{1,4}$/), { nil: undefined }),
        event: fc.option(fc.stringMatching(/^[a-z]{1,5}$/), { nil: undefined }),
        data: fc
          .string({ maxLength: 20, unit: "binary" })
          .map((s) => s.replace(/[\r\n]/g, " ").replaceAll(String.fromCharCode(0), " ")),
      })
      .map((f) => ({ ...f, comment: false }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(frame, fc.constant({ comment: true, id: undefined, event: undefined, data: "" })), {
          maxLength: 10,
        }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (frames, crlf, cuts) => {
          let text = frames
            .map((f) => (f.comment ? encodeSseComment("keep-alive") : encodeSseFrame(f.data, f.id, f.event)))
            .join("");
          if (crlf) text = text.replace(/\n/g, "\r\n");
          const bytes = enc.encode(text);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const parts: Uint8Array[] = [];
          let prev = 0;
          for (const p of points) {
            parts.push(bytes.slice(prev, p));
            prev = p;
          }
          parts.push(bytes.slice(prev));
          const whole = await all(parseSse(pieces(bytes)));
          const split = await all(parseSse(pieces(...parts)));
          expect(split).toEqual(whole);
          const expected = frames
            .filter((f) => !f.comment)
            .map((f) => {
              const m: SseMessage = { data: f.data };
              if (f.id !== undefined) m.id = f.id;
              if (f.event !== undefined) m.event = f.event;
              return m;
            });
          expect(whole).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("readAgUiEvents", () => {
  it("reads back encoded AG-UI events", async () => {
    const events = encodeChunks([{ type: "token", text: "hi", seq: 0, timestamp: 1 }], {
      threadId: "t",
      runId: "r",
      now: () => 0,
    });
    const wire = events.map((e, i) => encodeSseFrame(e, i)).join(encodeSseComment("hb"));
    expect(await all(readAgUiEvents(pieces(wire)))).toEqual(JSON.parse(JSON.stringify(events)));
  });
});
