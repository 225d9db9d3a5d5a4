/**
 * The one loop that drives an agent's generator: every run of an agent (top-level runs on both
 * routes, and child runs of `ctx.run` in multi-agent runs) goes through {@link ChunkRun}.
 *
 * Guarantees: chunks are validated with core's `toChunk` and numbered (`seq`) in order; the stream
 * ends with exactly one terminal chunk — `result` (the generator's return value), `error` (a
 * throw, or a malformed chunk), or `interrupted` (abort) — or right after the `tool_call` of
 * `ctx.callTool`. When the stream stops early for any reason, the generator's `return()` is
 * called, so its `finally` blocks run. Each step races the generator against the abort signal
 * with core's `raceAbort` (one listener per step, removed when the step settles).
 *
 * @packageDocumentation
 */
import type { RunAgentInput } from "@ag-ui/core";
import {
  ABORTED,
  ChunkNormalizer,
  ChunkValidationError,
  raceAbort,
  type StreamChunk,
  toChunk,
} from "@agentstream/core";
import { AskBox } from "./asks.js";
import { type ChildOutcome, createContext, type RunChildOptions, type RunControl } from "./context.js";
import type { AgentDefinition, AgentInput, AgentYield } from "./define.js";
import { latestUserText } from "./messages.js";
import type { StreamRegistry } from "./registry.js";

const WOKEN: unique symbol = Symbol("woken");

/** Error codes of the `error` chunks the runtime makes. */
export const RUN_ERROR_CODES = {
  /** The agent threw. */
  agentError: "AGENT_ERROR",
  /** The agent yielded something that is not a chunk. */
  invalidChunk: "INVALID_CHUNK",
} as const;

/** Options of a run (see {@link ChunkRun}). */
export interface RunOptions {
  /** Aborting it stops the run: the stream ends with an `interrupted` chunk and the generator's `return()` is called. */
  signal?: AbortSignal;
  /** Milliseconds `ctx.pace()` waits. Default 0. */
  paceMs?: number;
  /** Where the run is counted while in flight. */
  registry?: StreamRegistry;
  /** Clock. Default `Date.now`. */
  now?: () => number;
  /** The run's questions (`ctx.ask`): the runner passes one so that answers can reach the run. Default: a private box. */
  asks?: AskBox;
}

/** What makes a run a child run of a multi-agent run (`ctx.run`). */
export interface ChildRunOptions {
  /** Name the child's chunks are tagged with (`agent`); undefined leaves them untagged. */
  tag: string | undefined;
  /** Name the child runs under (its `ctx.agent`). */
  name: string;
  /** The parent run's control (a child's `ctx.callTool` ends the whole run). */
  control: RunControl;
}

/** Builds the {@link AgentInput} of a RunAgentInput. */
export function toAgentInput(input: RunAgentInput): AgentInput {
  return { ...input, prompt: latestUserText(input.messages) };
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === "string" ? error : (JSON.stringify(error) ?? String(error));
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (typeof reason === "string") return reason;
  if (reason instanceof Error && reason.name !== "AbortError") return reason.message;
  return "aborted";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True for a chunk that ends the stream it is in (an untagged result, interruption or fatal error). */
export function endsStream(chunk: StreamChunk, tagged: boolean): boolean {
  return (
    (tagged || chunk.agent === undefined) &&
    (chunk.type === "result" ||
      chunk.type === "interrupted" ||
      (chunk.type === "error" && chunk.recoverable !== true))
  );
}

/**
 * One run of an agent, chunk by chunk. `next()` gives the chunks in order, then `undefined`;
 * `close()` (idempotent) stops the run early, calling the generator's `return()`. Do not call
 * `next()` again before the previous call has settled.
 */
export class ChunkRun {
  private readonly def: AgentDefinition;
  private readonly now: () => number;
  private readonly started: number;
  private readonly controller = new AbortController();
  private readonly outer: AbortSignal | undefined;
  private readonly forward: () => void;
  /** The run's signal (aborted by the outer signal, or when the run ends). */
  readonly signal: AbortSignal;
  private readonly control: RunControl;
  private readonly child: ChildRunOptions | undefined;
  private readonly release: () => void;
  private readonly gen: AsyncGenerator<AgentYield, unknown, undefined> | undefined;
  /** The error chunk when `def.run` itself threw (the run is then over). */
  private failed: StreamChunk | undefined;
  private index = 0;
  /** One per stream: pairs seed-style tool results with their calls. */
  private readonly normalizer = new ChunkNormalizer();
  /** The text streamed by this run's own (untagged, or for a child: all) tokens. */
  text = "";
  private generatorDone = false;
  /** The chunk returned last: what follows it is decided at the next `next()`. */
  private last: StreamChunk | undefined;
  /** The chunk returned last ended the stream: the next `next()` closes. */
  private final = false;
  /** Cleaned up (or never needing it): `next()` returns `undefined`. */
  private closed = false;
  /** Chunks to hand out before the next generator step: `ctx.ask`'s, and those that close open questions at the end. */
  private readonly queue: StreamChunk[] = [];
  /** Wakes a `next()` that waits on the generator when a chunk is queued. */
  private wake: (() => void) | undefined;
  /** The generator step in flight (kept across `next()` calls while queued chunks go out). */
  private pendingStep: Promise<IteratorResult<AgentYield, unknown>> | undefined;

  /**
   * Starts the run (calls `def.run`).
   *
   * @param def - the agent
   * @param input - the AG-UI run input (or, for a child, the parent's agent input)
   * @param options - abort signal, pace, registry, clock
   * @param child - set for a child run of `ctx.run`
   */
  constructor(
    def: AgentDefinition,
    input: RunAgentInput | AgentInput,
    options: RunOptions = {},
    child?: ChildRunOptions,
  ) {
    this.def = def;
    this.child = child;
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

    const control: RunControl = child?.control ?? { asks: options.asks ?? new AskBox() };
    this.control = control;
    const agentInput = "prompt" in input && typeof input.prompt === "string" ? input : toAgentInput(input);
    const paceMs = options.paceMs ?? 0;
    const ctx = createContext(agentInput, {
      agent: child?.name ?? def.name,
      signal,
      paceMs,
      control,
      emit: (value) => {
        if (this.closed || this.final) return;
        this.queue.push(this.stamp(value));
        this.wake?.();
      },
      runChild: (d, _parent, i, o) => runChild(d, i, o, { signal, paceMs, now }, control),
    });
    this.release =
      child === undefined && options.registry
        ? options.registry.register({
            agent: def.name,
            runId: agentInput.runId,
            startedAt: this.started,
            abort: (reason) => controller.abort(reason ?? "aborted"),
          })
        : () => {};

    try {
      this.gen = def.run(agentInput, ctx);
    } catch (error) {
      this.release();
      outer?.removeEventListener("abort", this.forward);
      this.failed = this.stamp({
        type: "error",
        message: errorMessage(error),
        code: RUN_ERROR_CODES.agentError,
        ...(child ? {} : { recoverable: false }),
      });
      this.final = true;
      this.generatorDone = true;
      this.closed = true;
    }
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
    const tag = this.child?.tag;
    if (tag !== undefined && chunk.agent === undefined) chunk.agent = tag;
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

  /**
   * The last chunk of the stream: the next `next()` ends it. Questions still open are reported
   * cancelled first (a top-level run only: a child's questions belong to the whole run).
   */
  private end(chunk: StreamChunk): StreamChunk {
    this.final = true;
    this.last = chunk;
    if (this.child !== undefined) return chunk;
    const closing = this.control.asks.closeOpen("cancelled").map((c) => this.stamp(c));
    if (closing.length === 0) return chunk;
    chunk.seq = this.index++; // the terminal chunk stays last
    this.queue.push(...closing.slice(1), chunk);
    return closing[0] as StreamChunk;
  }

  /** The last chunk returned (the terminal one once the stream ended). */
  get lastChunk(): StreamChunk | undefined {
    return this.last ?? this.failed;
  }

  /** The next chunk, or `undefined` once the stream has ended (the run is then cleaned up). */
  async next(): Promise<StreamChunk | undefined> {
    const failed = this.failed;
    if (failed !== undefined) {
      this.failed = undefined;
      this.last = failed;
      return failed;
    }
    if (this.closed) return undefined;
    const queued = this.queue.shift();
    if (queued !== undefined) {
      if (!this.final) this.last = queued;
      return queued;
    }
    if (this.final) {
      this.close();
      return undefined;
    }
    try {
      const last = this.last;
      if (last !== undefined) {
        if (endsStream(last, this.child !== undefined)) {
          this.close();
          return undefined;
        }
        if (last.type === "tool_call" && this.control.pendingToolCallId === last.id) {
          this.close();
          return undefined;
        }
        if (this.signal.aborted) return this.end(this.interrupted());
      }
      const gen = this.gen as AsyncGenerator<AgentYield, unknown, undefined>;
      let step: IteratorResult<AgentYield, unknown> | typeof ABORTED | typeof WOKEN;
      try {
        // While the generator awaits (e.g. `ctx.ask`), chunks it emits are handed out at once
        // (the generator's body may emit synchronously inside `gen.next()`: wake is set first).
        const woken = new Promise<typeof WOKEN>((resolve) => {
          this.wake = () => resolve(WOKEN);
        });
        this.pendingStep ??= gen.next();
        if (this.queue.length > 0) this.wake?.();
        step = await raceAbort<IteratorResult<AgentYield, unknown> | typeof WOKEN>(this.signal, [
          this.pendingStep,
          woken,
        ]);
        this.wake = undefined;
        const emitted = this.queue.shift();
        if (emitted !== undefined && step !== ABORTED) {
          this.last = emitted;
          return emitted; // a resolved step stays in `pendingStep` for the next call
        }
        if (step === WOKEN) return this.next();
        if (step !== ABORTED) this.pendingStep = undefined;
      } catch (error) {
        this.wake = undefined;
        this.pendingStep = undefined;
        this.generatorDone = true;
        if (this.signal.aborted) return this.end(this.interrupted());
        return this.end(
          this.stamp({
            type: "error",
            message: errorMessage(error),
            code: RUN_ERROR_CODES.agentError,
            ...(this.child ? {} : { recoverable: false }),
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
            ? this.child
              ? `${this.child.name}: ${error.message}`
              : `Agent "${this.def.name}" yielded an invalid chunk: ${error.message}`
            : errorMessage(error);
        return this.end(
          this.stamp({
            type: "error",
            message,
            code: RUN_ERROR_CODES.invalidChunk,
            ...(this.child ? {} : { recoverable: false }),
          }),
        );
      }
      if (chunk.type === "token" && (this.child !== undefined || chunk.agent === undefined))
        this.text += chunk.text;
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
    if (this.child === undefined) this.control.asks.closeOpen("cancelled");
    this.outer?.removeEventListener("abort", this.forward);
    if (!this.signal.aborted) this.controller.abort("run ended");
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
 * Runs a child agent inside a parent run (`ctx.run`): a {@link ChunkRun} in child mode sharing
 * the parent's signal, pace and control; its chunks are tagged with its name unless `tag: false`.
 */
export async function* runChild(
  def: AgentDefinition,
  input: AgentInput,
  options: RunChildOptions,
  parent: Required<Pick<RunOptions, "signal" | "paceMs" | "now">>,
  control: RunControl,
): AsyncGenerator<StreamChunk, ChildOutcome, undefined> {
  const name = options.as ?? def.name;
  const tag = options.tag === false ? undefined : name;
  const run = new ChunkRun(def, input, parent, { tag, name, control });
  try {
    while (true) {
      const chunk = await run.next();
      if (chunk === undefined) break;
      // A stop of the whole run: the parent reports it, not the child.
      if (chunk.type === "interrupted" && parent.signal.aborted) break;
      yield chunk;
    }
  } finally {
    run.close();
  }
  const last = run.lastChunk;
  const text = run.text;
  if (last?.type === "result") return { agent: name, success: last.success, output: last.output, text };
  if (last?.type === "error")
    return { agent: name, success: false, output: undefined, text, error: last.message };
  return { agent: name, success: last?.type === "tool_call", output: undefined, text };
}
