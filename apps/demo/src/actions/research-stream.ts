/**
 * Streams a server agent's run as AgentStream chunks over the plain AG-UI endpoint
 * (`POST /api/agents/:id/run`), outside the chat: the `draftSection` action uses it to write
 * a section with the research agent's cited answer.
 */
import { ChunkDecoder, readAgUiEvents, type StreamChunk } from "@agentstream/core";

function uid(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

export async function* streamAgent(
  agentId: string,
  prompt: string,
  signal: AbortSignal,
): AsyncGenerator<StreamChunk, void, undefined> {
  const response = await fetch(`/api/agents/${encodeURIComponent(agentId)}/run`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({
      threadId: uid("draft"),
      runId: uid("run"),
      messages: [{ id: uid("msg"), role: "user", content: prompt }],
      tools: [],
      context: [],
      state: {},
      forwardedProps: {},
    }),
    signal,
  });
  if (!response.ok || !response.body) {
    let detail = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { error?: { message?: string } };
      if (body.error?.message) detail = body.error.message;
    } catch {
      // not JSON: keep the status line
    }
    throw new Error(`The ${agentId} agent could not start: ${detail}`);
  }
  const decoder = new ChunkDecoder();
  for await (const event of readAgUiEvents(response.body, { signal })) {
    const chunk = decoder.decodeOne(event);
    if (chunk) yield chunk;
  }
}
