/**
 * Server-Sent Events: encoding frames (with `id:` lines carrying the sequence number) and
 * incremental parsing (frames split across reads, several per read, CR, LF and CRLF line ends,
 * comments/heartbeats), after the WHATWG "event stream interpretation"; no dependency.
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import { ABORTED, raceAbort } from "./operators/util.js";

/** One parsed SSE message. */
export interface SseMessage {
  /** The frame's own `id:` field, if it had one (not the stream's last event id). */
  id?: string;
  /** The `event:` field, if any. */
  event?: string;
  /** The data lines, joined with `\n`. */
  data: string;
}

/** Options of {@link parseSse} and {@link readAgUiEvents}. */
export interface SseReadOptions {
  /** Stops reading (and cancels the source) when aborted. */
  signal?: AbortSignal;
}

/** Options of {@link readAgUiEvents}. */
export interface AgUiReadOptions extends SseReadOptions {
  /**
   * Called for a frame whose data is not a JSON object with a string `type` (the frame is
   * skipped). Without it such frames are skipped silently; nothing from the network throws.
   */
  onMalformed?: (error: MalformedEventError) => void;
}

/** A frame that is not an AG-UI event: its data is not JSON, or not an object with a string `type`. */
export class MalformedEventError extends Error {
  override readonly name = "MalformedEventError";
  /** The frame's data (at most 200 characters of it). */
  readonly data: string;
  /** The frame's `id:` field, if any. */
  readonly frameId: string | undefined;

  /**
   * @param reason - what is wrong
   * @param data - the frame's data
   * @param frameId - the frame's id
   */
  constructor(reason: string, data: string, frameId?: string) {
    const excerpt = data.length > 200 ? `${data.slice(0, 200)}…` : data;
    super(
      `Skipped a malformed SSE frame${frameId === undefined ? "" : ` (id ${frameId})`}: ${reason}: ${excerpt}`,
    );
    this.data = excerpt;
    this.frameId = frameId;
  }
}

/**
 * Parses one frame's data as an AG-UI event. Never throws: returns a {@link MalformedEventError}
 * for data that is not JSON or not an object with a string `type`.
 */
export function parseAgUiEvent(data: string, frameId?: string): BaseEvent | MalformedEventError {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (error) {
    return new MalformedEventError(error instanceof Error ? error.message : "not JSON", data, frameId);
  }
  if (typeof value !== "object" || value === null || typeof (value as { type?: unknown }).type !== "string")
    return new MalformedEventError("not an AG-UI event (an object with a string `type`)", data, frameId);
  return value as BaseEvent;
}

function noNewlines(value: string, field: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`SSE ${field} must not contain a line break`);
  return value;
}

/**
 * One SSE frame: `id:` (if given), `event:` (if given), one `data:` line per line of the
 * data (strings are sent as they are, anything else as JSON), then a blank line.
 *
 * @param data - the payload; non-strings are JSON-encoded
 * @param id - the event id (e.g. the chunk's sequence number)
 * @param event - the SSE event name
 */
export function encodeSseFrame(data: unknown, id?: number | string, event?: string): string {
  let frame = "";
  if (id !== undefined) frame += `id: ${noNewlines(String(id), "id")}\n`;
  if (event !== undefined) frame += `event: ${noNewlines(event, "event")}\n`;
  const text = typeof data === "string" ? data : (JSON.stringify(data) ?? "null");
  for (const line of text.split(/\r\n|\r|\n/)) frame += `data: ${line}\n`;
  return `${frame}\n`;
}

/** An SSE comment frame (`: text`), e.g. a heartbeat that keeps proxies from closing the connection. */
export function encodeSseComment(text: string): string {
  return `${text
    .split(/\r\n|\r|\n/)
    .map((l) => `: ${l}`)
    .join("\n")}\n\n`;
}

function isReadableStream(source: unknown): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream | undefined)?.getReader === "function";
}

async function* readChunks(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array | string> {
  if (isReadableStream(source)) {
    const reader = source.getReader();
    // One listener for the whole read: `reader.read()` settles when the reader is cancelled.
    const onAbort = (): void => {
      reader.cancel(signal?.reason).catch(() => {});
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    let finished = false;
    try {
      while (!signal?.aborted) {
        const { done, value } = await reader.read();
        if (done) {
          finished = true;
          return;
        }
        yield value;
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      // Aborted, or the consumer left early (break, return, throw): cancel the body, so the
      // connection closes and the server learns that nobody reads any more.
      if (!finished) await reader.cancel(signal?.reason).catch(() => {});
      reader.releaseLock();
    }
    return;
  }
  const it = source[Symbol.asyncIterator]();
  let finished = false;
  try {
    while (true) {
      // raceAbort adds one listener per step and removes it: no reaction piles up on a
      // long-lived "aborted" promise, so memory stays flat however long the stream.
      const r = await raceAbort(signal, [it.next()]);
      if (r === ABORTED) return;
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (!finished) void it.return?.()?.catch?.(() => {});
  }
}

/** A line end: CRLF, CR or LF. A CR at the end of the buffer waits: an LF may follow. */
const LINE_END = /\r\n|\r(?!$)|\n/g;

/**
 * An incremental SSE parser: `feed` takes text as it arrives (any split) and calls `onMessage`
 * for each message ended by a blank line. Fields as the WHATWG event stream interpretation reads
 * them: `data` lines joined with `\n`, `event`, `id` (ignored when it holds a NUL), comments
 * (`:`), `retry` and unknown fields skipped; a message without `data` is not dispatched; a BOM
 * at the start is dropped. `id` is the message's own field (not the stream's last event id).
 */
function createSseParser(onMessage: (message: SseMessage) => void): (text: string) => void {
  let buffer = "";
  let started = false;
  let data: string | undefined;
  let id: string | undefined;
  let event: string | undefined;
  const line = (text: string): void => {
    if (text === "") {
      if (data !== undefined) {
        const m: SseMessage = { data };
        if (id !== undefined) m.id = id;
        if (event !== undefined) m.event = event;
        onMessage(m);
      }
      data = id = event = undefined;
      return;
    }
    const colon = text.indexOf(":");
    if (colon === 0) return;
    const field = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? "" : text.slice(colon + (text.charCodeAt(colon + 1) === 32 ? 2 : 1));
    if (field === "data") data = data === undefined ? value : `${data}\n${value}`;
    else if (field === "event") event = value || undefined;
    else if (field === "id" && !value.includes("\0")) id = value;
  };
  return (text) => {
    buffer += text;
    if (!started && buffer !== "") {
      started = true;
      if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
    }
    let start = 0;
    if (buffer.indexOf("\r") < 0) {
      // LF only (what servers send): plain indexOf.
      for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n", start)) {
        line(buffer.slice(start, end));
        start = end + 1;
      }
    } else {
      LINE_END.lastIndex = 0;
      for (let m = LINE_END.exec(buffer); m !== null; m = LINE_END.exec(buffer)) {
        line(buffer.slice(start, m.index));
        start = LINE_END.lastIndex;
      }
    }
    if (start > 0) buffer = buffer.slice(start);
  };
}

/**
 * Parses an SSE byte (or text) stream into messages, incrementally. Comments and heartbeats
 * are skipped; a final frame without its blank line is still delivered at the end of the stream.
 */
export async function* parseSse(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>,
  options: SseReadOptions = {},
): AsyncGenerator<SseMessage> {
  const queue: SseMessage[] = [];
  const feed = createSseParser((m) => queue.push(m));
  const decoder = new TextDecoder();
  for await (const piece of readChunks(source, options.signal)) {
    feed(typeof piece === "string" ? piece : decoder.decode(piece, { stream: true }));
    while (queue.length > 0) yield queue.shift() as SseMessage;
  }
  if (options.signal?.aborted) return;
  const rest = decoder.decode();
  if (rest) feed(rest);
  feed("\n\n");
  while (queue.length > 0) yield queue.shift() as SseMessage;
}

/**
 * Reads AG-UI events from an SSE stream (`data:` lines holding JSON events, as the AG-UI
 * HTTP transport and the CopilotKit runtime send them).
 *
 * Never throws on what it reads: a frame that is not an AG-UI event is skipped and reported to
 * `options.onMalformed`. Leaving the loop early (or aborting `options.signal`) cancels the
 * source, which closes the HTTP connection of a `fetch` body.
 */
export async function* readAgUiEvents(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>,
  options: AgUiReadOptions = {},
): AsyncGenerator<BaseEvent> {
  for await (const msg of parseSse(source, options)) {
    if (msg.data === "") continue;
    const event = parseAgUiEvent(msg.data, msg.id);
    if (event instanceof MalformedEventError) options.onMalformed?.(event);
    else yield event;
  }
}
