/**
 * OpenTelemetry traces of runs (issue 25, "Tracing"), through `@opentelemetry/api` only: the
 * library forces no SDK on its users. Without a registered tracer provider every call here is
 * OpenTelemetry's no-op; with one (the server app registers the SDK and the OTLP/HTTP exporter when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set), each run is a span `agentstream.run` with the agent,
 * thread, run, route and transport, and when it ends its outcome, duration, time to first event,
 * chunks and tokens; its tool calls (`agentstream.tool_call`, until their result) and questions
 * (`agentstream.ask`, the time waiting for the answer) are child spans, and so are the runner's
 * operations on it (`agentstream.runner.*`, see `runner/spans.ts`). An incoming W3C `traceparent` (and `tracestate`) on the request that starts the
 * run continues its trace.
 *
 * It is a run observer (see `observeRunner`), fed like `/metrics` and the stream events.
 *
 * @packageDocumentation
 */
import {
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { runKey as key, type ObservedRun, type RunObserver } from "../runner/observe.js";
import { forgetRunSpan, registerRunSpan, TRACER_NAME } from "../runner/spans.js";

export { TRACER_NAME };

/** Parent contexts extracted from the requests that start runs, until the run's span starts. */
const parents = new Map<string, Context>();

const headerGetter = {
  get: (headers: Headers, name: string) => headers.get(name) ?? undefined,
  keys: (headers: Headers) => [...headers.keys()],
};

/**
 * Remembers the trace context of the request that starts run `runId` (its `traceparent`), for the
 * run's span. Returns the function that forgets it (call it when the run did not start).
 */
export function rememberTraceParent(threadId: string, runId: string, headers: Headers): () => void {
  if (!headers.has("traceparent")) return () => {};
  const k = key(threadId, runId);
  parents.set(k, propagation.extract(context.active(), headers, headerGetter));
  return () => parents.delete(k);
}

/** The observer that turns runs into spans. */
export function tracingObserver(): RunObserver {
  const spans = new Map<string, Span>();
  /** Open child spans (tool calls, asks) per run, by the chunk's id. */
  const children = new Map<string, Map<string, Span>>();
  const spanOf = (run: ObservedRun) => spans.get(key(run.threadId, run.runId));
  const child = (
    run: ObservedRun,
    parent: Span,
    id: string,
    name: string,
    attributes: Record<string, string>,
  ) => {
    const k = key(run.threadId, run.runId);
    let open = children.get(k);
    if (!open) {
      open = new Map();
      children.set(k, open);
    }
    if (open.has(id)) return;
    const tracer = trace.getTracer(TRACER_NAME);
    open.set(id, tracer.startSpan(name, { attributes }, trace.setSpan(context.active(), parent)));
  };
  const close = (
    run: ObservedRun,
    id: string,
    attributes: Record<string, string | boolean>,
    failed = false,
  ) => {
    const open = children.get(key(run.threadId, run.runId));
    const span = open?.get(id);
    if (!span || !open) return;
    open.delete(id);
    span.setAttributes(attributes);
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  return {
    runStarted(run) {
      const k = key(run.threadId, run.runId);
      const parent = parents.get(k) ?? context.active();
      parents.delete(k);
      const span = trace.getTracer(TRACER_NAME).startSpan(
        "agentstream.run",
        {
          kind: SpanKind.INTERNAL,
          startTime: run.startedAt,
          attributes: {
            "agentstream.agent": run.agentId,
            "agentstream.thread_id": run.threadId,
            "agentstream.run_id": run.runId,
            "agentstream.route": run.route,
            "agentstream.transport": "sse",
          },
        },
        parent,
      );
      spans.set(k, span);
      // Its runner operations (start, stop, answers, readers attaching) become its children.
      registerRunSpan(run.threadId, run.runId, span);
    },
    firstEvent(run, ms) {
      spanOf(run)?.setAttribute("agentstream.time_to_first_event_ms", Math.round(ms));
    },
    chunks(run, batch) {
      const parent = spanOf(run);
      if (!parent?.isRecording()) return; // no SDK: nothing to record
      for (const chunk of batch) {
        if (chunk.type === "tool_call")
          child(run, parent, `tool:${chunk.id}`, "agentstream.tool_call", { "agentstream.tool": chunk.name });
        else if (chunk.type === "tool_result")
          close(run, `tool:${chunk.id}`, { "agentstream.tool_success": chunk.success }, !chunk.success);
        else if (chunk.type === "ask") {
          if (chunk.state === "open")
            child(run, parent, `ask:${chunk.id}`, "agentstream.ask", { "agentstream.ask_id": chunk.id });
          else close(run, `ask:${chunk.id}`, { "agentstream.ask_state": chunk.state });
        }
      }
    },
    runEnded(end) {
      const k = key(end.threadId, end.runId);
      const span = spans.get(k);
      if (!span) return;
      spans.delete(k);
      forgetRunSpan(end.threadId, end.runId);
      // Tool calls and questions still open end with the run.
      for (const open of children.get(k)?.values() ?? []) open.end();
      children.delete(k);
      span.setAttributes({
        "agentstream.outcome": end.outcome,
        "agentstream.duration_ms": Math.round(end.durationMs),
        "agentstream.chunks": end.chunks,
        "agentstream.tokens": end.tokens,
        "agentstream.events_coalesced": end.coalesced,
      });
      if (end.outcome === "failed")
        span.setStatus({ code: SpanStatusCode.ERROR, ...(end.message ? { message: end.message } : {}) });
      else if (end.outcome === "interrupted" && end.message)
        span.setAttribute("agentstream.interruption", end.message);
      span.end();
    },
  };
}
