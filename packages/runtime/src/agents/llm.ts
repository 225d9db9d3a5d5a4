/**
 * `llm`: a real model streaming through the same pipeline, with the embedded agents' tools
 * (knowledge search, calculator, text/CSV analysis) as server-side tools, and the page's
 * frontend tools as the host offers them. Built on CopilotKit v2's `BuiltInAgent`.
 *
 * Enabled only when a provider is configured: `OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, or
 * `OLLAMA_BASE_URL` (OpenAI-compatible endpoint of a local Ollama). `AGENTSTREAM_LLM_MODEL`
 * overrides the model ("openai/gpt-4o-mini", "anthropic/claude-haiku-4-5", an Ollama model name).
 * Not exercised by the test suite (no network here).
 *
 * @packageDocumentation
 */
import type { AbstractAgent } from "@ag-ui/client";
import { BuiltInAgent, defineTool } from "@copilotkit/runtime/v2";
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

type ToolParameters = Parameters<typeof defineTool>[0]["parameters"];

/** A Standard Schema (with its JSON Schema) for a plain JSON-schema object, without zod. */
function jsonSchema(schema: Record<string, unknown>): ToolParameters {
  return {
    "~standard": {
      version: 1,
      vendor: "agentstream",
      validate: (value: unknown) => ({ value }),
      jsonSchema: { input: () => schema, output: () => schema },
    },
  } as unknown as ToolParameters;
}

const stringParam = (name: string, description: string) =>
  jsonSchema({
    type: "object",
    properties: { [name]: { type: "string", description } },
    required: [name],
    additionalProperties: false,
  });

/** The server-side tools of the llm agent. */
export function llmTools(): ReturnType<typeof defineTool>[] {
  return [
    defineTool({
      name: "search_knowledge",
      description:
        "Searches the AgentStream knowledge base (streaming, SSE, AG-UI, CopilotKit, this project). Returns passages with sources.",
      parameters: stringParam("query", "What to search for"),
      execute: async (args) => defaultKnowledgeBase().search(String((args as { query: string }).query), 4),
    }),
    defineTool({
      name: "calculate",
      description:
        "Evaluates an arithmetic or unit expression with mathjs, e.g. '2 * (3 + 4)' or '5 km to mile'.",
      parameters: stringParam("expression", "The expression"),
      execute: async (args) => {
        try {
          return calculate(String((args as { expression: string }).expression));
        } catch (error) {
          return { error: error instanceof Error ? error.message : String(error) };
        }
      },
    }),
    defineTool({
      name: "analyze_text",
      description: "Computes statistics, top terms and a summary of a text or of CSV data.",
      parameters: stringParam("text", "The text or CSV to analyze"),
      execute: async (args) => {
        const text = String((args as { text: string }).text);
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
  ];
}

/** Which provider the environment configures, if any. */
export function llmProvider(
  env: Readonly<Record<string, string | undefined>>,
): { model: string; apiKey?: string; provider: string } | undefined {
  const override = env.AGENTSTREAM_LLM_MODEL?.trim();
  if (env.OPENAI_API_KEY)
    return { provider: "openai", model: override ?? "openai/gpt-4o-mini", apiKey: env.OPENAI_API_KEY };
  if (env.ANTHROPIC_API_KEY)
    return {
      provider: "anthropic",
      model: override ?? "anthropic/claude-haiku-4-5",
      apiKey: env.ANTHROPIC_API_KEY,
    };
  if (env.OLLAMA_BASE_URL) {
    const name = override ?? env.OLLAMA_MODEL ?? "llama3.2";
    return { provider: "ollama", model: name.includes("/") ? name : `openai/${name}`, apiKey: "ollama" };
  }
  return undefined;
}

/** Creates the llm agent, or `undefined` when no provider is configured. */
export function createLlmAgent(
  env: Readonly<Record<string, string | undefined>> = process.env,
): AbstractAgent | undefined {
  const provider = llmProvider(env);
  if (!provider) return undefined;
  if (provider.provider === "ollama" && env.OLLAMA_BASE_URL) {
    // BuiltInAgent's OpenAI provider reads its base URL from the environment.
    process.env.OPENAI_BASE_URL ??= `${env.OLLAMA_BASE_URL.replace(/\/+$/, "")}/v1`;
  }
  const agent = new BuiltInAgent({
    model: provider.model,
    apiKey: provider.apiKey,
    maxSteps: 5,
    tools: llmTools(),
    prompt:
      "You are the AgentStream demo assistant. Use search_knowledge for questions about streaming, SSE, AG-UI, CopilotKit or AgentStream and cite the sources; use calculate for arithmetic and unit conversions; use analyze_text for pasted text or CSV. Use the app's frontend tools when the user asks for something they do. Be concise.",
  });
  agent.description = `A ${provider.provider} model (${provider.model}) with the knowledge, calculator and analysis tools.`;
  return agent as unknown as AbstractAgent;
}
