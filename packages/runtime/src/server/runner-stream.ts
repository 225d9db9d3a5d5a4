/**
 * Streams a runner read to an SSE response: each logged event becomes a frame with its id on the
 * `id:` line. Writes wait for the socket to drain, so a slow client reads the log at its own pace
 * (the run goes on; a reader that falls out of the retained window gets a terminal RUN_ERROR
 * saying so). Also maps runner errors to HTTP errors, in one place.
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import { encodeSseFrame } from "@agentstream/core";
import type { Response } from "express";
import { runnerErrorEvent } from "../runner/agent-stream-runner.js";
import { type LoggedEvent, RunnerError } from "../runner/types.js";
import { HttpError } from "./errors.js";
import type { Logger } from "./logging.js";
import { SseStream } from "./sse.js";

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
    case "unavailable":
    case "runner_lost":
      return new HttpError(503, "runner_unavailable", error.message, error.details);
  }
}

/** The default frame: the AG-UI event as JSON, its id on the `id:` line (none for id 0: a frame outside the log). */
export function agUiFrame(entry: LoggedEvent): string {
  return encodeSseFrame(entry.json ?? JSON.stringify(entry.event), entry.id > 0 ? entry.id : undefined);
}

/** What {@link streamRead} needs. */
export interface StreamReadOptions {
  heartbeatMs: number;
  logger: Logger;
  /** Aborted when the client goes away (the reader detaches; the run goes on). */
  controller: AbortController;
  /** Extra response headers (sent with the SSE headers). */
  headers?: Record<string, string>;
  /**
   * Turns a logged event into its frame (undefined: nothing to send). Default {@link agUiFrame}.
   * Id 0 marks a frame outside the log (no `id:` line).
   */
  frame?: (entry: LoggedEvent) => string | undefined;
  /** Frames written right after the headers, before the first event (outside the log: no `id:`). */
  preamble?: string;
}

/**
 * Opens the SSE response once the read's first batch (or its end) is known, so that errors
 * before it (unknown thread, id too new or too old) still get a JSON status; then writes every
 * batch. Resolves with the number of events written.
 */
export async function streamRead(
  res: Response,
  read: AsyncIterable<readonly LoggedEvent[]>,
  options: StreamReadOptions,
): Promise<number> {
  const iterator = read[Symbol.asyncIterator]();
  const first = await iterator.next().catch((error: unknown) => {
    throw runnerHttpError(error);
  });
  const sse = new SseStream(res, { heartbeatMs: options.heartbeatMs });
  res.once("close", () => {
    if (!res.writableFinished) options.controller.abort("client disconnected");
  });
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
  sse.open();
  const frame = options.frame ?? agUiFrame;
  let written = 0;
  try {
    if (options.preamble) await sse.write(options.preamble);
    let step = first;
    while (!step.done) {
      let text = "";
      for (const entry of step.value) {
        const f = frame(entry);
        if (f !== undefined) text += f;
        written++;
      }
      if (text && !(await sse.write(text))) break;
      step = await iterator.next();
    }
  } catch (error) {
    const event: BaseEvent =
      error instanceof RunnerError
        ? runnerErrorEvent(error)
        : ({ type: "RUN_ERROR", message: "Internal error while streaming", code: "INTERNAL" } as BaseEvent);
    if (!(error instanceof RunnerError))
      options.logger.error("stream_error", {
        message: error instanceof Error ? error.message : String(error),
      });
    // Outside the log: no id, so a resuming client's Last-Event-ID stays on the last real event.
    const f = frame({ id: 0, event });
    if (f !== undefined && !sse.closed) await sse.write(f);
  } finally {
    await iterator.return?.();
    sse.end();
  }
  return written;
}
