/**
 * Running an agent definition: its yields become validated chunks, then AG-UI events.
 *
 * The stream is pull-based: the generator runs only as fast as the consumer asks for the next
 * chunk, so a consumer that waits for the socket to drain slows the agent down (backpressure).
 *
 * Guarantees of {@link runAgentChunks}: chunks are validated with core's `toChunk` and numbered
 * (`seq`) in order; the stream ends with exactly one terminal chunk — `result` (the generator's
 * return value), `error` (a throw, or a malformed chunk), or `interrupted` (abort) — or right after
 * the `tool_call` of `ctx.callTool`. When the stream stops early for any reason, the generator's
 * `return()` is called, so its `finally` blocks run.
 *
 * @packageDocumentation
 */
import type { BaseEvent, RunAgentInput } from "@ag-ui/core";
import { ChunkEncoder, ChunkValidationError, type StreamChunk, toChunk } from "@agentstream/core";
import {
  type AgentContext,
  type ChildOutcome,
  createContext,
  type RunChildOptions,
  type RunControl,
} from "./context.js";
import type { AgentDefinition, AgentInput, AgentYield } from "./define.js";
import { latestUserText } from "./messages.js";
import type { StreamRegistry } from "./registry.js";

/** Options of {@link runAgentChunks} and {@link runAgentEvents}. */
export interface RunOptions {
  /** Aborting it stops the run: the stream ends with an `interrupted` chunk and the generator's `return()` is called. */
  signal?: AbortSignal;
  /** Milliseconds `ctx.pace()` waits. Default 0. */
  paceMs?: number;
  /** Where the run is counted while in flight. */
  registry?: StreamRegistry;
  /** Clock. Default `Date.now`. */
  now?: () => number;
}

/** Error codes of the `error` chunks the runtime makes. */
export const RUN_ERROR_CODES = {
  /** The agent threw. */
  agentError: "AGENT_ERROR",
  /** The agent yielded something that is not a chunk. */
  invalidChunk: "INVALID_CHUNK",
} as const;

const ABORTED: unique symbol = Symbol("aborted");

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === "string" ? error : (JSON.stringify(error) ?? String(error));
}

function isTerminal(chunk: StreamChunk): boolean {
  return (
    chunk.agent === undefined &&
    (chunk.type === "result" ||
      chunk.type === "interrupted" ||
      (chunk.type === "error" && chunk.recoverable !== true))
  );
}

/** Builds the {@link AgentInput} of a RunAgentInput. */
export function toAgentInput(input: RunAgentInput): AgentInput {
  return { ...input, prompt: latestUserText(input.messages) };
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (typeof reason === "string") return reason;
  if (reason instanceof Error && reason.name !== "AbortError") return reason.message;
  return "aborted";
}

/**
 * Runs a child agent inside a parent run (`ctx.run`). The child shares the parent's signal,
 * pace and control; its chunks are tagged with its name unless `tag: false`.
 */
async function* runChild(
  def: AgentDefinition,
  parent: AgentContext,
  input: AgentInput,
  options: RunChildOptions,
  control: RunControl,
): AsyncGenerator<StreamChunk, ChildOutcome, undefined> {
  const tag = options.tag === false ? undefined : (options.as ?? def.name);
  const name = options.as ?? def.name;
  const ctx = createContext(input, {
    agent: name,
    signal: parent.signal,
    paceMs: parent.paceMs,
    control,
    runChild: (d, p, i, o) => runChild(d, p, i, o, control),
  });
  const started = Date.now();
  const gen = def.run(input, ctx);
  let text = "";
  let index = 0;
  let done = false;
  const stamp = (value: unknown): StreamChunk => {
    const chunk = toChunk(
      typeof value === "string" || !isObject(value) ? value : { ...value, seq: undefined },
      index,
    );
    index++;
    if (tag !== undefined && chunk.agent === undefined) chunk.agent = tag;
    return chunk;
  };
  try {
    while (true) {
      let step: IteratorResult<AgentYield, unknown>;
      try {
        step = await gen.next();
      } catch (error) {
        done = true;
        if (parent.signal.aborted) throw error;
        const message = errorMessage(error);
        yield stamp({ type: "error", message, code: RUN_ERROR_CODES.agentError });
        return { agent: name, success: false, output: undefined, text, error: message };
      }
      if (step.done) {
        done = true;
        const output = step.value === undefined ? text : step.value;
        yield stamp({ type: "result", output, success: true, duration: Date.now() - started });
        return { agent: name, success: true, output, text };
      }
      let chunk: StreamChunk;
      try {
        chunk = stamp(step.value);
      } catch (error) {
        const message =
          error instanceof ChunkValidationError ? `${name}: ${error.message}` : errorMessage(error);
        yield stamp({ type: "error", message, code: RUN_ERROR_CODES.invalidChunk });
        return { agent: name, success: false, output: undefined, text, error: message };
      }
      if (chunk.type === "token") text += chunk.text;
      yield chunk;
      const ends =
        chunk.type === "result" ||
        chunk.type === "interrupted" ||
        (chunk.type === "error" && chunk.recoverable !== true);
      if (ends) {
        const success = chunk.type === "result" ? chunk.success : false;
        return {
          agent: name,
          success,
          output: chunk.type === "result" ? chunk.output : undefined,
          text,
          ...(chunk.type === "error" ? { error: chunk.message } : {}),
        };
      }
      if (chunk.type === "tool_call" && control.pendingToolCallId === chunk.id) {
        return { agent: name, success: true, output: undefined, text };
      }
    }
  } finally {
    if (!done) void gen.return(undefined).catch(() => undefined);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Runs an agent and yields its chunks. See the module documentation for the guarantees.
 *
 * @param def - the agent
 * @param input - the AG-UI run input
 * @param options - abort signal, pace, registry
 */
export async function* runAgentChunks(
  def: AgentDefinition,
  input: RunAgentInput,
  options: RunOptions = {},
): AsyncGenerator<StreamChunk, void, undefined> {
  const now = options.now ?? Date.now;
  const started = now();
  const controller = new AbortController();
  const outer = options.signal;
  const forward = () => controller.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener("abort", forward, { once: true });
  const signal = controller.signal;

  const control: RunControl = {};
  const agentInput = toAgentInput(input);
  const ctx = createContext(agentInput, {
    agent: def.name,
    signal,
    paceMs: options.paceMs ?? 0,
    control,
    runChild: (d, p, i, o) => runChild(d, p, i, o, control),
  });
  const release =
    options.registry?.register({
      agent: def.name,
      runId: input.runId,
      startedAt: started,
      abort: (reason) => controller.abort(reason ?? "aborted"),
    }) ?? (() => {});

  let index = 0;
  let text = "";
  let generatorDone = false;
  // `seq` is the position in this stream: a chunk's own `seq` (e.g. from a child) is replaced.
  const stamp = (value: unknown): StreamChunk => {
    const chunk = toChunk(
      typeof value === "string" || !isObject(value) ? value : { ...value, seq: undefined },
      index,
      now(),
    );
    index++;
    return chunk;
  };
  const interrupted = (): StreamChunk =>
    stamp({ type: "interrupted", reason: abortReason(signal), ...(text ? { partial: text } : {}) });

  let gen: AsyncGenerator<AgentYield, unknown, undefined>;
  try {
    gen = def.run(agentInput, ctx);
  } catch (error) {
    release();
    outer?.removeEventListener("abort", forward);
    yield stamp({ type: "error", message: errorMessage(error), code: RUN_ERROR_CODES.agentError });
    return;
  }
  // One abort listener for the whole run wakes whichever step is waiting (a Promise.race against
  // a long-lived promise would leave one reaction behind per step).
  let wake: ((value: typeof ABORTED) => void) | undefined;
  const onAbort = () => wake?.(ABORTED);
  signal.addEventListener("abort", onAbort, { once: true });
  const nextOrAbort = (): Promise<IteratorResult<AgentYield, unknown> | typeof ABORTED> => {
    if (signal.aborted) return Promise.resolve(ABORTED);
    const next = gen.next();
    return new Promise((resolve, reject) => {
      wake = resolve;
      next.then(resolve, (error: unknown) => (signal.aborted ? resolve(ABORTED) : reject(error)));
    });
  };

  try {
    while (true) {
      let step: IteratorResult<AgentYield, unknown> | typeof ABORTED;
      try {
        step = await nextOrAbort();
      } catch (error) {
        generatorDone = true;
        if (signal.aborted) {
          yield interrupted();
          return;
        }
        yield stamp({
          type: "error",
          message: errorMessage(error),
          code: RUN_ERROR_CODES.agentError,
          recoverable: false,
        });
        return;
      }
      if (step === ABORTED) {
        yield interrupted();
        return;
      }
      if (step.done) {
        generatorDone = true;
        const output = step.value === undefined ? text : step.value;
        yield stamp({ type: "result", output, success: true, duration: now() - started });
        return;
      }
      let chunk: StreamChunk;
      try {
        chunk = stamp(step.value);
      } catch (error) {
        const message =
          error instanceof ChunkValidationError
            ? `Agent "${def.name}" yielded an invalid chunk: ${error.message}`
            : errorMessage(error);
        yield stamp({ type: "error", message, code: RUN_ERROR_CODES.invalidChunk, recoverable: false });
        return;
      }
      if (chunk.type === "token" && chunk.agent === undefined) text += chunk.text;
      yield chunk;
      if (isTerminal(chunk)) return;
      if (chunk.type === "tool_call" && control.pendingToolCallId === chunk.id) return;
      if (signal.aborted) {
        yield interrupted();
        return;
      }
    }
  } finally {
    wake = undefined;
    signal.removeEventListener("abort", onAbort);
    outer?.removeEventListener("abort", forward);
    if (!signal.aborted) controller.abort("run ended");
    if (generatorDone) release();
    else {
      // Runs the generator's finally blocks. If it is awaiting something that ignores the abort
      // signal, return() takes effect at its next yield; the run stays counted until then.
      gen.return(undefined).then(release, release);
    }
  }
}

/**
 * Runs an agent and yields AG-UI events: RUN_STARTED, the events of each chunk (core's
 * `ChunkEncoder`), and RUN_FINISHED or RUN_ERROR. Pull-based like {@link runAgentChunks}.
 */
export async function* runAgentEvents(
  def: AgentDefinition,
  input: RunAgentInput,
  options: RunOptions = {},
): AsyncGenerator<BaseEvent, void, undefined> {
  const encoder = new ChunkEncoder({
    threadId: input.threadId,
    runId: input.runId,
    now: options.now,
    interruptAs: "custom",
  });
  yield* encoder.start();
  for await (const chunk of runAgentChunks(def, input, options)) {
    yield* encoder.encode(chunk);
    if (encoder.ended) break;
  }
  yield* encoder.finish();
}
