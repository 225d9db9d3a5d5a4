/**
 * `coalesce`: merges consecutive token (and thinking) chunks of the same agent into bigger
 * chunks, so a UI re-renders per chunk of text rather than per model token.
 *
 * @packageDocumentation
 */
import type { StreamChunk } from "../chunk.js";
import { ABORTED, closeIterator, raceAbort, timer } from "./util.js";

/** Options of {@link coalesce}. */
export interface CoalesceOptions {
  /** Hold merged text until it has at least this many characters (default 32). */
  minChars?: number;
  /** Never emit a chunk longer than this; longer text is split (default: no limit). */
  maxChars?: number;
  /** Emit held text at the latest this many ms after its first piece arrived (default 50; `Infinity`: never by time). */
  flushInterval?: number;
  /** Stop promptly when aborted (the source's `return()` is called). */
  signal?: AbortSignal;
}

interface Held {
  type: "token" | "thinking";
  agent: string | undefined;
  timestamp: number;
  parts: string[];
  length: number;
  since: number;
}

const FLUSH: unique symbol = Symbol("flush");

function splitPoint(text: string, max: number): number {
  // Do not cut a surrogate pair in two.
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff && max > 1 ? max - 1 : max;
}

/**
 * Merges consecutive `token` chunks (and, separately, `thinking` chunks) of the same agent.
 * Chunks with `metadata` and all other chunks pass through unchanged (held text is emitted
 * first, so order is kept). The merged chunk takes the timestamp of its first piece. Sequence
 * numbers are renumbered 0, 1, 2… in the output.
 */
export async function* coalesce(
  source: AsyncIterable<StreamChunk>,
  options: CoalesceOptions = {},
): AsyncGenerator<StreamChunk> {
  const minChars = options.minChars ?? 32;
  const maxChars = options.maxChars ?? Infinity;
  const flushInterval = options.flushInterval ?? 50;
  if (!(maxChars >= 1)) throw new RangeError("maxChars must be >= 1");
  const it = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<StreamChunk>> | undefined;
  let held: Held | undefined;
  let seq = 0;
  let finished = false;

  function* emit(h: Held, all: boolean): Generator<StreamChunk> {
    let text = h.parts.length === 1 ? (h.parts[0] as string) : h.parts.join("");
    while (text.length > maxChars || (all && text.length > 0)) {
      const cut = text.length > maxChars ? splitPoint(text, maxChars) : text.length;
      const chunk: StreamChunk = {
        type: h.type,
        text: text.slice(0, cut),
        seq: seq++,
        timestamp: h.timestamp,
      };
      if (h.agent !== undefined) chunk.agent = h.agent;
      yield chunk;
      text = text.slice(cut);
    }
    h.parts = text.length > 0 ? [text] : [];
    h.length = text.length;
  }

  function* flush(): Generator<StreamChunk> {
    if (held === undefined) return;
    const h = held;
    held = undefined;
    yield* emit(h, true);
  }

  try {
    while (true) {
      pending ??= it.next();
      let wait: { promise: Promise<typeof FLUSH>; cancel(): void } | undefined;
      if (held !== undefined && Number.isFinite(flushInterval))
        wait = timer(held.since + flushInterval - Date.now(), FLUSH);
      const r = await raceAbort<IteratorResult<StreamChunk> | typeof FLUSH>(
        options.signal,
        wait === undefined ? [pending] : [pending, wait.promise],
      );
      wait?.cancel();
      if (r === ABORTED) return;
      if (r === FLUSH) {
        yield* flush();
        continue;
      }
      pending = undefined;
      if (r.done) {
        finished = true;
        yield* flush();
        return;
      }
      const c = r.value;
      if ((c.type === "token" || c.type === "thinking") && c.metadata === undefined) {
        if (held !== undefined && (held.type !== c.type || held.agent !== c.agent)) yield* flush();
        if (held === undefined) {
          held = {
            type: c.type,
            agent: c.agent,
            timestamp: c.timestamp,
            parts: [],
            length: 0,
            since: Date.now(),
          };
        }
        held.parts.push(c.text);
        held.length += c.text.length;
        if (held.length > maxChars) yield* emit(held, false);
        if (held.length >= minChars) yield* flush();
        else if (held.length === 0) held = undefined;
        continue;
      }
      yield* flush();
      yield { ...c, seq: seq++ };
    }
  } catch (error) {
    // The source failed: text already received is not lost, it goes out before the error.
    pending = undefined;
    finished = true;
    yield* flush();
    throw error;
  } finally {
    if (!finished) await closeIterator(it, pending !== undefined);
  }
}
