/**
 * Requests to the benchmark server: RunAgentInput bodies and a plain SSE reader.
 *
 * @packageDocumentation
 */
import { randomUUID } from "node:crypto";
import type { BaseEvent, RunAgentInput } from "@ag-ui/core";
import { readAgUiEvents } from "@agentstream/core";

/** A RunAgentInput asking the benchmark agents for about `events` events. */
export function runInput(events: number): RunAgentInput {
  return {
    threadId: randomUUID(),
    runId: randomUUID(),
    messages: [{ id: randomUUID(), role: "user", content: `events=${events}` }],
    tools: [],
    context: [],
    state: {},
    forwardedProps: {},
  };
}

/** The plain AG-UI endpoint of an agent. */
export const plainUrl = (base: string, agentId: string) => `${base}/api/agents/${agentId}/run`;
/** CopilotKit's run route of an agent. */
export const copilotUrl = (base: string, agentId: string) => `${base}/api/copilotkit/agent/${agentId}/run`;

/** What {@link readRun} measured. */
export interface ReadRun {
  /** From the request to the end of the stream. */
  totalMs: number;
  /** From the request to the first event. */
  firstEventMs: number;
  events: number;
  last: BaseEvent | undefined;
}

/** POSTs a run and reads its SSE stream to the end with core's parser, calling `onEvent` per event. */
export async function readRun(
  url: string,
  input: RunAgentInput,
  onEvent?: (event: BaseEvent) => void,
): Promise<ReadRun> {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify(input),
  });
  if (!res.ok || !res.body)
    throw new Error(`POST ${url}: HTTP ${res.status} ${await res.text().catch(() => "")}`);
  let firstEventMs = Number.NaN;
  let events = 0;
  let last: BaseEvent | undefined;
  for await (const event of readAgUiEvents(res.body)) {
    if (events === 0) firstEventMs = performance.now() - t0;
    events++;
    last = event;
    onEvent?.(event);
  }
  return { totalMs: performance.now() - t0, firstEventMs, events, last };
}

/** The plain route that replays and follows a thread (`Last-Event-ID` resume). */
export const threadEventsUrl = (base: string, agentId: string, threadId: string) =>
  `${base}/api/agents/${agentId}/threads/${threadId}/events`;
