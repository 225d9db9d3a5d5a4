/**
 * A runner read as a Server-Sent Events `Response`: each logged event becomes a frame with its id
 * on the `id:` line. The body is a web `ReadableStream` that reads the next batch only when the
 * transport pulls, so a slow client reads the log at its own pace (the run goes on; a reader that
 * falls out of the retained window gets a terminal RUN_ERROR saying so). The client going away
 * (the stream cancelled, `request.signal` aborted) only detaches the reader: the run goes on and
 * resumes by `Last-Event-ID`. Also maps runner errors to HTTP errors, in one place.
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import { encodeSseComment, encodeSseFrame } from "@agentstream/core";
import { runnerErrorEvent } from "../runner/agent-stream-runner.js";
import { type LoggedEvent, RunnerError } from "../runner/types.js";
import { HttpError } from "../server/errors.js";
import type { Logger } from "../server/logging.js";

/** The HTTP error for a runner error met before the stream opened. */
export function runnerHttpError(error: unknown): unknown {
  if (!(error instanceof RunnerError)) return error;
  switch (error.code) {
    case "unknown_thread":
      return new HttpError(404, "unknown_thread", error.message);
    case "ahead":
      return new HttpError(409, "id_ahead", error.message, error.details);
    case "gone":
    case "slow_reader":
      return new HttpError(410, "id_gone", error.message, error.details);
    case "busy":
      return new HttpError(409, "thread_busy", error.message, error.details);
    case "thread_taken":
      return new HttpError(409, "thread_taken", error.message);
    case "unavailable":
    case "runner_lost":
      return new HttpError(503, "runner_unavailable", error.message, error.details);
  }
}

/** The default frame: the AG-UI event as JSON, its id on the `id:` line (none for id 0: a frame outside the log). */
export function agUiFrame(entry: LoggedEvent): string {
  return encodeSseFrame(entry.json ?? JSON.stringify(entry.event), entry.id > 0 ? entry.id : undefined);
}

/** The headers of every event stream: no caching, no proxy buffering or re-encoding. */
export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  "X-Accel-Buffering": "no",
};

/** How an event stream ended, for the request log. */
export interface EventStreamEnd {
  /** Logged events read (each counts once, whether or not it made a frame). */
  events: number;
  /** True when the client went away before the end. */
  aborted: boolean;
}

/** What {@link eventStreamResponse} needs. */
export interface EventStreamOptions {
  /** Milliseconds between heartbeat comments while nothing else is sent; 0 disables them. */
  heartbeatMs: number;
  logger: Logger;
  /** Aborted when the client goes away (the reader detaches; the run goes on). */
  controller: AbortController;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /**
   * Turns a logged event into its frame (undefined: nothing to send). Default {@link agUiFrame}.
   * Id 0 marks a frame outside the log (no `id:` line).
   */
  frame?: (entry: LoggedEvent) => string | undefined;
  /** Frames sent before the first event, in the same write (outside the log: no `id:`). */
  preamble?: string;
  /** The request's signal: aborted, the client is gone (a detach, like a cancelled body). */
  signal?: AbortSignal;
  /** Called once when the stream has ended, however it ended. */
  onEnd?: (end: EventStreamEnd) => void;
}

const encoder = new TextEncoder();

/**
 * Waits for the read's first batch (or its end), so that errors before it (unknown thread, an id
 * too new or too old) still get a JSON status; then answers 200 with an event stream of every
 * batch, one chunk per batch.
 */
export async function eventStreamResponse(
  read: AsyncIterable<readonly LoggedEvent[]>,
  options: EventStreamOptions,
): Promise<Response> {
  const iterator = read[Symbol.asyncIterator]();
  // The first step is read before answering; later ones only when the transport pulls.
  let first: IteratorResult<readonly LoggedEvent[]> | undefined = await iterator
    .next()
    .catch((error: unknown) => {
      throw runnerHttpError(error);
    });
  const frame = options.frame ?? agUiFrame;
  let preamble = options.preamble ?? "";
  let events = 0;
  let ended = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const finish = async (aborted: boolean) => {
    if (ended) return;
    ended = true;
    if (heartbeat) clearInterval(heartbeat);
    if (aborted) options.controller.abort("client disconnected");
    await iterator.return?.()?.catch(() => {});
    options.onEnd?.({ events, aborted });
  };
  const render = (batch: readonly LoggedEvent[]) => {
    let text = "";
    for (const entry of batch) {
      const f = frame(entry);
      if (f !== undefined) text += f;
      events++;
    }
    return text;
  };

  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        options.signal?.addEventListener("abort", () => {
          void finish(true);
          try {
            controller.close();
          } catch {
            // already closed
          }
        });
        if (options.heartbeatMs > 0) {
          heartbeat = setInterval(() => {
            // Only with room: a heartbeat never queues behind a slow reader.
            if (!ended && (controller.desiredSize ?? 0) > 0)
              controller.enqueue(encoder.encode(encodeSseComment("heartbeat")));
          }, options.heartbeatMs);
          (heartbeat as { unref?: () => void }).unref?.();
        }
      },
      async pull(controller) {
        try {
          for (;;) {
            const step = first ?? (await iterator.next());
            first = undefined;
            if (ended) return;
            if (step.done) {
              if (preamble) controller.enqueue(encoder.encode(preamble));
              controller.close();
              await finish(false);
              return;
            }
            const text = preamble + render(step.value);
            preamble = "";
            if (text) {
              controller.enqueue(encoder.encode(text));
              return;
            }
          }
        } catch (error) {
          const event: BaseEvent =
            error instanceof RunnerError
              ? runnerErrorEvent(error)
              : ({
                  type: "RUN_ERROR",
                  message: "Internal error while streaming",
                  code: "INTERNAL",
                } as BaseEvent);
          if (!(error instanceof RunnerError))
            options.logger.error("stream_error", {
              message: error instanceof Error ? error.message : String(error),
            });
          // Outside the log: no id, so a resuming client's Last-Event-ID stays on the last real event.
          const f = frame({ id: 0, event });
          if (!ended) {
            if (f !== undefined) controller.enqueue(encoder.encode(f));
            controller.close();
          }
          await finish(false);
        }
      },
      async cancel() {
        await finish(true);
      },
    },
    // One batch ahead at most: the next is read when the transport takes this one.
    { highWaterMark: 1 },
  );
  return new Response(body, { status: 200, headers: { ...EVENT_STREAM_HEADERS, ...options.headers } });
}
