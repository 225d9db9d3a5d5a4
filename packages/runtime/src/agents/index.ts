/**
 * The embedded agents: no API key needed, doing real work.
 *
 * @packageDocumentation
 */
import type { AbstractAgent } from "@ag-ui/client";
import type { AgentDefinition } from "../agent/define.js";
import type { Logger } from "../server/logging.js";
import { analystAgent } from "./analyst.js";
import { calculatorAgent } from "./calculator.js";
import { defaultAgent } from "./default.js";
import { createLlmAgent, llmProvider } from "./llm.js";
import { researchAgent } from "./research.js";
import { teamAgent } from "./team.js";

/** Options of {@link createEmbeddedAgents}. */
export interface EmbeddedAgentsOptions {
  /** Environment read for provider keys. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
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
  const llm = createLlmAgent(env);
  if (llm) {
    agents.llm = llm;
    options.logger?.info("llm_agent_enabled", {
      provider: llmProvider(env)?.provider,
      model: llmProvider(env)?.model,
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
export { createLlmAgent } from "./llm.js";
export { createResearchAgent, researchAgent } from "./research.js";
export { createTeamAgent, teamAgent } from "./team.js";
