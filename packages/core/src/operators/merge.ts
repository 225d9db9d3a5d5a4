/**
 * `merge`: several agents' streams interleaved as their chunks arrive.
 *
 * @packageDocumentation
 */
import type { StreamChunk } from "../chunk.js";
import { closeIterator } from "./util.js";

/** Options of {@link merge}. */
export interface MergeOptions {
  /** Stop promptly when aborted (every source's `return()` is called). */
  signal?: AbortSignal;
  /** Clock for the error chunks made from failing sources. Default `Date.now`. */
  now?: () => number;
}

/** The sources of {@link merge}: agent name → stream, or a list of `{ agent, stream }`. */
export type MergeSources =
  | Record<string, AsyncIterable<StreamChunk>>
  | ReadonlyArray<{ agent: string; stream: AsyncIterable<StreamChunk> }>;

/**
 * Interleaves several agents' streams in arrival order. Every chunk is tagged with its agent
 * (a chunk that already names an agent keeps it) and renumbered (`seq` 0, 1, 2… in the
 * merged stream). A slow source never blocks the others. A source that throws becomes an
 * `error` chunk (`code: "agent_failed"`, for that agent) and the others go on.
 */
export async function* merge(sources: MergeSources, options: MergeOptions = {}): AsyncGenerator<StreamChunk> {
  const list = Array.isArray(sources)
    ? (sources as ReadonlyArray<{ agent: string; stream: AsyncIterable<StreamChunk> }>)
    : Object.entries(sources as Record<string, AsyncIterable<StreamChunk>>).map(([agent, stream]) => ({
        agent,
        stream,
      }));
  const now = options.now ?? Date.now;
  const signal = options.signal;
  type Step = { i: number; r: IteratorResult<StreamChunk> } | { i: number; error: unknown };
  const its = list.map((s) => s.stream[Symbol.asyncIterator]());
  const live = new Set<number>(its.map((_, i) => i));
  // Sources whose next() is running. Settled steps wait in `ready`; one waiter is woken per
  // step, so no promise collects a reaction per chunk however long one source stays slow.
  const inFlight = new Set<number>();
  const ready: Step[] = [];
  let wake: (() => void) | undefined;
  const onAbort = (): void => wake?.();
  signal?.addEventListener("abort", onAbort, { once: true });
  const pull = (i: number): void => {
    inFlight.add(i);
    (its[i] as AsyncIterator<StreamChunk>).next().then(
      (r) => {
        ready.push({ i, r });
        wake?.();
      },
      (error: unknown) => {
        ready.push({ i, error });
        wake?.();
      },
    );
  };
  let seq = 0;
  try {
    for (const i of live) pull(i);
    while (live.size > 0) {
      if (signal?.aborted) return;
      const step = ready.shift();
      if (step === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
        continue;
      }
      inFlight.delete(step.i);
      const agent = (list[step.i] as { agent: string }).agent;
      if ("error" in step) {
        live.delete(step.i);
        const e = step.error;
        yield {
          type: "error",
          message: e instanceof Error ? e.message : String(e),
          code: "agent_failed",
          recoverable: false,
          agent,
          seq: seq++,
          timestamp: now(),
        };
        continue;
      }
      if (step.r.done) {
        live.delete(step.i);
        continue;
      }
      const c = step.r.value;
      pull(step.i);
      yield { ...c, agent: c.agent ?? agent, seq: seq++ };
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await Promise.all(
      [...live].map((i) => closeIterator(its[i] as AsyncIterator<StreamChunk>, inFlight.has(i))),
    );
  }
}
