/**
 * Server-Sent Events: encoding frames (with `id:` lines carrying the sequence number) and
 * incremental parsing with eventsource-parser (frames split across reads, several per read,
 * CRLF, comments/heartbeats).
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import { createParser, type EventSourceMessage } from "eventsource-parser";

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
    const onAbort = (): void => {
      reader.cancel(signal?.reason).catch(() => {});
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      while (!signal?.aborted) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      if (signal?.aborted) await reader.cancel(signal.reason).catch(() => {});
      reader.releaseLock();
    }
    return;
  }
  const it = source[Symbol.asyncIterator]();
  const aborted = new Promise<"aborted">((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) resolve("aborted");
    else signal.addEventListener("abort", () => resolve("aborted"), { once: true });
  });
  try {
    while (true) {
      const r = await (signal === undefined ? it.next() : Promise.race([it.next(), aborted]));
      if (r === "aborted" || r.done) return;
      yield r.value;
    }
  } finally {
    void it.return?.()?.catch?.(() => {});
  }
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
  const parser = createParser({
    onEvent(msg: EventSourceMessage) {
      const m: SseMessage = { data: msg.data };
      if (msg.id !== undefined) m.id = msg.id;
      if (msg.event !== undefined) m.event = msg.event;
      queue.push(m);
    },
  });
  const decoder = new TextDecoder();
  for await (const piece of readChunks(source, options.signal)) {
    parser.feed(typeof piece === "string" ? piece : decoder.decode(piece, { stream: true }));
    while (queue.length > 0) yield queue.shift() as SseMessage;
  }
  if (options.signal?.aborted) return;
  const rest = decoder.decode();
  if (rest) parser.feed(rest);
  parser.feed("\n\n");
  while (queue.length > 0) yield queue.shift() as SseMessage;
}

/**
 * Reads AG-UI events from an SSE stream (`data:` lines holding JSON events, as the AG-UI
 * HTTP transport and the CopilotKit runtime send them).
 *
 * @throws SyntaxError when a frame's data is not JSON
 */
export async function* readAgUiEvents(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>,
  options: SseReadOptions = {},
): AsyncGenerator<BaseEvent> {
  for await (const msg of parseSse(source, options)) {
    if (msg.data === "") continue;
    yield JSON.parse(msg.data) as BaseEvent;
  }
}
