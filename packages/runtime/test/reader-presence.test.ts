import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ReaderPresence, type ReaderPresenceOptions } from "../src/runner/reader-presence.js";

/** A presence whose stops are recorded; `remote` is the readers elsewhere (or a failure). */
function presence(options: Partial<ReaderPresenceOptions> = {}) {
  const stops: string[] = [];
  let ended = false;
  const p = new ReaderPresence({
    detachedRunMs: 1_000,
    ended: () => ended,
    stop: (reason) => {
      stops.push(reason);
      ended = true;
    },
    ...options,
  });
  return { p, stops, end: () => (ended = true) };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("ReaderPresence: the detached-run rule", () => {
  it("a run nobody reads is stopped after detachedRunMs ('no reader')", async () => {
    const { stops } = presence();
    await vi.advanceTimersByTimeAsync(999);
    expect(stops).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(stops).toEqual(["no reader"]);
  });

  it("a reader holds it; when the last reader leaves, the run has detachedRunMs for one to come back", async () => {
    const { p, stops } = presence();
    p.attach();
    p.attach();
    await vi.advanceTimersByTimeAsync(5_000);
    p.detach();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stops).toEqual([]); // one reader is still there
    p.detach();
    await vi.advanceTimersByTimeAsync(600);
    p.attach(); // came back in time
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stops).toEqual([]);
    p.detach();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(stops).toEqual(["no reader"]);
  });

  it("an ended run is never stopped, and cancel() drops the timer", async () => {
    const ended = presence();
    ended.end();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(ended.stops).toEqual([]);
    const cancelled = presence();
    cancelled.p.cancel();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(cancelled.stops).toEqual([]);
  });

  it("before its first reader a run gets the grace, even with detachedRunMs 0", async () => {
    const { p, stops } = presence({ detachedRunMs: 0, firstReaderGraceMs: 250 });
    await vi.advanceTimersByTimeAsync(249);
    expect(stops).toEqual([]);
    p.attach();
    p.detach();
    await flush();
    await vi.advanceTimersByTimeAsync(1);
    expect(stops).toEqual(["no reader"]); // after a reader, no grace
  });

  it("readers elsewhere count; a count that fails counts as a reader", async () => {
    let remote: () => Promise<number> = async () => 1;
    const { p, stops } = presence({ remoteReaders: () => remote() });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(stops).toEqual([]); // a remote reader at the timer's end
    remote = () => Promise.reject(new Error("Redis down"));
    await p.check();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stops).toEqual([]);
    remote = async () => 0;
    await p.check(); // the remote reader left
    await vi.advanceTimersByTimeAsync(1_000);
    expect(stops).toEqual(["no reader"]);
  });
});
