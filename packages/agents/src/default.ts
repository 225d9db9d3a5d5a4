/**
 * `default`: routes the latest user message to the right agent by intent. When the host offered
 * a frontend tool that matches the request, it calls that tool instead (arguments taken from the
 * message) and ends the run; in the next run (last message `role: "tool"`) it answers with the
 * result. Generator-based frontend actions thus work end to end with no model.
 *
 * @packageDocumentation
 */
import { type AgentDefinition, defineAgent } from "@agentstream/runtime";
import { analystAgent } from "./analyst.js";
import { parseTable } from "./analyze.js";
import { calculatorAgent } from "./calculator.js";
import { argsFromMessage, describeToolResult, matchFrontendTool } from "./frontend-tools.js";
import { looksLikeMath } from "./math.js";
import { researchAgent } from "./research.js";
import { teamAgent } from "./team.js";
import { streamText, streamThinking } from "./text.js";

/** Where {@link routeByIntent} sends a message, and why. */
export interface Route {
  agent: AgentDefinition;
  reason: string;
}

/** The agents the router may pick from. */
export interface RouterAgents {
  research: AgentDefinition;
  analyst: AgentDefinition;
  calculator: AgentDefinition;
  team: AgentDefinition;
}

const DEFAULT_ROUTES: RouterAgents = {
  research: researchAgent,
  analyst: analystAgent,
  calculator: calculatorAgent,
  team: teamAgent,
};

/** Picks the agent for a message: team, calculator, analyst, or research. */
export function routeByIntent(message: string, agents: RouterAgents = DEFAULT_ROUTES): Route {
  const text = message.trim();
  if (/\b(team|both agents|in parallel|research and analy[sz]e)\b/i.test(text)) {
    return { agent: agents.team, reason: "the request asks for several agents at once" };
  }
  if (looksLikeMath(text))
    return { agent: agents.calculator, reason: "the request is arithmetic or a unit conversion" };
  if (parseTable(text)) return { agent: agents.analyst, reason: "the message contains tabular data" };
  const lines = text.split(/\n/).filter((l) => l.trim()).length;
  if (
    (/\b(analy[sz]e|statistics|stats|word count|summari[sz]e)\b/i.test(text) && text.length > 80) ||
    text.length > 600 ||
    lines >= 5
  ) {
    return { agent: agents.analyst, reason: "the message is material to analyze" };
  }
  return { agent: agents.research, reason: "the request is a question for the knowledge base" };
}

/** Creates the routing agent. */
export function createDefaultAgent(options: { name?: string; agents?: RouterAgents } = {}): AgentDefinition {
  const agents = options.agents ?? DEFAULT_ROUTES;
  return defineAgent({
    name: options.name ?? "default",
    description:
      "Routes each request to research, analyst, calculator or team, and calls the page's frontend tools when a request matches one.",
    async *run(input, ctx) {
      // The result of a frontend tool call made in the previous run.
      const toolResult = ctx.toolResult;
      if (toolResult) {
        yield { type: "status", status: "observing" };
        const args = Object.keys(toolResult.args).length ? ` with ${JSON.stringify(toolResult.args)}` : "";
        const answer = toolResult.isError
          ? `The ${toolResult.name || "frontend"} tool failed${args}: ${toolResult.content.replace(/^Error:\s*/, "")}`
          : `I ran ${toolResult.name || "the tool"}${args} in your app. It returned ${describeToolResult(toolResult.value)}.`;
        yield* streamText(ctx, answer);
        yield { type: "status", status: "completed" };
        return {
          tool: toolResult.name,
          args: toolResult.args,
          result: toolResult.value,
          success: !toolResult.isError,
        };
      }

      const prompt = input.prompt.trim();
      if (!prompt) {
        yield* streamText(
          ctx,
          "Hi! Ask me about streaming and AG-UI (research), paste text or CSV (analyst), give me an expression (calculator), or ask for both research and analysis (team).",
        );
        return { routed: "none" };
      }

      const match = matchFrontendTool(prompt, ctx.tools);
      if (match) {
        const args = argsFromMessage(prompt, match.tool);
        yield { type: "status", status: "acting" };
        yield* streamThinking(
          ctx,
          `The request matches the app's "${match.tool.name}" tool (${match.matched.join(", ")}). Calling it.`,
        );
        yield* ctx.callTool(match.tool.name, args);
      }

      const route = routeByIntent(prompt, agents);
      yield { type: "status", status: "thinking" };
      yield* streamThinking(ctx, `Routing to ${route.agent.name}: ${route.reason}.`);
      // Delegation: the chosen agent speaks as this one, and its result ends the run.
      yield* ctx.run(route.agent, { tag: false });
    },
  });
}

/** The routing agent. */
export const defaultAgent: AgentDefinition = createDefaultAgent();
