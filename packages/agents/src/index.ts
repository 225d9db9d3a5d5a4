/**
 * `@agentstream/agents`: the embedded agents. Research, analyst, calculator, team and default
 * need no API key and do real work (a knowledge base with minisearch, mathjs, text and CSV
 * analysis); `llm` is a real model through the AI SDK and the runtime's `fromAiSdk`.
 *
 * @packageDocumentation
 */
import type { AbstractAgent } from "@ag-ui/client";
import type { AgentDefinition, Logger } from "@agentstream/runtime";
import type { LanguageModel } from "ai";
import { analystAgent } from "./analyst.js";
import { calculatorAgent } from "./calculator.js";
import { defaultAgent } from "./default.js";
import { createLlmAgent, llmProvider } from "./llm.js";
import { researchAgent } from "./research.js";
import { teamAgent } from "./team.js";

/** Options of {@link createEmbeddedAgents}. */
export interface EmbeddedAgentsOptions {
  /** Environment read (never written) for provider keys. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Serve the llm agent with this model whatever the environment says (tests: `MockLanguageModelV3`). */
  llmModel?: LanguageModel;
  /** Told whether the llm agent is enabled, and how to enable it. */
  logger?: Logger;
  /** Leave out the llm agent even when a key is set. */
  noLlm?: boolean;
}

/** The embedded agents by id: default, research, analyst, calculator, team, and llm when a provider is configured. */
export function createEmbeddedAgents(
  options: EmbeddedAgentsOptions = {},
): Record<string, AgentDefinition | AbstractAgent> {
  const agents: Record<string, AgentDefinition | AbstractAgent> = {
    default: defaultAgent,
    research: researchAgent,
    analyst: analystAgent,
    calculator: calculatorAgent,
    team: teamAgent,
  };
  if (options.noLlm) return agents;
  const env = options.env ?? process.env;
  const llm = createLlmAgent({ env, model: options.llmModel });
  if (llm) {
    agents.llm = llm;
    const provider = options.llmModel ? undefined : llmProvider(env);
    options.logger?.info("llm_agent_enabled", {
      provider: provider?.provider ?? "given model",
      model: provider?.model,
    });
  } else {
    options.logger?.info("llm_agent_disabled", {
      hint: "Set OPENAI_API_KEY, ANTHROPIC_API_KEY or OLLAMA_BASE_URL (optionally AGENTSTREAM_LLM_MODEL) to enable the llm agent.",
    });
  }
  return agents;
}

export { analystAgent, createAnalystAgent } from "./analyst.js";
export { calculatorAgent, createCalculatorAgent } from "./calculator.js";
export { createDefaultAgent, defaultAgent, routeByIntent } from "./default.js";
export { type KnowledgeBase, loadKnowledgeBase, type Passage, type SearchHit } from "./knowledge.js";
export {
  createLlmAgent,
  type LlmAgentOptions,
  type LlmProvider,
  llmProvider,
  llmTools,
  providerModel,
} from "./llm.js";
export { createResearchAgent, researchAgent } from "./research.js";
export { createTeamAgent, teamAgent } from "./team.js";
