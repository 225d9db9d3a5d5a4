/**
 * The agents a server serves, by id: generator agents (definitions) and any other AG-UI agent.
 *
 * @packageDocumentation
 */
import type { AbstractAgent } from "@ag-ui/client";
import { type AgentDefinition, isAgentDefinition } from "../agent/define.js";
import { GeneratorAgent } from "../agent/generator-agent.js";
import type { StreamRegistry } from "../agent/registry.js";

/** An agent as the server serves it. */
export interface ServedAgent {
  /** The agent id (route parameter). */
  id: string;
  description: string;
  /** Set for generator agents: the plain endpoint runs it directly, with backpressure. */
  definition?: AgentDefinition;
  /** The AG-UI agent CopilotKit's runtime clones per request. */
  agent: AbstractAgent;
  /** Its output rate per stream (the definition's, else the server's); undefined: no limit. */
  eventsPerSecond?: number;
}

/** What `createAgentServer({ agents })` accepts: definitions and/or AG-UI agents, by id or as a list of definitions. */
export type AgentsInput =
  | readonly AgentDefinition[]
  | Readonly<Record<string, AgentDefinition | AbstractAgent>>;

/**
 * Builds the table; generator agents are wrapped in {@link GeneratorAgent}s that share `registry`
 * and `paceMs`; `eventsPerSecond` is the server's output rate (an agent's own overrides it).
 */
export function buildAgentTable(
  agents: AgentsInput,
  options: { paceMs: number; registry: StreamRegistry; eventsPerSecond?: number },
): Map<string, ServedAgent> {
  const rate = (own: number | undefined) => {
    const eventsPerSecond = own ?? options.eventsPerSecond;
    return eventsPerSecond === undefined ? {} : { eventsPerSecond };
  };
  const entries: [string, AgentDefinition | AbstractAgent][] = Array.isArray(agents)
    ? (agents as readonly AgentDefinition[]).map((def) => [def.name, def])
    : Object.entries(agents as Record<string, AgentDefinition | AbstractAgent>);
  const table = new Map<string, ServedAgent>();
  for (const [id, value] of entries) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id))
      throw new TypeError(`Agent id ${JSON.stringify(id)} must be 1-64 letters, digits, "-" or "_"`);
    if (table.has(id)) throw new TypeError(`Two agents share the id "${id}"`);
    if (isAgentDefinition(value)) {
      table.set(id, {
        id,
        description: value.description,
        definition: value,
        agent: new GeneratorAgent(value, { paceMs: options.paceMs, registry: options.registry }),
        ...rate(value.eventsPerSecond),
      });
    } else {
      table.set(id, { id, description: value.description ?? "", agent: value, ...rate(undefined) });
    }
  }
  if (table.size === 0) throw new TypeError("createAgentServer: at least one agent is required");
  return table;
}
