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
import {
  ChunkEncoder,
  ChunkNormalizer,
  ChunkValidationError,
  type StreamChunk,
  toChunk,
} from "@agentstream/core";
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
  const normalizer = new ChunkNormalizer(); // one per stream: pairs seed-style tool results with their calls
  const stamp = (value: unknown): StreamChunk => {
    const chunk = toChunk(
      typeof value === "string" || !isObject(value) ? value : { ...value, seq: undefined },
      index,
      undefined,
      normalizer,
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
 * One run of an agent, chunk by chunk: the loop behind {@link runAgentChunks} (and the
 * runtime's GeneratorAgent, which pulls chunks from it directly, without a layer of async
 * generator per chunk). Same guarantees as {@link runAgentChunks}: `next()` gives the chunks in
 * order, then `undefined`; `close()` (idempotent) stops the run early, calling the generator's
 * `return()`. Do not call `next()` again before the previous call has settled.
 *
 * @internal
 */
export class ChunkRun {
  private readonly def: AgentDefinition;
  private readonly now: () => number;
  private readonly started: number;
  private readonly controller = new AbortController();
  private readonly outer: AbortSignal | undefined;
  private readonly forward: () => void;
  private readonly signal: AbortSignal;
  private readonly control: RunControl = {};
  private readonly release: () => void;
  private readonly gen: AsyncGenerator<AgentYield, unknown, undefined> | undefined;
  /** The error chunk when `def.run` itself threw (the run is then over). */
  private failed: StreamChunk | undefined;
  private index = 0;
  private readonly normalizer = new ChunkNormalizer();
  private text = "";
  private generatorDone = false;
  /** The chunk returned last: what follows it is decided at the next `next()`. */
  private last: StreamChunk | undefined;
  /** The chunk returned last ended the stream: the next `next()` closes. */
  private final = false;
  /** Cleaned up (or never needing it): `next()` returns `undefined`. */
  private closed = false;
  /** One abort listener for the whole run wakes whichever step is waiting (a Promise.race
   * against a long-lived promise would leave one reaction behind per step). */
  private wake: ((value: typeof ABORTED) => void) | undefined;
  private readonly onAbort = () => this.wake?.(ABORTED);

  /**
   * Starts the run (calls `def.run`).
   *
   * @param def - the agent
   * @param input - the AG-UI run input
   * @param options - abort signal, pace, registry
   */
  constructor(def: AgentDefinition, input: RunAgentInput, options: RunOptions = {}) {
    this.def = def;
    const now = options.now ?? Date.now;
    this.now = now;
    this.started = now();
    const controller = this.controller;
    const outer = options.signal;
    this.outer = outer;
    this.forward = () => controller.abort(outer?.reason);
    if (outer?.aborted) this.forward();
    else outer?.addEventListener("abort", this.forward, { once: true });
    const signal = controller.signal;
    this.signal = signal;

    const control = this.control;
    const agentInput = toAgentInput(input);
    const ctx = createContext(agentInput, {
      agent: def.name,
      signal,
      paceMs: options.paceMs ?? 0,
      control,
      runChild: (d, p, i, o) => runChild(d, p, i, o, control),
    });
    this.release =
      options.registry?.register({
        agent: def.name,
        runId: input.runId,
        startedAt: this.started,
        abort: (reason) => controller.abort(reason ?? "aborted"),
      }) ?? (() => {});

    try {
      this.gen = def.run(agentInput, ctx);
    } catch (error) {
      this.release();
      outer?.removeEventListener("abort", this.forward);
      this.failed = this.stamp({
        type: "error",
        message: errorMessage(error),
        code: RUN_ERROR_CODES.agentError,
      });
      this.final = true;
      // Nothing to clean up after the error chunk.
      this.closed = true;
      return;
    }
    signal.addEventListener("abort", this.onAbort, { once: true });
  }

  // `seq` is the position in this stream: a chunk's own `seq` (e.g. from a child) is replaced.
  private stamp(value: unknown): StreamChunk {
    const chunk = toChunk(
      typeof value === "string" || !isObject(value) ? value : { ...value, seq: undefined },
      this.index,
      this.now(),
      this.normalizer,
    );
    this.index++;
    return chunk;
  }

  private interrupted(): StreamChunk {
    const text = this.text;
    return this.stamp({
      type: "interrupted",
      reason: abortReason(this.signal),
      ...(text ? { partial: text } : {}),
    });
  }

  private nextOrAbort(): Promise<IteratorResult<AgentYield, unknown> | typeof ABORTED> {
    const signal = this.signal;
    if (signal.aborted) return Promise.resolve(ABORTED);
    const next = (this.gen as AsyncGenerator<AgentYield, unknown, undefined>).next();
    return new Promise((resolve, reject) => {
      this.wake = resolve;
      next.then(resolve, (error: unknown) => (signal.aborted ? resolve(ABORTED) : reject(error)));
    });
  }

  /** The last chunk of the stream: the next `next()` ends it. */
  private end(chunk: StreamChunk): StreamChunk {
    this.final = true;
    this.last = chunk;
    return chunk;
  }

  /** The next chunk, or `undefined` once the stream has ended (the run is then cleaned up). */
  async next(): Promise<StreamChunk | undefined> {
    const failed = this.failed;
    if (failed !== undefined) {
      this.failed = undefined;
      return failed;
    }
    if (this.closed) return undefined;
    if (this.final) {
      this.close();
      return undefined;
    }
    try {
      const last = this.last;
      if (last !== undefined) {
        if (isTerminal(last)) {
          this.close();
          return undefined;
        }
        if (last.type === "tool_call" && this.control.pendingToolCallId === last.id) {
          this.close();
          return undefined;
        }
        if (this.signal.aborted) return this.end(this.interrupted());
      }
      let step: IteratorResult<AgentYield, unknown> | typeof ABORTED;
      try {
        step = await this.nextOrAbort();
      } catch (error) {
        this.generatorDone = true;
        if (this.signal.aborted) return this.end(this.interrupted());
        return this.end(
          this.stamp({
            type: "error",
            message: errorMessage(error),
            code: RUN_ERROR_CODES.agentError,
            recoverable: false,
          }),
        );
      }
      if (step === ABORTED) return this.end(this.interrupted());
      if (step.done) {
        this.generatorDone = true;
        const output = step.value === undefined ? this.text : step.value;
        return this.end(
          this.stamp({ type: "result", output, success: true, duration: this.now() - this.started }),
        );
      }
      let chunk: StreamChunk;
      try {
        chunk = this.stamp(step.value);
      } catch (error) {
        const message =
          error instanceof ChunkValidationError
            ? `Agent "${this.def.name}" yielded an invalid chunk: ${error.message}`
            : errorMessage(error);
        return this.end(
          this.stamp({ type: "error", message, code: RUN_ERROR_CODES.invalidChunk, recoverable: false }),
        );
      }
      if (chunk.type === "token" && chunk.agent === undefined) this.text += chunk.text;
      this.last = chunk;
      return chunk;
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** Ends the run (idempotent): listeners off, signal aborted, the generator's `return()` called. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const signal = this.signal;
    this.wake = undefined;
    signal.removeEventListener("abort", this.onAbort);
    this.outer?.removeEventListener("abort", this.forward);
    if (!signal.aborted) this.controller.abort("run ended");
    if (this.generatorDone) this.release();
    else {
      // Runs the generator's finally blocks. If it is awaiting something that ignores the abort
      // signal, return() takes effect at its next yield; the run stays counted until then.
      const release = this.release;
      (this.gen as AsyncGenerator<AgentYield, unknown, undefined>).return(undefined).then(release, release);
    }
  }
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
  const run = new ChunkRun(def, input, options);
  try {
    while (true) {
      const chunk = await run.next();
      if (chunk === undefined) return;
      yield chunk;
    }
  } finally {
    run.close();
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
  for (const event of encoder.start()) yield event;
  // The chunks straight from a ChunkRun (as `runAgentChunks` would give them, one async
  // generator layer less).
  const run = new ChunkRun(def, input, options);
  try {
    while (true) {
      const chunk = await run.next();
      if (chunk === undefined) break;
      for (const event of encoder.encode(chunk)) yield event;
      if (encoder.ended) break;
    }
  } finally {
    run.close();
  }
  for (const event of encoder.finish()) yield event;
}
