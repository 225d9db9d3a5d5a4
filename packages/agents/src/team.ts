/**
 * `team`: runs research and analyst in parallel on the same request and merges their streams
 * (core's `merge`): every chunk is tagged with its agent, so the UI can show one lane each.
 *
 * @packageDocumentation
 */
import { merge } from "@agentstream/core";
import { type AgentDefinition, defineAgent } from "@agentstream/runtime";
import { analystAgent } from "./analyst.js";
import { researchAgent } from "./research.js";
import { streamText } from "./text.js";

/** Creates a team agent that runs `members` in parallel (default: research and analyst). */
export function createTeamAgent(
  options: { name?: string; members?: readonly AgentDefinition[] } = {},
): AgentDefinition<Record<string, unknown>> {
  const members = options.members ?? [researchAgent, analystAgent];
  return defineAgent<Record<string, unknown>>({
    name: options.name ?? "team",
    description: `Runs ${members.map((m) => m.name).join(" and ")} in parallel on the same request and merges their streams.`,
    async *run(_input, ctx) {
      yield { type: "status", status: "started" };
      yield { type: "thinking", text: `Running ${members.map((m) => m.name).join(" and ")} in parallel.` };
      yield { type: "status", status: "acting", iteration: 1 };
      const outputs: Record<string, unknown> = {};
      const failed: string[] = [];
      const streams = Object.fromEntries(members.map((m) => [m.name, ctx.run(m)]));
      for await (const chunk of merge(streams, { signal: ctx.signal })) {
        if (chunk.type === "result" && chunk.agent) outputs[chunk.agent] = chunk.output;
        if (chunk.type === "error" && chunk.agent && chunk.recoverable !== true) failed.push(chunk.agent);
        yield chunk;
      }
      yield { type: "status", status: "completed" };
      const done = Object.keys(outputs);
      const summary =
        failed.length === 0
          ? `All ${done.length} agents finished: ${done.join(", ")}.`
          : `${done.length} of ${members.length} agents finished (${done.join(", ") || "none"}); ${failed.join(", ")} failed.`;
      yield* streamText(ctx, summary);
      return outputs;
    },
  });
}

/** The team agent (research + analyst). */
export const teamAgent: AgentDefinition<Record<string, unknown>> = createTeamAgent();
