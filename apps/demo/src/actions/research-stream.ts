/**
 * Streams a server agent's run as AgentStream chunks over the plain AG-UI routes, outside the
 * chat: the `draftSection` action uses it to write a section with the research agent's cited
 * answer. Core's run client does the HTTP work (SSE parsing, resume after a dropped connection,
 * closing the connection when the action stops).
 */
import { createRunClient, type StreamChunk } from "@agentstream/core";

/** Same origin: the demo is served by the server that runs the agents. */
const client = createRunClient();

export async function* streamAgent(
  agentId: string,
  prompt: string,
  signal: AbortSignal,
): AsyncGenerator<StreamChunk, void, undefined> {
  const run = client.run(agentId, prompt, { signal });
  try {
    for await (const chunk of run.chunks()) yield chunk;
  } catch (error) {
    throw new Error(
      `The ${agentId} agent could not run: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    // The action was stopped (its signal, or return() at a yield): stop the agent on the server
    // too, since closing the connection alone only detaches from the run.
    if (run.status !== "done" && run.status !== "error") void run.stop();
  }
}
