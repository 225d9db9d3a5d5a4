import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  boundedQueue,
  coalesce,
  collect,
  createRunStore,
  merge,
  QueueClosedError,
  retry,
  type StreamChunk,
  StreamTimeoutError,
  timeout,
} from "../src/index.js";

const tok = (text: string, seq: number, agent?: string): StreamChunk =>
  agent === undefined
    ? { type: "token", text, seq, timestamp: seq }
    : { type: "token", text, agent, seq, timestamp: seq };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function* from(chunks: StreamChunk[], delay = 0): AsyncGenerator<StreamChunk> {
  for (const c of chunks) {
    if (delay > 0) await sleep(delay);
    yield c;
  }
}
async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
/**
 * A generator that records whether its finally block ran. After its chunks it hangs in a long
 * await (`tail` ms): a generator suspended in an await runs its finally only once that await ends.
 */
function tracked(chunks: StreamChunk[], delay: number, tail = 10_000) {
  const state = { finallyRan: false, yielded: 0 };
  async function* gen(): AsyncGenerator<StreamChunk> {
    try {
      for (const c of chunks) {
        await sleep(delay);
        state.yielded++;
        yield c;
      }
      await sleep(tail);
    } finally {
      state.finallyRan = true;
    }
  }
  return { state, gen: gen() };
}
/** A stream that fails before its first chunk. */
function failing(error: Error): AsyncIterable<StreamChunk> {
  return {
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }),
  };
}
const texts = (cs: StreamChunk[]) =>
  cs.map((c) => (c.type === "token" || c.type === "thinking" ? c.text : `<${c.type}>`));

describe("coalesce", () => {
  it("merges consecutive tokens up to minChars and keeps order around other chunks", async () => {
    const src: StreamChunk[] = [
      tok("ab", 0),
      tok("cd", 1),
      tok("ef", 2),
      { type: "status", status: "acting", seq: 3, timestamp: 3 },
      tok("g", 4),
    ];
    const out = await all(coalesce(from(src), { minChars: 4, flushInterval: Infinity }));
    expect(texts(out)).toEqual(["abcd", "ef", "<status>", "g"]);
    expect(out.map((c) => c.seq)).toEqual([0, 1, 2, 3]);
    expect(out[0]?.timestamp).toBe(0);
  });

  it("does not merge across agents or kinds, nor chunks with metadata", async () => {
    const src: StreamChunk[] = [
      tok("a", 0, "x"),
      tok("b", 1, "y"),
      { type: "thinking", text: "t", seq: 2, timestamp: 2 },
      { type: "thinking", text: "u", seq: 3, timestamp: 3 },
      { type: "token", text: "m", metadata: { k: 1 }, seq: 4, timestamp: 4 },
    ];
    const out = await all(coalesce(from(src), { minChars: 100 }));
    expect(out.map((c) => [c.type, texts([c])[0], c.agent])).toEqual([
      ["token", "a", "x"],
      ["token", "b", "y"],
      ["thinking", "tu", undefined],
      ["token", "m", undefined],
    ]);
    expect(out[3]?.metadata).toEqual({ k: 1 });
  });

  it("splits text longer than maxChars", async () => {
    const out = await all(coalesce(from([tok("abcdefgh", 0), tok("ij", 1)]), { minChars: 1, maxChars: 3 }));
    expect(texts(out)).toEqual(["abc", "def", "gh", "ij"]);
  });

  it("flushes held text after flushInterval even when the source is quiet", async () => {
    const it = coalesce(
      (async function* () {
        yield tok("a", 0);
        await sleep(200);
        yield tok("b", 1);
      })(),
      { minChars: 100, flushInterval: 20 },
    )[Symbol.asyncIterator]();
    const t0 = Date.now();
    const first = await it.next();
    expect(first.value).toMatchObject({ text: "a" });
    expect(Date.now() - t0).toBeLessThan(150);
    expect((await it.next()).value).toMatchObject({ text: "b" });
  });

  it("keeps the text and the folded state whatever the settings (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 30 }),
        fc.nat(10),
        fc.integer({ min: 1, max: 12 }),
        async (pieces, min, max) => {
          const src = pieces.map((p, i) => tok(p, i));
          const out = await all(
            coalesce(from(src), { minChars: min, maxChars: max, flushInterval: Infinity }),
          );
          expect(out.every((c) => c.type === "token" && c.text.length <= max)).toBe(true);
          const a = createRunStore();
          a.pushMany(src);
          const b = createRunStore();
          b.pushMany(out);
          expect(b.getSnapshot().text).toBe(a.getSnapshot().text);
          expect(b.getSnapshot().timeline).toEqual(a.getSnapshot().timeline);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("stops on abort and calls the source's return() (finally runs)", async () => {
    const { state, gen } = tracked([tok("a", 0), tok("b", 1), tok("c", 2)], 5);
    const ac = new AbortController();
    const got: StreamChunk[] = [];
    for await (const c of coalesce(gen, { minChars: 1, signal: ac.signal })) {
      got.push(c);
      ac.abort();
    }
    expect(texts(got)).toEqual(["a"]);
    await sleep(30);
    expect(state.finallyRan).toBe(true);
    expect(state.yielded).toBeLessThan(3);
  });
});

describe("merge", () => {
  it("interleaves by arrival, tags agents and renumbers seq", async () => {
    // The slow source yields only once the fast one has finished: the order is by arrival, not by
    // timers (which a loaded machine can reorder).
    let fastDone!: () => void;
    const fastFinished = new Promise<void>((resolve) => {
      fastDone = resolve;
    });
    const fast = (async function* () {
      try {
        yield* from([tok("f1", 0), tok("f2", 1), tok("f3", 2)], 1);
      } finally {
        fastDone();
      }
    })();
    const slow = (async function* () {
      await fastFinished;
      await sleep(5);
      yield tok("s1", 0);
    })();
    const out = await all(merge({ fast, slow }));
    expect(out.map((c) => `${c.agent}:${texts([c])[0]}`)).toEqual([
      "fast:f1",
      "fast:f2",
      "fast:f3",
      "slow:s1",
    ]);
    expect(out.map((c) => c.seq)).toEqual([0, 1, 2, 3]);
  });

  it("a slow stream never blocks the others", async () => {
    const blocked = (async function* (): AsyncGenerator<StreamChunk> {
      await new Promise(() => {}); // never yields
    })();
    const ac = new AbortController();
    const got: string[] = [];
    const t0 = Date.now();
    for await (const c of merge(
      [
        { agent: "stuck", stream: blocked },
        { agent: "ok", stream: from([tok("a", 0), tok("b", 1)], 2) },
      ],
      { signal: ac.signal },
    )) {
      got.push(texts([c])[0] as string);
      if (got.length === 2) ac.abort();
    }
    expect(got).toEqual(["a", "b"]);
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it("turns a failing source into an error chunk for its agent; the others go on", async () => {
    const failing = (async function* (): AsyncGenerator<StreamChunk> {
      yield tok("x", 0);
      await sleep(5);
      throw new Error("model down");
    })();
    const out = await all(
      merge({ bad: failing, good: from([tok("g1", 0), tok("g2", 1)], 15) }, { now: () => 42 }),
    );
    expect(out.find((c) => c.type === "error")).toEqual({
      type: "error",
      message: "model down",
      code: "agent_failed",
      recoverable: false,
      agent: "bad",
      seq: 1,
      timestamp: 42,
    });
    expect(out.filter((c) => c.agent === "good").map((c) => texts([c])[0])).toEqual(["g1", "g2"]);
    // the merged run is not ended by one agent's failure
    const store = createRunStore();
    store.pushMany(out);
    expect(store.getSnapshot().done).toBe(false);
    expect(store.getSnapshot().lanes.find((l) => l.agent === "bad")?.status).toBe("error");
  });

  it("calls every source's return() when the consumer stops or aborts", async () => {
    const a = tracked([tok("a", 0), tok("a", 1)], 5);
    const b = tracked([tok("b", 0), tok("b", 1)], 7);
    for await (const _ of merge({ a: a.gen, b: b.gen })) break;
    await sleep(30);
    expect(a.state.finallyRan && b.state.finallyRan).toBe(true);

    const c = tracked([tok("c", 0)], 5, 200);
    const ac = new AbortController();
    const t0 = Date.now();
    const p = all(merge({ c: c.gen }, { signal: ac.signal }));
    await sleep(10);
    ac.abort();
    expect(await p).toHaveLength(1);
    expect(Date.now() - t0).toBeLessThan(150); // merge stopped at once, without waiting for the source's await
    await sleep(250);
    expect(c.state.finallyRan).toBe(true);
  });
});

describe("timeout", () => {
  it("passes chunks, then emits an error chunk with code timeout and ends", async () => {
    const { state, gen } = tracked([tok("a", 0)], 1);
    const out = await all(timeout(gen, 30, { now: () => 9 }));
    expect(out).toEqual([
      tok("a", 0),
      {
        type: "error",
        message: "no chunk for 30 ms",
        code: "timeout",
        recoverable: false,
        seq: 1,
        timestamp: 9,
      },
    ]);
    await sleep(10);
    expect(state.finallyRan).toBe(false); // the source is stuck in a 10 s sleep: return() is queued behind it
    const collected = await collect(out);
    expect(collected.error).toEqual({ message: "no chunk for 30 ms", code: "timeout", recoverable: false });
  });

  it('mode "throw" throws a StreamTimeoutError', async () => {
    const { gen } = tracked([], 1);
    await expect(all(timeout(gen, 20, { mode: "throw" }))).rejects.toBeInstanceOf(StreamTimeoutError);
  });

  it("does not fire while chunks keep coming", async () => {
    expect(await all(timeout(from([tok("a", 0), tok("b", 1), tok("c", 2)], 10), 60))).toHaveLength(3);
  });

  it("stops on abort and calls return()", async () => {
    const { state, gen } = tracked([tok("a", 0), tok("b", 1)], 5);
    const ac = new AbortController();
    const got: StreamChunk[] = [];
    for await (const c of timeout(gen, 1000, { signal: ac.signal })) {
      got.push(c);
      ac.abort();
    }
    expect(got).toHaveLength(1);
    await sleep(20);
    expect(state.finallyRan).toBe(true);
  });
});

describe("retry", () => {
  it("re-runs the factory when it fails before the first chunk, with backoff", async () => {
    const attempts: number[] = [];
    const out = await all(
      retry(
        async function* (n) {
          attempts.push(n);
          if (n < 3) throw new Error(`fail ${n}`);
          yield tok("ok", 0);
        },
        { attempts: 3, backoff: { initial: 5 } },
      ),
    );
    expect(attempts).toEqual([1, 2, 3]);
    expect(texts(out)).toEqual(["ok"]);
  });

  it("gives up after the last attempt with the last error", async () => {
    await expect(
      all(retry((n) => failing(new Error(`fail ${n}`)), { attempts: 2, backoff: () => 1 })),
    ).rejects.toThrow("fail 2");
  });

  it("does not retry once a chunk was produced, nor when retryIf says no", async () => {
    let calls = 0;
    await expect(
      all(
        retry(async function* () {
          calls++;
          yield tok("a", 0);
          throw new Error("mid-stream");
        }),
      ),
    ).rejects.toThrow("mid-stream");
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      all(
        retry(
          () => {
            calls++;
            return failing(new Error("fatal"));
          },
          { retryIf: () => false },
        ),
      ),
    ).rejects.toThrow("fatal");
    expect(calls).toBe(1);
  });

  it("stops during backoff when aborted", async () => {
    const ac = new AbortController();
    let calls = 0;
    const p = all(
      retry(
        () => {
          calls++;
          return failing(new Error("x"));
        },
        { attempts: 5, backoff: () => 10_000, signal: ac.signal },
      ),
    );
    await sleep(10);
    ac.abort();
    expect(await p).toEqual([]);
    expect(calls).toBe(1);
  });

  it("calls the attempt's return() when the consumer stops", async () => {
    const { state, gen } = tracked([tok("a", 0), tok("b", 1)], 1);
    for await (const _ of retry(() => gen)) break;
    expect(state.finallyRan).toBe(true);
  });
});

describe("boundedQueue", () => {
  it("blocks a fast producer while full and releases it when the consumer reads", async () => {
    const q = boundedQueue<number>(2);
    let produced = 0;
    const producer = (async () => {
      for (let i = 0; i < 5; i++) {
        await q.push(i);
        produced++;
      }
      q.close();
    })();
    await sleep(10);
    expect(produced).toBe(2); // the third push is pending: the queue is full
    expect(q.size).toBe(2);
    const it = q[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ value: 0, done: false });
    await sleep(0);
    expect(produced).toBe(3);
    const rest: number[] = [];
    for await (const x of { [Symbol.asyncIterator]: () => it }) rest.push(x);
    await producer;
    expect(rest).toEqual([1, 2, 3, 4]);
    expect(produced).toBe(5);
  });

  it("push resolves only when there is room (the pending promise is observable)", async () => {
    const q = boundedQueue<string>(1);
    await q.push("a");
    let resolved = false;
    const p = q.push("b").then(() => {
      resolved = true;
    });
    await sleep(5);
    expect(resolved).toBe(false);
    const it = q[Symbol.asyncIterator]();
    await it.next();
    await p;
    expect(resolved).toBe(true);
  });

  it("hands items straight to a waiting consumer", async () => {
    const q = boundedQueue<number>(1);
    const it = q[Symbol.asyncIterator]();
    const next = it.next();
    await q.push(7);
    expect(await next).toEqual({ value: 7, done: false });
  });

  it("close() drains then ends; later pushes reject", async () => {
    const q = boundedQueue<number>(3);
    await q.push(1);
    await q.push(2);
    q.close();
    await expect(q.push(3)).rejects.toBeInstanceOf(QueueClosedError);
    expect(await all(q)).toEqual([1, 2]);
  });

  it("fail() rejects the consumer after the queued items and rejects waiting producers", async () => {
    const q = boundedQueue<number>(1);
    await q.push(1);
    const waiting = q.push(2);
    q.fail(new Error("upstream broke"));
    await expect(waiting).rejects.toThrow("upstream broke");
    const it = q[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ value: 1, done: false });
    await expect(it.next()).rejects.toThrow("upstream broke");
  });

  it("when the consumer stops, waiting producers are rejected", async () => {
    const q = boundedQueue<number>(1);
    await q.push(1);
    const second = q.push(2);
    const third = q.push(3);
    for await (const _ of q) break; // reading 1 admits 2; then the consumer stops
    await expect(second).resolves.toBeUndefined();
    await expect(third).rejects.toBeInstanceOf(QueueClosedError);
    expect(q.closed).toBe(true);
  });

  it("rejects a bad capacity", () => {
    expect(() => boundedQueue(0)).toThrow(RangeError);
  });
});

describe("collect", () => {
  it("sums up text, counts, duration and outcome", async () => {
    const r = await collect(
      from([
        tok("Hel", 0),
        { type: "thinking", text: "x", seq: 1, timestamp: 10 },
        tok("lo", 2),
        { type: "error", message: "soft", recoverable: true, seq: 3, timestamp: 20 },
        { type: "result", output: "Hello", success: true, duration: 30, seq: 4, timestamp: 30 },
      ]),
    );
    expect(r).toEqual({
      text: "Hello",
      duration: 30,
      chunkCount: 5,
      tokenCount: 2,
      result: { output: "Hello", success: true, duration: 30 },
    });
  });

  it("reports errors and interruptions, and works on sync iterables", async () => {
    expect(
      await collect([tok("a", 0), { type: "error", message: "bad", code: "E", seq: 1, timestamp: 4 }]),
    ).toEqual({
      text: "a",
      duration: 4,
      chunkCount: 2,
      tokenCount: 1,
      error: { message: "bad", code: "E" },
    });
    expect(
      (await collect([{ type: "interrupted", reason: "user", partial: "a", seq: 0, timestamp: 3 }]))
        .interrupted,
    ).toEqual({
      reason: "user",
      partial: "a",
      at: 3,
    });
    expect(await collect([])).toEqual({ text: "", duration: 0, chunkCount: 0, tokenCount: 0 });
  });

  it("stops when aborted", async () => {
    const { state, gen } = tracked([tok("a", 0), tok("b", 1), tok("c", 2)], 5);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 8);
    const r = await collect(gen, { signal: ac.signal });
    expect(r.chunkCount).toBeLessThan(3);
    await sleep(20); // return() runs once the generator's pending await is over
    expect(state.finallyRan).toBe(true);
  });

  it("stops at once when aborted while the source hangs", async () => {
    const hanging = (async function* (): AsyncGenerator<StreamChunk> {
      yield tok("a", 0);
      await new Promise(() => {});
    })();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 10);
    expect(await collect(hanging, { signal: ac.signal })).toMatchObject({ text: "a", chunkCount: 1 });
  });
});

describe("coalesce when the source fails", () => {
  it("emits the text it was holding before rethrowing the error", async () => {
    async function* failing(): AsyncGenerator<StreamChunk> {
      yield { type: "token", text: "kept ", seq: 0, timestamp: 0 };
      yield { type: "token", text: "text", seq: 1, timestamp: 1 };
      throw new Error("source broke");
    }
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const c of coalesce(failing(), { minChars: 1000, flushInterval: 10_000 })) {
          if (c.type === "token") seen.push(c.text);
        }
      })(),
    ).rejects.toThrow("source broke");
    expect(seen.join("")).toBe("kept text");
  });
});
