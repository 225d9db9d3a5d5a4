/**
 * The runtime's test helpers (real server on port 0, HttpAgent runs, waits), with a server that
 * serves the embedded agents unless told otherwise.
 */
import type { AgentServerOptions } from "@agentstream/runtime";
import { type Started, startServer as startRuntimeServer } from "../../runtime/test/helpers.js";
import { createEmbeddedAgents } from "../src/index.js";

export {
  copilotRunUrl,
  type HttpRun,
  healthz,
  plainRunUrl,
  runInput,
  runWithHttpAgent,
  type Started,
  type TimedEvent,
  userMessage,
  waitFor,
} from "../../runtime/test/helpers.js";

/** A real server on 127.0.0.1, port 0, quiet, pace 0, serving the embedded agents (without llm) unless told otherwise. */
export function startServer(options: Partial<AgentServerOptions> = {}): Promise<Started> {
  return startRuntimeServer({ ...options, agents: options.agents ?? createEmbeddedAgents({ env: {} }) });
}
