import { useEffect, useState } from "react";

/** An agent the server offers (GET /api/agents). */
export interface AgentInfo {
  id: string;
  description: string;
}

/** The embedded agents, shown until the server answers (and if it cannot be reached). */
export const EMBEDDED_AGENTS: AgentInfo[] = [
  { id: "default", description: "Routes each request to the right agent and calls the app's actions." },
  { id: "research", description: "Answers from a bundled knowledge base, with citations." },
  { id: "analyst", description: "Analyzes pasted text or CSV step by step." },
  { id: "calculator", description: "Arithmetic and unit conversions, with the steps." },
  { id: "team", description: "Research and analyst in parallel, one lane each." },
];

const ORDER = ["default", "research", "analyst", "calculator", "team", "llm"];

/** The agents listed by the server, in a stable order (llm appears only when the server has a key). */
export function useAgents(): { agents: AgentInfo[]; loaded: boolean; error: string | null } {
  const [state, setState] = useState<{ agents: AgentInfo[]; loaded: boolean; error: string | null }>({
    agents: EMBEDDED_AGENTS,
    loaded: false,
    error: null,
  });
  useEffect(() => {
    const controller = new AbortController();
    fetch("/api/agents", { signal: controller.signal, headers: { accept: "application/json" } })
      .then(async (res) => {
        if (!res.ok) throw new Error(`GET /api/agents: ${res.status}`);
        const body = (await res.json()) as { agents?: { id: string; description?: string }[] };
        const agents = (body.agents ?? [])
          .map((a) => ({ id: a.id, description: a.description ?? "" }))
          .sort((a, b) => rank(a.id) - rank(b.id));
        setState({ agents: agents.length ? agents : EMBEDDED_AGENTS, loaded: true, error: null });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setState((s) => ({
          ...s,
          loaded: true,
          error: error instanceof Error ? error.message : String(error),
        }));
      });
    return () => controller.abort();
  }, []);
  return state;
}

function rank(id: string): number {
  const i = ORDER.indexOf(id);
  return i < 0 ? ORDER.length : i;
}
