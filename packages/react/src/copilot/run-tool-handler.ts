import {
  ABORTED,
  type AskChoice,
  type ChunkInput,
  ChunkNormalizer,
  type RunStore,
  raceAbort,
  toChunk,
} from "@agentstream/core";

/**
 * What a streaming action may `yield`: a chunk (envelope optional; canonical or in a seed
 * spelling such as seed 000's `{ type: "stream_chunk", content, metadata }`) or a string (a token).
 */
export type ActionYield = string | ChunkInput | AskYield;

/** What a browser action asks with {@link ask}. */
export interface AskRequest {
  /** The question, as the user reads it. */
  prompt: string;
  /** One button per choice: a string (label and value) or `{ label, value }`. */
  choices?: ReadonlyArray<string | AskChoice>;
  /** JSON schema of a free-input answer (without choices). Default: any text. */
  schema?: Record<string, unknown>;
}

const ASK_REQUEST: unique symbol = Symbol.for("agentstream.ask");

/** What {@link ask} returns: yield it from a streaming action's `async function*` handler. */
export interface AskYield extends AskRequest {
  readonly [ASK_REQUEST]: true;
}

/**
 * A question from inside a browser generator action: `const ok = yield ask({ prompt, choices })`
 * shows the question in the action's card (an `AskCard`) and resumes the handler with the
 * answer (a choice's value, or free input that fits `schema`). Stopping while it waits closes
 * the generator (`finally` runs) and the agent receives the interrupted result.
 *
 * TypeScript types `yield` expressions by the generator's `TNext`: annotate the handler
 * (`AsyncGenerator<ActionYield, Result, unknown>`) or cast the answer.
 *
 * @example
 * async *handler({ sections }) {
 *   const choice = yield ask({ prompt: `Publish ${sections} sections?`, choices: ["Publish", "Cancel"] });
 *   if (choice !== "Publish") return { cancelled: true };
 *   // ...
 * }
 */
export function ask(request: AskRequest): AskYield {
  return { ...request, [ASK_REQUEST]: true };
}

function isAskYield(value: unknown): value is AskYield {
  return typeof value === "object" && value !== null && (value as AskYield)[ASK_REQUEST] === true;
}

/** How a handler's questions get their answers (the provider's tool-call runs). */
export interface AnswerSource {
  /** Resolves with the answer to question `askId` of this call; rejects when `signal` aborts. */
  wait(askId: string, signal: AbortSignal): Promise<unknown>;
}

/** What CopilotKit's `useFrontendTool` passes to a handler besides the arguments (the part we read). */
export interface CopilotToolContext {
  toolCall?: { id?: string };
  agent?: unknown;
  signal?: AbortSignal;
}

/** The second argument of a streaming action's handler. */
export interface StreamingActionContext {
  /**
   * Aborted when the chat is stopped (CopilotKit's `stopAgent`). Pass it to `fetch`, timers and
   * the like; after it fires the generator is closed with `return()`, so its `finally` runs.
   */
  signal: AbortSignal;
  /** The id of the tool call this run belongs to (the key of its store). */
  toolCallId: string;
  /** The run store of this tool call: push chunks from callbacks, or read what was yielded so far. */
  store: RunStore;
  /** The CopilotKit tool call being handled (`toolCall.function.arguments` is the raw JSON). */
  toolCall?: unknown;
  /** The CopilotKit agent that called the tool (absent for WebMCP calls). */
  agent?: unknown;
}

/**
 * A handler of a streaming action: an `async function*` whose every `yield` shows up in the UI
 * and whose `return` value is the tool result the agent receives; or a plain (async) function,
 * as in CopilotKit.
 */
export type StreamingActionHandler<Args, Result = unknown> = (
  args: Args,
  context: StreamingActionContext,
) =>
  | AsyncGenerator<ActionYield, Result, undefined>
  | AsyncIterable<ActionYield>
  | Generator<ActionYield, Result, undefined>
  | Promise<Result>
  | Result;

/** The tool result the agent receives for a run stopped before it finished. */
export const INTERRUPTED_RESULT = "Interrupted: the action was stopped before it finished.";

function isIterator(value: unknown): value is Iterator<unknown> | AsyncIterator<unknown> {
  return (
    typeof value === "object" && value !== null && typeof (value as Iterator<unknown>).next === "function"
  );
}

/** The iterator behind an iterable result, or `undefined` for a plain result (strings and arrays are plain). */
function toIterator(value: unknown): AsyncIterator<unknown> | Iterator<unknown> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const makeAsyncIterator = (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator];
  if (typeof makeAsyncIterator === "function") {
    const iterator: unknown = makeAsyncIterator.call(value);
    return isIterator(iterator) ? iterator : undefined;
  }
  const iterable = value as Partial<Iterable<unknown>>;
  if (typeof iterable[Symbol.iterator] === "function" && isIterator(value)) return value;
  return undefined;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === "string" ? error : String(error);
}

/**
 * Runs an action handler for one tool call and records it in `store`.
 *
 * The store is reset, gets a `started` status, then one chunk per `yield` (`toChunk`: a string is
 * a token). The generator's return value becomes a `result` chunk and is returned (CopilotKit
 * sends it to the agent as the tool result). When `signal` aborts, the pending step is abandoned,
 * the generator is closed with `return()` (its `finally` runs), an `interrupted` chunk is pushed
 * and {@link INTERRUPTED_RESULT} is returned. A throw (or an invalid yield) pushes an `error`
 * chunk and is rethrown, so CopilotKit reports it and records `"Error: <message>"` as the result.
 *
 * Plain (non-generator) handlers are awaited and recorded the same way.
 */
export async function runToolHandler<Args>(
  handler: StreamingActionHandler<Args>,
  args: Args,
  context: StreamingActionContext,
  answers?: AnswerSource,
): Promise<unknown> {
  const { store, signal } = context;
  const startedAt = Date.now();
  let seq = 0;
  const normalizer = new ChunkNormalizer(); // one per run: pairs seed-style tool results with their calls
  const push = (value: string | ChunkInput) => store.push(toChunk(value, seq++, undefined, normalizer));
  const interrupt = () => {
    push({ type: "interrupted", reason: "stopped", partial: store.getSnapshot().text || undefined });
    return INTERRUPTED_RESULT;
  };
  const fail = (error: unknown) => {
    push({ type: "error", message: errorMessage(error), recoverable: false });
    return error;
  };

  store.reset();
  push({ type: "status", status: "started" });
  if (signal.aborted) return interrupt();

  let output: unknown;
  try {
    output = handler(args, context);
  } catch (error) {
    throw fail(error);
  }

  const iterator = toIterator(output);
  let result: unknown;
  if (iterator) {
    const close = () => {
      try {
        void Promise.resolve(iterator.return?.()).catch(() => {});
      } catch {
        // a generator that is running cannot be closed synchronously; it ends on its own
      }
    };
    let answer: unknown;
    let askCount = 0;
    try {
      for (;;) {
        const next = Promise.resolve((iterator.next as (value?: unknown) => unknown)(answer)) as Promise<
          IteratorResult<unknown>
        >;
        answer = undefined;
        next.catch(() => {});
        // One abort listener per step, removed when the step settles (core's raceAbort): racing
        // one long-lived "aborted" promise would keep a reaction per yield, growing with the run.
        const step = await raceAbort(signal, [next]);
        if (step === ABORTED) {
          close();
          return interrupt();
        }
        if (step.done) {
          result = step.value;
          break;
        }
        if (isAskYield(step.value)) {
          // A question: show it in the card, wait for the answer, resume the handler with it.
          const { prompt, choices, schema } = step.value;
          const id = `${context.toolCallId}:ask:${++askCount}`;
          const base = { type: "ask" as const, id, prompt, choices, schema } as ChunkInput &
            Record<string, unknown>;
          try {
            push({ ...base, state: "open" } as ChunkInput);
          } catch (invalid) {
            close();
            throw invalid;
          }
          if (!answers) {
            close();
            throw new Error(
              "ask() needs the provider's tool-call runs (use the action through useStreamingCopilotAction)",
            );
          }
          const got = await raceAbort(signal, [answers.wait(id, signal)]);
          if (got === ABORTED) {
            push({ ...base, state: "cancelled" } as ChunkInput);
            close();
            return interrupt();
          }
          push({ ...base, state: "answered", value: got } as ChunkInput);
          answer = got;
          continue;
        }
        try {
          push(step.value as string | ChunkInput);
        } catch (invalid) {
          close();
          throw invalid;
        }
      }
    } catch (error) {
      if (signal.aborted) return interrupt();
      throw fail(error);
    }
  } else {
    try {
      result = await output;
    } catch (error) {
      if (signal.aborted) return interrupt();
      throw fail(error);
    }
  }

  push({ type: "result", output: result, success: true, duration: Date.now() - startedAt });
  return result;
}
