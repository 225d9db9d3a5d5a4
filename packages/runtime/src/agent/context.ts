/**
 * The `ctx` an agent receives: ids, messages, state, the host's frontend tools, a way to call
 * one, the abort signal, pacing, and running other agents.
 *
 * @packageDocumentation
 */
import type { Context, Message, Tool } from "@ag-ui/core";
import type { AskChoice, ChunkInput, StreamChunk } from "@agentstream/core";
import { normalizeChoices } from "@agentstream/core/internal";
import { type AskBox, type AskOptions, AskTimeoutError } from "./asks.js";
import type { AgentDefinition, AgentInput } from "./define.js";
import { type ToolResultInfo, trailingToolResult, trailingToolResults } from "./messages.js";

/** Options of {@link AgentContext.run}. */
export interface RunChildOptions {
  /** The prompt the child sees (default: the parent's prompt). */
  prompt?: string;
  /**
   * Tag every chunk of the child with its agent name (a lane of a multi-agent stream), so its
   * result and errors end the lane rather than the run. Default `true`. With `false` the child
   * speaks as the parent: its result ends the parent's run (delegation).
   */
  tag?: boolean;
  /** The name the child's chunks are tagged with (default: the child's name). */
  as?: string;
}

/** What a child run returned (the value of `yield* ctx.run(agent)`). */
export interface ChildOutcome {
  agent: string;
  success: boolean;
  output: unknown;
  /** The text the child streamed. */
  text: string;
  /** Error message when the child threw or yielded a fatal error. */
  error?: string;
}

/** The context of one run. Per-run: never shared between runs. */
export interface AgentContext {
  /** Name of the agent running. */
  readonly agent: string;
  readonly threadId: string;
  readonly runId: string;
  /** The conversation so far (AG-UI messages). */
  readonly messages: readonly Message[];
  /** The shared state the client sent. */
  readonly state: unknown;
  /** Extra context the host sent. */
  readonly context: readonly Context[];
  /** Frontend tools the host offered for this run (RunAgentInput.tools), with JSON schemas. */
  readonly tools: readonly Tool[];
  /** Aborted when the client disconnects or stops the run, or the server shuts down. */
  readonly signal: AbortSignal;
  /** Milliseconds {@link pace} waits (the server's `AGENTSTREAM_PACE_MS`). */
  readonly paceMs: number;
  /**
   * When this run answers a frontend tool call (the last message is a `role: "tool"`
   * message), the result the client sent back.
   */
  readonly toolResult: ToolResultInfo | undefined;
  /**
   * Every tool result this run answers: the `role: "tool"` messages after the latest user
   * message, in order (the results of a {@link callTools} turn). Empty when there are none.
   */
  readonly toolResults: readonly ToolResultInfo[];
  /** True when the host offered a frontend tool of that name. */
  hasTool(name: string): boolean;
  /**
   * Calls a frontend tool: use as `yield* ctx.callTool(name, args)`. It yields the `tool_call`
   * chunk and the run then ends (RUN_FINISHED), so that the client executes the tool. Code after
   * it does not run. The client sends the result in its next run on the same thread, as a
   * `role: "tool"` message: read it from {@link toolResult}.
   *
   * @throws when the host did not offer a tool of that name.
   */
  callTool(name: string, args?: Record<string, unknown>): AsyncGenerator<ChunkInput, never, unknown>;
  /**
   * Calls several frontend tools in one turn: `yield* ctx.callTools([{ name, args }, ...])`. It
   * yields one `tool_call` chunk per call and the run then ends after the last one, as with
   * {@link callTool}. The client executes every call and sends all the results in its next run:
   * read them from {@link toolResults}.
   *
   * @throws when the host did not offer one of the tools, or `calls` is empty.
   */
  callTools(
    calls: ReadonlyArray<{ name: string; args?: Record<string, unknown> }>,
  ): AsyncGenerator<ChunkInput, never, unknown>;
  /**
   * Asks the user and waits for the answer: `const answer = await ctx.ask({ prompt, choices })`.
   * An `ask` chunk (open) goes out at once, so every client shows the question; the generator
   * stays suspended (the stream stays open, heartbeats go on) until an answer arrives through
   * `runner.answer(...)` (the answer routes), then an `ask` chunk (answered, with the value)
   * goes out and the promise resolves with the value: one of the choices' values, or free input
   * that fits `schema` (default: any text).
   *
   * Rejects with an {@link AskTimeoutError} after `timeoutMs` (the question is then `expired`;
   * uncaught, the run ends with an error naming the question), and with an AbortError when the
   * run is stopped (the question is `cancelled`, the run ends interrupted).
   */
  ask<T = unknown>(options: AskOptions): Promise<T>;
  /** Waits `ms` milliseconds; rejects with an AbortError as soon as the run is aborted. */
  sleep(ms: number): Promise<void>;
  /** Waits the configured pace (see {@link paceMs}); call it between tokens. */
  pace(): Promise<void>;
  /**
   * Runs another agent inside this run: `yield* ctx.run(other)` streams its chunks (tagged with
   * its name by default) and evaluates to its {@link ChildOutcome}. To run several at once,
   * merge their streams with core's `merge`.
   */
  run(
    agent: AgentDefinition,
    options?: RunChildOptions,
  ): AsyncGenerator<StreamChunk, ChildOutcome, undefined>;
}

/** State shared by a run's context and the contexts of the children it runs. */
export interface RunControl {
  /** Set by `callTool(s)`: the id of the frontend tool call after which the run ends. */
  pendingToolCallId?: string;
  /** The run's open questions (`ctx.ask`); answers arrive through the runner. */
  asks: AskBox;
}

/** What {@link createContext} needs besides the input. */
export interface ContextInit {
  agent: string;
  signal: AbortSignal;
  paceMs: number;
  control: RunControl;
  /** Sends a chunk into this run's stream while the generator is suspended (the `ask` chunks). */
  emit: (chunk: ChunkInput) => void;
  runChild: (
    agent: AgentDefinition,
    parent: AgentContext,
    input: AgentInput,
    options: RunChildOptions,
  ) => AsyncGenerator<StreamChunk, ChildOutcome, undefined>;
}

/** An AbortError for a signal. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === "AbortError") return reason;
  const error = new Error(typeof reason === "string" ? reason : "The run was aborted");
  error.name = "AbortError";
  return error;
}

/** Resolves after `ms`, or rejects with an AbortError when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Builds the context of one run. */
export function createContext(input: AgentInput, init: ContextInit): AgentContext {
  const { signal, paceMs, control } = init;
  const toolResult = trailingToolResult(input.messages);
  const toolResults = trailingToolResults(input.messages);
  const ctx: AgentContext = {
    agent: init.agent,
    threadId: input.threadId,
    runId: input.runId,
    messages: input.messages,
    state: input.state,
    context: input.context,
    tools: input.tools,
    signal,
    paceMs,
    toolResult,
    toolResults,
    hasTool: (name) => input.tools.some((tool) => tool.name === name),
    callTool(name, args = {}) {
      return callTools(ctx, control, [{ name, args }], "callTool");
    },
    callTools(calls) {
      return callTools(ctx, control, calls, "callTools");
    },
    ask: <T>(options: AskOptions) => askUser(signal, control.asks, init.emit, options) as Promise<T>,
    sleep: (ms) => sleep(ms, signal),
    pace: () => sleep(paceMs, signal),
    run(agent, options = {}) {
      const childInput: AgentInput =
        options.prompt === undefined ? input : { ...input, prompt: options.prompt };
      return init.runChild(agent, ctx, childInput, options);
    },
  };
  return ctx;
}

async function* callTools(
  ctx: AgentContext,
  control: RunControl,
  calls: ReadonlyArray<{ name: string; args?: Record<string, unknown> }>,
  method: "callTool" | "callTools",
): AsyncGenerator<ChunkInput, never, unknown> {
  if (calls.length === 0) throw new Error("ctx.callTools needs at least one call");
  for (const { name } of calls) {
    if (!ctx.hasTool(name)) {
      const offered = ctx.tools.map((t) => t.name).join(", ") || "none";
      throw new Error(`The host did not offer a frontend tool named "${name}" (offered: ${offered})`);
    }
  }
  const chunks = calls.map(({ name, args = {} }) => ({
    type: "tool_call" as const,
    id: `call_${crypto.randomUUID()}`,
    name,
    args,
  }));
  // The run ends after the last call's chunk; the ones before it pass through.
  control.pendingToolCallId = chunks[chunks.length - 1]?.id;
  for (const chunk of chunks) yield chunk;
  // The run ends after the last tool call chunk and this generator is never resumed.
  const names = calls.map((c) => c.name).join(", ");
  throw new Error(`ctx.${method}("${names}") must be used as \`yield* ctx.${method}(...)\` in an agent run`);
}

function askUser(
  signal: AbortSignal,
  box: AskBox,
  emit: (chunk: ChunkInput) => void,
  options: AskOptions,
): Promise<unknown> {
  if (typeof options?.prompt !== "string" || options.prompt.trim() === "")
    return Promise.reject(new TypeError("ctx.ask needs a non-empty `prompt`"));
  if (signal.aborted) return Promise.reject(abortError(signal));
  const { prompt, schema, timeoutMs } = options;
  const choices =
    options.choices === undefined ? undefined : (normalizeChoices(options.choices) as AskChoice[]);
  if (choices?.some((c) => typeof c?.label !== "string"))
    return Promise.reject(new TypeError("ctx.ask: each choice must be a string or { label, value }"));
  const id = `ask_${crypto.randomUUID()}`;
  const base: Record<string, unknown> = { type: "ask", id, prompt };
  if (choices !== undefined) base.choices = choices;
  if (schema !== undefined) base.schema = schema;
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cleanup = () => {
      if (timer !== undefined) clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    };
    // The question stays open in the box: the run's end reports it cancelled.
    const onAbort = () => {
      cleanup();
      reject(abortError(signal));
    };
    box.open(
      { id, choices, schema },
      (value) => {
        cleanup();
        emit({ ...base, state: "answered", value } as ChunkInput);
        resolve(value);
      },
      (state) => ({ ...base, state }),
    );
    emit({ ...base, state: "open" } as ChunkInput);
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
      timer = setTimeout(() => {
        if (!box.close(id, "expired")) return;
        cleanup();
        emit({ ...base, state: "expired" } as ChunkInput);
        reject(new AskTimeoutError(id, prompt, timeoutMs));
      }, timeoutMs);
    }
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
