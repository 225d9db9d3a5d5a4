/**
 * The resumable event stream behind a run handle: one POST (or GET) that streams SSE frames,
 * and, when the connection drops, GETs of the thread's events from the last id seen
 * (`Last-Event-ID`), with backoff, until the run's terminal event arrives.
 *
 * Guarantees: an event is delivered at most once (frames whose id is not above the last one are
 * dropped); an abort of `signal` (stop, detach, the caller's signal) ends the stream at once and
 * is never retried; errors that trying again cannot fix (404, 409, 410, 401 ...) end it with a
 * clear {@link RunClientError} and no loop.
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import { E } from "../agui/envelope.js";
import { ABORTED, sleep } from "../operators/util.js";
import { MalformedEventError, parseAgUiEvent, parseSse } from "../sse.js";
import { backoffDelay, type ReconnectPolicy } from "./backoff.js";
import { RunClientError } from "./errors.js";
import { type AgentRoutes, send, type TransportOptions } from "./http.js";
import { linkedController } from "./link-signal.js";

/** How the stream begins: a new run (POST) or attaching to a thread's events (GET after an id). */
export type StreamStart = { kind: "run"; body: { threadId: string } } | { kind: "attach"; after: number };

/** What the stream tells its owner besides the events. */
export interface EventStreamHooks {
  /** A connection is streaming (`running`) or the next one is being waited for (`reconnecting`). */
  onStatus(status: "running" | "reconnecting"): void;
  /** A frame that is not an AG-UI event was skipped. */
  onMalformed(error: MalformedEventError): void;
  /** The id of the last event delivered. */
  onEventId(id: number): void;
}

/** Everything {@link resumableEvents} needs. */
export interface EventStreamPlan {
  transport: TransportOptions;
  routes: AgentRoutes;
  threadId: string;
  start: StreamStart;
  policy: ReconnectPolicy;
  /** Ends the stream (stop, detach); never retried. */
  signal: AbortSignal;
}

const TERMINAL: ReadonlySet<string> = new Set([E.RUN_FINISHED, E.RUN_ERROR]);

/** `post`: the run was not accepted yet; `probe`: a POST got no answer, so look before posting again. */
type Mode = "post" | "probe" | "resume";

function asClientError(error: unknown): RunClientError {
  if (error instanceof RunClientError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RunClientError("network", `The connection was lost: ${message}`, {
    retryable: true,
    cause: error,
  });
}

/**
 * `body`, passed through, with a timer that calls `onIdle` when no chunk arrives for `ms` (a
 * connection that went silent without closing: a sleeping laptop, a dead proxy). `stop` clears it.
 */
function watchIdle(
  body: ReadableStream<Uint8Array>,
  ms: number,
  onIdle: () => void,
): { stream: ReadableStream<Uint8Array>; stop(): void } {
  if (!(ms > 0)) return { stream: body, stop: () => {} };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(onIdle, ms);
  };
  const stop = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  arm();
  const stream = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, out) {
        arm();
        out.enqueue(chunk);
      },
      flush: stop,
    }),
  );
  return { stream, stop };
}

/** The AG-UI events of a run, resumed across dropped connections. See the module comment. */
export async function* resumableEvents(
  plan: EventStreamPlan,
  hooks: EventStreamHooks,
): AsyncGenerator<BaseEvent> {
  const { transport, routes, threadId, policy, signal } = plan;
  let mode: Mode = plan.start.kind === "run" ? "post" : "resume";
  let lastId: number | undefined =
    plan.start.kind === "attach" && plan.start.after > 0 ? plan.start.after : undefined;
  let attempt = 0;
  let resumed = false;

  for (;;) {
    const { controller, dispose } = linkedController(signal);
    let stopWatching = (): void => {};
    let delivered = 0;
    let failure: RunClientError;
    try {
      const response =
        mode === "post"
          ? await send(transport, {
              method: "POST",
              url: routes.run,
              body: plan.start.kind === "run" ? plan.start.body : undefined,
              accept: "text/event-stream",
              signal: controller.signal,
              threadId,
            })
          : await send(transport, {
              method: "GET",
              url: `${routes.events(threadId)}?after=${lastId ?? 0}`,
              headers: { "Last-Event-ID": String(lastId ?? 0) },
              accept: "text/event-stream",
              signal: controller.signal,
              threadId,
            });
      mode = "resume";
      if (response.body === null)
        throw new RunClientError("http_error", "The server answered without a body");
      hooks.onStatus("running");
      const body = watchIdle(response.body, policy.idleTimeoutMs, () =>
        controller.abort(
          new RunClientError("network", `No data for ${policy.idleTimeoutMs} ms: the connection is gone`, {
            retryable: true,
          }),
        ),
      );
      stopWatching = body.stop;
      for await (const msg of parseSse(body.stream, { signal: controller.signal })) {
        if (signal.aborted) return; // frames parsed before a stop are not delivered
        const id = msg.id === undefined || msg.id === "" ? Number.NaN : Number(msg.id);
        if (Number.isFinite(id)) {
          if (lastId !== undefined && id <= lastId) continue; // already delivered
          lastId = id;
          hooks.onEventId(id);
        }
        if (msg.data === "") continue;
        const event = parseAgUiEvent(msg.data, msg.id);
        if (event instanceof MalformedEventError) {
          hooks.onMalformed(event);
          continue;
        }
        delivered++;
        attempt = 0;
        yield event;
        if (TERMINAL.has(event.type)) return;
      }
      if (signal.aborted) return;
      if (resumed && delivered === 0) {
        // The server had nothing after our last event and closed: the run is over, without its end.
        throw new RunClientError("stream_ended", "The stream ended before the run finished");
      }
      failure = new RunClientError("stream_ended", "The stream ended before the run finished", {
        retryable: true,
      });
    } catch (error) {
      if (signal.aborted) return;
      failure = asClientError(error);
      if (mode === "probe" && failure.status === 404) {
        mode = "post"; // the POST never reached the server: post again
      } else if (!failure.retryable) {
        throw failure;
      } else if (mode === "post" && failure.status === undefined) {
        mode = "probe"; // no answer to the POST: the run may have started
      }
    } finally {
      stopWatching();
      controller.abort();
      dispose();
    }
    if (attempt >= policy.retries) {
      throw new RunClientError(
        "retries_exhausted",
        policy.retries === 0
          ? failure.message
          : `Could not resume the run after ${attempt} attempt${attempt === 1 ? "" : "s"}: ${failure.message}`,
        { cause: failure, ...(failure.status === undefined ? {} : { status: failure.status }) },
      );
    }
    hooks.onStatus("reconnecting");
    if ((await sleep(backoffDelay(attempt, policy), signal)) === ABORTED) return;
    attempt++;
    resumed = mode === "resume";
  }
}
