/**
 * `fromAiSdk`: the full stream of a Vercel AI SDK `streamText` result as AgentStream chunks (the
 * two helpers a generator agent needs around it, `aiSdkMessages` and `aiSdkFrontendTools`, are in
 * ai-sdk-input.ts).
 *
 * `ai` is not imported here (not even its types): the stream parts are typed structurally, so
 * hosts that never use the AI SDK do not need it installed. Works with `ai` 6 and 7 (the optional
 * peer range is `^6.0.0 || ^7.0.0`); the tests run against 6.0.326 and 7.0.185.
 *
 * @packageDocumentation
 */
import type { ChunkInput, ModelUsage } from "@agentstream/core";

/** Token usage as the AI SDK reports it (`LanguageModelUsage`); every field may be missing. */
export interface AiSdkUsage {
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  totalTokens?: number | undefined;
  inputTokenDetails?: { cacheReadTokens?: number | undefined; noCacheTokens?: number | undefined };
  outputTokenDetails?: { reasoningTokens?: number | undefined; textTokens?: number | undefined };
  /** Older spelling of `inputTokenDetails.cacheReadTokens`. */
  cachedInputTokens?: number | undefined;
  /** Older spelling of `outputTokenDetails.reasoningTokens`. */
  reasoningTokens?: number | undefined;
}

/**
 * One part of `streamText(...).fullStream` (AI SDK 6 and 7), typed loosely enough that any
 * version's parts are accepted; unknown part types are ignored.
 */
export type AiSdkStreamPart =
  | { type: "text-delta"; id?: string; text: string }
  | { type: "reasoning-delta"; id?: string; text: string }
  | {
      type: "tool-input-start";
      id: string;
      toolName: string;
      providerExecuted?: boolean;
      /** AI SDK 7: `"text"` when the deltas are the raw text of a text-input tool, not JSON. */
      inputEncoding?: "json" | "text";
    }
  | { type: "tool-input-delta"; id: string; delta: string }
  | { type: "tool-input-end"; id: string }
  | {
      type: "tool-call";
      toolCallId: string;
      toolName: string;
      input: unknown;
      invalid?: boolean;
      error?: unknown;
    }
  | { type: "tool-result"; toolCallId: string; toolName: string; output: unknown; preliminary?: boolean }
  | { type: "tool-error"; toolCallId: string; toolName: string; error: unknown }
  | { type: "tool-output-denied"; toolCallId: string; toolName: string }
  | { type: "start-step" }
  | { type: "finish-step"; usage?: AiSdkUsage; finishReason?: string }
  | { type: "finish"; finishReason?: string; totalUsage?: AiSdkUsage }
  | { type: "abort"; reason?: string }
  | { type: "error"; error: unknown }
  | { type: string; [key: string]: unknown };

/** What {@link fromAiSdk} reads: a `streamText` result (its `fullStream`) or the full stream itself. */
export type AiSdkSource =
  | { readonly fullStream: AsyncIterable<AiSdkStreamPart> }
  | AsyncIterable<AiSdkStreamPart>;

/** Options of {@link fromAiSdk}. */
export interface FromAiSdkOptions {
  /**
   * Named in the error message when the provider refuses the key (HTTP 401/403), e.g.
   * `"OPENAI_API_KEY"`. Default: "the provider's API key".
   */
  apiKeyName?: string;
  /** Name of the provider in error messages (e.g. "OpenAI"). Default "the model provider". */
  providerName?: string;
}

/** What `yield* fromAiSdk(...)` evaluates to. */
export interface AiSdkOutcome {
  /** The answer text streamed. */
  text: string;
  /**
   * The finish reason of the last step (`stop`, `length`, `tool-calls`, `content-filter`, `error`,
   * `other`; AI SDK 7 adds `interrupted`).
   */
  finishReason: string | undefined;
  /** Usage summed over all steps. */
  usage: ModelUsage;
  /** Steps the model took. */
  steps: number;
  /** Tool calls left without a result: frontend tools, which the browser runs. */
  pendingToolCalls: { id: string; name: string; input: unknown }[];
  /** How the stream ended. */
  outcome: "finished" | "error" | "aborted";
}

/** Error codes of the `error` chunks {@link fromAiSdk} makes. */
export const AI_SDK_ERROR_CODES = {
  auth: "PROVIDER_AUTH",
  rateLimit: "PROVIDER_RATE_LIMIT",
  server: "PROVIDER_UNAVAILABLE",
  badRequest: "PROVIDER_BAD_REQUEST",
  unreachable: "PROVIDER_UNREACHABLE",
  other: "PROVIDER_ERROR",
} as const;

const n = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** The AI SDK's usage as {@link ModelUsage} (missing figures count 0). */
export function modelUsage(usage: AiSdkUsage | undefined): ModelUsage {
  const out: ModelUsage = {
    inputTokens: n(usage?.inputTokens) ?? 0,
    outputTokens: n(usage?.outputTokens) ?? 0,
    cachedInputTokens: n(usage?.inputTokenDetails?.cacheReadTokens) ?? n(usage?.cachedInputTokens) ?? 0,
  };
  const reasoning = n(usage?.outputTokenDetails?.reasoningTokens) ?? n(usage?.reasoningTokens);
  if (reasoning !== undefined) out.reasoningTokens = reasoning;
  return out;
}

function addUsage(a: ModelUsage, b: ModelUsage): ModelUsage {
  const sum: ModelUsage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
  };
  if (a.reasoningTokens !== undefined || b.reasoningTokens !== undefined)
    sum.reasoningTokens = (a.reasoningTokens ?? 0) + (b.reasoningTokens ?? 0);
  return sum;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function plainMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === "string") return error;
  if (isObject(error) && typeof error.message === "string") return error.message;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

function isAbortError(error: unknown): boolean {
  return (
    isObject(error) &&
    (error.name === "AbortError" || error.name === "ResponseAborted" || error.name === "TimeoutError")
  );
}

/** The HTTP status behind an AI SDK error (an `APICallError`, possibly wrapped in a `RetryError`). */
function statusOf(error: unknown, depth = 0): number | undefined {
  if (!isObject(error) || depth > 4) return undefined;
  const status = n(error.statusCode) ?? n(error.status);
  if (status !== undefined) return status;
  return statusOf(error.lastError, depth + 1) ?? statusOf(error.cause, depth + 1);
}

/**
 * An error chunk that says what happened and what to do: a refused key (401/403), a rate limit
 * (429), a provider outage (5xx), a rejected request (other 4xx), an unreachable provider
 * (DNS, refused connection), or anything else.
 */
export function providerErrorChunk(error: unknown, options: FromAiSdkOptions = {}): ChunkInput {
  const provider = options.providerName ?? "the model provider";
  const Provider = provider.charAt(0).toUpperCase() + provider.slice(1);
  const key = options.apiKeyName ?? "the provider's API key";
  const status = statusOf(error);
  const detail = plainMessage(isObject(error) && isObject(error.lastError) ? error.lastError : error);
  let message: string;
  let code: string;
  if (status === 401 || status === 403) {
    code = AI_SDK_ERROR_CODES.auth;
    message = `${Provider} refused the request (HTTP ${status}): the API key is missing or wrong. Check ${key}, then try again. (${detail})`;
  } else if (status === 429) {
    code = AI_SDK_ERROR_CODES.rateLimit;
    message = `${Provider} is rate limiting this key (HTTP 429): too many requests or the quota is used up. Wait a little and try again, or check the plan's limits. (${detail})`;
  } else if (status !== undefined && status >= 500) {
    code = AI_SDK_ERROR_CODES.server;
    message = `${Provider} had an internal error (HTTP ${status}). It is usually temporary: try again in a moment. (${detail})`;
  } else if (status !== undefined && status >= 400) {
    code = AI_SDK_ERROR_CODES.badRequest;
    message = `${Provider} rejected the request (HTTP ${status}): check the model name and the request. (${detail})`;
  } else if (
    /cannot connect|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|fetch failed/i.test(detail)
  ) {
    code = AI_SDK_ERROR_CODES.unreachable;
    message = `${Provider} could not be reached: check the network and the provider's base URL, then try again. (${detail})`;
  } else {
    code = AI_SDK_ERROR_CODES.other;
    message = `The model call failed: ${detail}`;
  }
  const chunk: ChunkInput = { type: "error", message, code, recoverable: false };
  if (status !== undefined) chunk.metadata = { status };
  return chunk;
}

function toolResultValue(value: unknown): unknown {
  // AI SDK tool outputs are usually plain JSON already; errors become their message.
  if (value instanceof Error) return { error: value.message };
  return value;
}

/**
 * Turns an AI SDK `streamText` result into AgentStream chunks. Use it in a generator agent:
 *
 * ```ts
 * async *run(input, ctx) {
 *   return yield* fromAiSdk(streamText({ model, messages: aiSdkMessages(ctx.messages), abortSignal: ctx.signal }));
 * }
 * ```
 *
 * Text and reasoning deltas become `token` and `thinking`; tool input streams as `tool_call`
 * chunks (`argsDelta`, then the complete `args`); tool results and tool errors become
 * `tool_result` (`success: false` for errors); each step is a `status` (`thinking`, with its
 * iteration) and ends with a `progress` chunk carrying the step's usage in `metadata.usage`
 * (input, output and cached tokens: the kit sums them into the run's metrics); `finish` reports
 * its finish reason in the returned {@link AiSdkOutcome} (and a recoverable `error` chunk when the
 * answer was cut by the output limit or a content filter, or, AI SDK 7, when the provider's stream
 * ended early: `interrupted`); an `error` part becomes an `error`
 * chunk saying what happened and what to do (the text streamed so far stays); an `abort` part
 * (or an AbortError) becomes `interrupted` with the partial text.
 *
 * Tool calls that get no result in the stream (frontend tools, see {@link aiSdkFrontendTools})
 * stay as `tool_call` chunks: the client runs them and sends the result in its next run.
 */
export async function* fromAiSdk(
  source: AiSdkSource,
  options: FromAiSdkOptions = {},
): AsyncGenerator<ChunkInput, AiSdkOutcome, undefined> {
  const stream: AsyncIterable<AiSdkStreamPart> =
    isObject(source) && "fullStream" in source
      ? source.fullStream
      : (source as AsyncIterable<AiSdkStreamPart>);
  let text = "";
  let step = 0;
  let usage: ModelUsage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
  let finishReason: string | undefined;
  /** Tool calls started (streamed input) and their names. */
  const started = new Map<string, string>();
  /**
   * Tool calls whose input streams as raw text (AI SDK 7's `inputEncoding: "text"`): their deltas
   * are streamed as the JSON of `{ input: "<text>" }` (the args the complete call gets), so that
   * `argsDelta` is JSON whatever the encoding. The value says whether the opening was sent.
   */
  const textInput = new Map<string, boolean>();
  /** Tool calls complete but without a result yet. */
  const open = new Map<string, { id: string; name: string; input: unknown }>();
  const outcome = (end: AiSdkOutcome["outcome"]): AiSdkOutcome => ({
    text,
    finishReason,
    usage,
    steps: step,
    pendingToolCalls: [...open.values()],
    outcome: end,
  });
  const interrupted = (reason: string | undefined): ChunkInput => ({
    type: "interrupted",
    reason: reason || "aborted",
    ...(text ? { partial: text } : {}),
  });

  try {
    for await (const part of stream) {
      switch (part.type) {
        case "text-delta": {
          const t = (part as { text?: unknown }).text;
          if (typeof t === "string" && t !== "") {
            text += t;
            yield { type: "token", text: t };
          }
          break;
        }
        case "reasoning-delta": {
          const t = (part as { text?: unknown }).text;
          if (typeof t === "string" && t !== "") yield { type: "thinking", text: t };
          break;
        }
        case "start-step":
          step++;
          yield { type: "status", status: "thinking", iteration: step };
          break;
        case "tool-input-start": {
          const p = part as { id: string; toolName: string; inputEncoding?: unknown };
          started.set(p.id, p.toolName);
          if (p.inputEncoding === "text") textInput.set(p.id, false);
          yield { type: "status", status: "acting", iteration: Math.max(step, 1) };
          yield { type: "tool_call", id: p.id, name: p.toolName };
          break;
        }
        case "tool-input-delta": {
          const p = part as { id: string; delta: string };
          const name = started.get(p.id);
          if (name === undefined || !p.delta) break;
          const opened = textInput.get(p.id);
          if (opened === undefined) {
            yield { type: "tool_call", id: p.id, name, argsDelta: p.delta };
            break;
          }
          textInput.set(p.id, true);
          const escaped = JSON.stringify(p.delta).slice(1, -1);
          yield { type: "tool_call", id: p.id, name, argsDelta: `${opened ? "" : '{"input":"'}${escaped}` };
          break;
        }
        case "tool-input-end": {
          const p = part as { id: string };
          const name = started.get(p.id);
          if (name !== undefined && textInput.get(p.id) === true)
            yield { type: "tool_call", id: p.id, name, argsDelta: '"}' };
          textInput.delete(p.id);
          break;
        }
        case "tool-call": {
          const p = part as { toolCallId: string; toolName: string; input: unknown };
          const args = isObject(p.input) && !Array.isArray(p.input) ? p.input : { input: p.input };
          if (!started.has(p.toolCallId)) {
            started.set(p.toolCallId, p.toolName);
            yield { type: "status", status: "acting", iteration: Math.max(step, 1) };
          }
          open.set(p.toolCallId, { id: p.toolCallId, name: p.toolName, input: p.input });
          yield { type: "tool_call", id: p.toolCallId, name: p.toolName, args };
          break;
        }
        case "tool-result": {
          const p = part as { toolCallId: string; toolName: string; output: unknown; preliminary?: boolean };
          if (p.preliminary) break;
          open.delete(p.toolCallId);
          yield {
            type: "tool_result",
            id: p.toolCallId,
            name: p.toolName,
            result: toolResultValue(p.output),
            success: true,
          };
          yield { type: "status", status: "observing", iteration: Math.max(step, 1) };
          break;
        }
        case "tool-error": {
          const p = part as { toolCallId: string; toolName: string; error: unknown };
          open.delete(p.toolCallId);
          yield {
            type: "tool_result",
            id: p.toolCallId,
            name: p.toolName,
            result: { error: plainMessage(p.error) },
            success: false,
          };
          break;
        }
        case "tool-output-denied": {
          const p = part as { toolCallId: string; toolName: string };
          open.delete(p.toolCallId);
          yield {
            type: "tool_result",
            id: p.toolCallId,
            name: p.toolName,
            result: { error: "The tool call was denied." },
            success: false,
          };
          break;
        }
        case "finish-step": {
          const p = part as { usage?: AiSdkUsage; finishReason?: string };
          const stepUsage = modelUsage(p.usage);
          usage = addUsage(usage, stepUsage);
          finishReason = p.finishReason ?? finishReason;
          yield {
            type: "progress",
            step: `Model step ${Math.max(step, 1)} done${p.finishReason ? ` (${p.finishReason})` : ""}`,
            current: Math.max(step, 1),
            metadata: { usage: stepUsage, ...(p.finishReason ? { finishReason: p.finishReason } : {}) },
          };
          break;
        }
        case "finish": {
          const p = part as { finishReason?: string };
          finishReason = p.finishReason ?? finishReason;
          // An answer the model could not finish is not a failure of the run, but the user should know.
          if (finishReason === "length")
            yield {
              type: "error",
              message:
                "The answer was cut off: the model reached its output token limit (finish reason: length). Ask for a shorter answer or raise the limit.",
              code: "MODEL_OUTPUT_LIMIT",
              recoverable: true,
            };
          else if (finishReason === "content-filter")
            yield {
              type: "error",
              message: "The provider's content filter stopped the answer (finish reason: content-filter).",
              code: "MODEL_CONTENT_FILTER",
              recoverable: true,
            };
          // AI SDK 7: the provider's stream ended without saying it was done.
          else if (finishReason === "interrupted")
            yield {
              type: "error",
              message:
                "The answer may be incomplete: the provider's stream ended before the model said it was done (finish reason: interrupted). Try again.",
              code: "MODEL_STREAM_INTERRUPTED",
              recoverable: true,
            };
          break;
        }
        case "abort": {
          yield interrupted((part as { reason?: string }).reason);
          return outcome("aborted");
        }
        case "error": {
          const error = (part as { error: unknown }).error;
          if (isAbortError(error)) {
            yield interrupted(plainMessage(error));
            return outcome("aborted");
          }
          const chunk = providerErrorChunk(error, options);
          if (text) chunk.metadata = { ...chunk.metadata, partial: text };
          yield chunk;
          return outcome("error");
        }
        default:
          break;
      }
    }
  } catch (error) {
    if (isAbortError(error)) {
      yield interrupted(plainMessage(error));
      return outcome("aborted");
    }
    const chunk = providerErrorChunk(error, options);
    if (text) chunk.metadata = { ...chunk.metadata, partial: text };
    yield chunk;
    return outcome("error");
  }
  return outcome("finished");
}
