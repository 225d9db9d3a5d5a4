/**
 * `llm`: a real model streaming through the same pipeline as every generator agent. Written with
 * the Vercel AI SDK (`streamText`) and the runtime's `fromAiSdk`: the embedded agents' tools
 * (knowledge search, calculator, text/CSV analysis) run on the server, and the page's frontend
 * tools (`ctx.tools`) are offered to the model, so a generator-based browser action can be called
 * by the model.
 *
 * Enabled only when a provider is configured: `OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, or
 * `OLLAMA_BASE_URL` (the OpenAI-compatible endpoint of a local Ollama). `AGENTSTREAM_LLM_MODEL`
 * overrides the model ("openai/gpt-4o-mini", "anthropic/claude-haiku-4-5", an Ollama model name).
 * Tests pass a model (the AI SDK's `MockLanguageModelV3`) instead.
 *
 * @packageDocumentation
 */

import {
  type AgentDefinition,
  aiSdkFrontendTools,
  aiSdkMessages,
  defineAgent,
  type FromAiSdkOptions,
  fromAiSdk,
} from "@agentstream/runtime";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { jsonSchema, type LanguageModel, stepCountIs, streamText, tool } from "ai";
import {
  columnStats,
  keySentence,
  parseTable,
  summariseTable,
  summariseText,
  textStats,
  topTerms,
} from "./analyze.js";
import { defaultKnowledgeBase } from "./knowledge.js";
import { calculate } from "./math.js";

const stringParam = (name: string, description: string) =>
  jsonSchema<Record<string, string>>({
    type: "object",
    properties: { [name]: { type: "string", description } },
    required: [name],
    additionalProperties: false,
  });

/** The server-side tools of the llm agent (AI SDK tools with `execute`). */
export function llmTools() {
  return {
    search_knowledge: tool({
      description:
        "Searches the AgentStream knowledge base (streaming, SSE, AG-UI, CopilotKit, this project). Returns passages with sources.",
      inputSchema: stringParam("query", "What to search for"),
      execute: async ({ query }) => defaultKnowledgeBase().search(String(query), 4),
    }),
    calculate: tool({
      description:
        "Evaluates an arithmetic or unit expression with mathjs, e.g. '2 * (3 + 4)' or '5 km to mile'.",
      inputSchema: stringParam("expression", "The expression"),
      execute: async ({ expression }) => {
        try {
          return calculate(String(expression));
        } catch (error) {
          return { error: error instanceof Error ? error.message : String(error) };
        }
      },
    }),
    analyze_text: tool({
      description: "Computes statistics, top terms and a summary of a text or of CSV data.",
      inputSchema: stringParam("text", "The text or CSV to analyze"),
      execute: async ({ text: input }) => {
        const text = String(input);
        const table = parseTable(text);
        if (table) {
          const stats = columnStats(table);
          return { kind: "table", stats, summary: summariseTable(table, stats) };
        }
        const stats = textStats(text);
        const top = topTerms(text);
        return {
          kind: "text",
          stats,
          topTerms: top,
          summary: summariseText(stats, top, keySentence(text, top)),
        };
      },
    }),
  };
}

/** The provider the environment configures, if any. */
export interface LlmProvider {
  provider: "openai" | "anthropic" | "ollama";
  /** `provider/model`. */
  model: string;
  /** The environment variable holding the key (named in error messages). */
  keyName: string;
}

/** Which provider the environment configures, if any (OpenAI first, then Anthropic, then Ollama). */
export function llmProvider(env: Readonly<Record<string, string | undefined>>): LlmProvider | undefined {
  const override = env.AGENTSTREAM_LLM_MODEL?.trim() || undefined;
  if (env.OPENAI_API_KEY)
    return { provider: "openai", model: override ?? "openai/gpt-4o-mini", keyName: "OPENAI_API_KEY" };
  if (env.ANTHROPIC_API_KEY)
    return {
      provider: "anthropic",
      model: override ?? "anthropic/claude-haiku-4-5",
      keyName: "ANTHROPIC_API_KEY",
    };
  if (env.OLLAMA_BASE_URL) {
    const name = override ?? env.OLLAMA_MODEL ?? "llama3.2";
    return {
      provider: "ollama",
      model: name.includes("/") ? name : `ollama/${name}`,
      keyName: "OLLAMA_BASE_URL",
    };
  }
  return undefined;
}

const modelId = (model: string) => (model.includes("/") ? model.slice(model.indexOf("/") + 1) : model);

/** The AI SDK model for a provider (no network until it is called; nothing written to `process.env`). */
export function providerModel(
  provider: LlmProvider,
  env: Readonly<Record<string, string | undefined>>,
): LanguageModel {
  switch (provider.provider) {
    case "openai":
      return createOpenAI({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL || undefined })(
        modelId(provider.model),
      );
    case "anthropic":
      return createAnthropic({ apiKey: env.ANTHROPIC_API_KEY })(modelId(provider.model));
    case "ollama":
      return createOpenAI({
        apiKey: "ollama",
        baseURL: `${(env.OLLAMA_BASE_URL ?? "").replace(/\/+$/, "")}/v1`,
      }).chat(modelId(provider.model));
  }
}

const SYSTEM_PROMPT =
  "You are the AgentStream demo assistant. Use search_knowledge for questions about streaming, SSE, AG-UI, CopilotKit or AgentStream and cite the sources; use calculate for arithmetic and unit conversions; use analyze_text for pasted text or CSV. Use the app's frontend tools when the user asks for something they do. Be concise.";

/** Options of {@link createLlmAgent}. */
export interface LlmAgentOptions {
  /** Environment read for the provider. Default `process.env` (read, never written). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Use this model instead of the environment's provider (tests: `MockLanguageModelV3` from `ai/test`). */
  model?: LanguageModel;
  /** Agent id. Default `llm`. */
  name?: string;
  /** Most model steps per run (tool calls need one each). Default 5. */
  maxSteps?: number;
  /** Retries of a failed model call (the AI SDK's `maxRetries`). Default 2. */
  maxRetries?: number;
  /** System prompt. */
  system?: string;
}

/**
 * Creates the llm agent, or `undefined` when no model is given and the environment configures
 * no provider.
 */
export function createLlmAgent(options: LlmAgentOptions = {}): AgentDefinition | undefined {
  const env = options.env ?? process.env;
  const provider = options.model === undefined ? llmProvider(env) : undefined;
  if (options.model === undefined && provider === undefined) return undefined;
  const model = options.model ?? providerModel(provider as LlmProvider, env);
  const label = provider ? `A ${provider.provider} model (${provider.model})` : "A language model";
  const errors: FromAiSdkOptions = provider
    ? {
        providerName: { openai: "OpenAI", anthropic: "Anthropic", ollama: "Ollama" }[provider.provider],
        apiKeyName: provider.keyName,
      }
    : {};
  const tools = llmTools();
  return defineAgent({
    name: options.name ?? "llm",
    description: `${label} streaming through the AI SDK, with the knowledge, calculator and analysis tools and the page's frontend tools.`,
    async *run(_input, ctx) {
      yield { type: "status", status: "started" };
      const result = streamText({
        model,
        system: options.system ?? SYSTEM_PROMPT,
        messages: aiSdkMessages(ctx.messages),
        tools: { ...aiSdkFrontendTools(ctx.tools), ...tools },
        stopWhen: stepCountIs(options.maxSteps ?? 5),
        maxRetries: options.maxRetries ?? 2,
        abortSignal: ctx.signal,
        // Errors arrive in the stream (fromAiSdk turns them into an error chunk): no console noise.
        onError: () => {},
      });
      const outcome = yield* fromAiSdk(result, errors);
      if (outcome.outcome === "finished") yield { type: "status", status: "completed" };
      return {
        text: outcome.text,
        finishReason: outcome.finishReason,
        usage: outcome.usage,
        steps: outcome.steps,
        ...(outcome.pendingToolCalls.length ? { pendingToolCalls: outcome.pendingToolCalls } : {}),
      };
    },
  });
}
