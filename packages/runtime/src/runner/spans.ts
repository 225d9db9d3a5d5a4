/**
 * Spans of runner operations (issue 25, "Tracing"), through `@opentelemetry/api` only: claiming a
 * thread and starting a run (`agentstream.runner.start`), a stop reaching the run's owner
 * (`agentstream.runner.stop`, until the run has ended), an answer delivered to a waiting question
 * (`agentstream.runner.answer`), a reader attaching (`agentstream.runner.read`, until its first
 * batch: the replay of a resume), and the end of a run whose owner went away
 * (`agentstream.runner.lost`). Each is a child of the run's span (`agentstream.run`, registered by
 * the tracing observer) when this instance has it, else of the active span; with neither there is
 * no span (an operation of a run traced elsewhere is not made a trace of its own), except for the
 * lost-owner ending, which nobody else can report.
 *
 * Nothing here runs per event. With no SDK registered (or no recording run span) an operation
 * costs a map lookup and a look at the active context.
 *
 * @packageDocumentation
 */
import { type Attributes, type Context, context, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import { runKey } from "./observe.js";

/** The name of the tracer (the instrumentation scope). */
export const TRACER_NAME = "@agentstream/runtime";

/** The contexts of the recording run spans of this process, by run. */
const runContexts = new Map<string, Context>();

/** Registers the span of a run (a recording one only), so its runner operations become its children. */
export function registerRunSpan(threadId: string, runId: string, span: Span): void {
  if (span.isRecording()) runContexts.set(runKey(threadId, runId), trace.setSpan(context.active(), span));
}

/** Forgets the span of a run (it ended). */
export function forgetRunSpan(threadId: string, runId: string): void {
  runContexts.delete(runKey(threadId, runId));
}

/** The kind of parent an operation may have. */
interface SpanOptions {
  /** The run, when known. */
  runId?: string | undefined;
  /** Start a trace of its own when there is no parent (default: no span). */
  root?: boolean;
  /** When the operation began (default: now). */
  startTime?: number;
}

/**
 * Starts the span of a runner operation on `threadId`, or returns undefined (no parent, or
 * nothing records). End it with {@link endRunnerSpan}.
 */
export function runnerSpan(
  name: string,
  threadId: string,
  attributes: Attributes,
  options: SpanOptions = {},
): Span | undefined {
  let parent = options.runId === undefined ? undefined : runContexts.get(runKey(threadId, options.runId));
  if (!parent) {
    const active = context.active();
    if (trace.getSpan(active) || options.root) parent = active;
  }
  if (!parent) return undefined;
  const span = trace
    .getTracer(TRACER_NAME)
    .startSpan(
      name,
      { attributes: { "agentstream.thread_id": threadId, ...attributes }, startTime: options.startTime },
      parent,
    );
  return span.isRecording() ? span : undefined;
}

/** Ends an operation's span with its outcome: more attributes, or the error that ended it. */
export function endRunnerSpan(span: Span | undefined, attributes?: Attributes, error?: unknown): void {
  if (!span) return;
  if (attributes) span.setAttributes(attributes);
  if (error !== undefined) {
    const message = error instanceof Error ? error.message : String(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
  }
  span.end();
}
