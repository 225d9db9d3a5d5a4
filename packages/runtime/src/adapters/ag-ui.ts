/**
 * `fromAgUiAgent`: any AG-UI agent (LangGraph, Mastra, CrewAI integrations, a remote `HttpAgent`,
 * your own `AbstractAgent`) as a stream of AgentStream chunks, so that it gets the kit's progress,
 * status, lanes, metrics and UI, and can be merged with other agents as lanes.
 *
 * @packageDocumentation
 */
import type { BaseEvent, RunAgentInput } from "@ag-ui/core";
import { ChunkDecoder, type StreamChunk } from "@agentstream/core";

/** An AG-UI event as {@link fromAgUiAgent} receives it: anything with a `type` (decoded by core). */
export interface AgUiEventLike {
  type: string;
}

/** The observer {@link fromAgUiAgent} subscribes to an agent's run with. */
export interface AgUiRunObserver {
  next: (event: AgUiEventLike) => void;
  error: (error: unknown) => void;
  complete: () => void;
}

/**
 * The fields of a `RunAgentInput` that every AG-UI version has: what `run(input)` of
 * {@link AgUiAgentLike} is declared with. (0.0.59's and 1.0's `RunAgentInput` are not assignable
 * to each other: their message content parts differ.) {@link fromAgUiAgent} passes its own input on.
 */
export interface AgUiRunInputLike {
  threadId: string;
  runId: string;
  parentRunId?: string;
  messages: readonly unknown[];
  tools: readonly unknown[];
  context: readonly unknown[];
  state?: unknown;
  forwardedProps?: unknown;
}

/**
 * What {@link fromAgUiAgent} uses of an AG-UI agent: `run(input)`, an observable of events (an RxJS
 * `Observable` fits), and `abortRun()`. Structural on purpose: the `AbstractAgent` classes of
 * different `@ag-ui/client` versions have private fields, so an `HttpAgent` of `@ag-ui/client` 1.0
 * (what npm installs today) is not assignable to 0.0.59's `AbstractAgent` (the version the
 * CopilotKit runtime pins, and this package's), although both run here. Any agent of either
 * version fits this shape (checked by packaging/test/consumer.test.ts against both).
 */
export interface AgUiAgentLike {
  // Method syntax on purpose: an agent whose `run` takes its own version's `RunAgentInput` fits.
  run(input: AgUiRunInputLike): {
    subscribe(observer: AgUiRunObserver): { unsubscribe(): void };
  };
  abortRun(): void;
}

/** Options of {@link fromAgUiAgent}. */
export interface FromAgUiAgentOptions {
  /** Aborting it stops the foreign run (`abortRun()`, unsubscribe) and ends the stream with `interrupted`. */
  signal?: AbortSignal;
  /** Tag every chunk with this agent name (a lane of a multi-agent stream). Default: untagged. */
  agent?: string;
  /** Clock for events without a timestamp. Default `Date.now`. */
  now?: () => number;
}

/** What `yield* fromAgUiAgent(...)` evaluates to. */
export interface AgUiOutcome {
  /** The answer text the agent streamed. */
  text: string;
  /** The agent's shared state at the end (STATE_SNAPSHOT / STATE_DELTA applied). */
  state: unknown;
  /** How the foreign run ended. */
  outcome: "finished" | "error" | "aborted";
  /** RUN_FINISHED's `result`, when the agent sent one. */
  result?: unknown;
  /** The error message when it failed. */
  error?: string;
}

type Item = { event: AgUiEventLike } | { end: "complete" } | { end: "error"; error: unknown };

function plainInput(input: RunAgentInput): RunAgentInput {
  const { threadId, runId, parentRunId, messages, tools, context, state, forwardedProps } = input;
  return {
    threadId,
    runId,
    ...(parentRunId === undefined ? {} : { parentRunId }),
    messages,
    tools,
    context,
    state,
    forwardedProps,
  };
}

function message(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === "string" ? error : String(error);
}

/**
 * Runs an AG-UI agent and yields its events as chunks (core's `ChunkDecoder`: text, reasoning,
 * tool calls with streamed arguments, tool results, steps and progress-shaped state as
 * `progress`, RUN_ERROR as `error`, a RUN_FINISHED with a result as `result`).
 *
 * ```ts
 * const graph = new LangGraphAgent({ … }); // or new HttpAgent({ url }) (@ag-ui/client 0.0.59 or 1.0), a Mastra agent, …
 * defineAgent({ name: "graph", description: "…", async *run(input, ctx) {
 *   return yield* fromAgUiAgent(graph, input, { signal: ctx.signal });
 * } });
 * ```
 *
 * Several at once, as lanes: `merge({ planner: fromAgUiAgent(a, input), coder: fromAgUiAgent(b, input) })`.
 * Stopping early (the consumer's `return()`, or `signal`) unsubscribes and calls the agent's
 * `abortRun()`. The agent's `run()` is called directly: pass a fresh agent (or `agent.clone()`)
 * per run when it keeps state between runs.
 */
export async function* fromAgUiAgent(
  agent: AgUiAgentLike,
  input: RunAgentInput,
  options: FromAgUiAgentOptions = {},
): AsyncGenerator<StreamChunk, AgUiOutcome, undefined> {
  const { signal, agent: tag } = options;
  const decoder = new ChunkDecoder({ now: options.now });
  const queue: Item[] = [];
  let wake: (() => void) | undefined;
  const push = (item: Item) => {
    queue.push(item);
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onAbort = () => push({ end: "complete" });
  let text = "";
  let ended = false;
  let result: unknown;
  let failure: string | undefined;
  const outcome = (end: AgUiOutcome["outcome"]): AgUiOutcome => ({
    text,
    state: decoder.state,
    outcome: end,
    ...(result === undefined ? {} : { result }),
    ...(failure === undefined ? {} : { error: failure }),
  });
  const tagged = (chunk: StreamChunk): StreamChunk => {
    if (tag !== undefined && chunk.agent === undefined) chunk.agent = tag;
    return chunk;
  };

  if (signal?.aborted) {
    yield tagged({
      type: "interrupted",
      reason: typeof signal.reason === "string" ? signal.reason : "aborted",
      seq: 0,
      timestamp: Date.now(),
    });
    return outcome("aborted");
  }
  signal?.addEventListener("abort", onAbort, { once: true });
  const subscription = agent.run(plainInput(input)).subscribe({
    next: (event) => push({ event }),
    error: (error: unknown) => push({ end: "error", error }),
    complete: () => push({ end: "complete" }),
  });
  try {
    while (true) {
      if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      if (signal?.aborted) {
        yield tagged({
          type: "interrupted",
          reason: typeof signal.reason === "string" ? signal.reason : "aborted",
          ...(text ? { partial: text } : {}),
          seq: 0,
          timestamp: Date.now(),
        });
        return outcome("aborted");
      }
      const item = queue.shift() as Item;
      if ("end" in item) {
        ended = true;
        if (item.end === "error") {
          failure = message(item.error);
          yield tagged({
            type: "error",
            message: `The agent failed: ${failure}`,
            code: "AGENT_ERROR",
            seq: 0,
            timestamp: Date.now(),
          });
          return outcome("error");
        }
        return outcome(failure === undefined ? "finished" : "error");
      }
      // Events of another @ag-ui/core version share the wire format; the decoder skips unknown types.
      const chunk = decoder.decodeOne(item.event as BaseEvent);
      if (chunk === undefined) continue;
      if (chunk.type === "token") text += chunk.text;
      if (chunk.type === "result") result = chunk.output;
      if (chunk.type === "error" && chunk.recoverable !== true) failure = chunk.message;
      yield tagged(chunk);
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    subscription.unsubscribe();
    if (!ended) {
      try {
        agent.abortRun();
      } catch {
        // an agent that fails to abort is unsubscribed all the same
      }
    }
  }
}
