import { randomUUID } from "node:crypto";
import { HttpAgent } from "@ag-ui/client";
import type { BaseEvent, Message, RunAgentInput, Tool } from "@ag-ui/core";
import { type AgentServer, createAgentServer } from "../src/express.js";
import { type AgentServerOptions, silentLogger } from "../src/index.js";

export interface Started {
  server: AgentServer;
  url: string;
  close(): Promise<void>;
}

/** A real server on 127.0.0.1, port 0, quiet, pace 0. */
export async function startServer(options: AgentServerOptions): Promise<Started> {
  const server = createAgentServer({ logger: silentLogger, paceMs: 0, ...options });
  const url = await server.listen(0, "127.0.0.1");
  return { server, url, close: () => server.close() };
}

export function userMessage(content: string): Message {
  return { id: randomUUID(), role: "user", content };
}

/** A RunAgentInput with one user message. */
export function runInput(content: string, extra: Partial<RunAgentInput> = {}): RunAgentInput {
  return {
    threadId: randomUUID(),
    runId: randomUUID(),
    messages: [userMessage(content)],
    tools: [],
    context: [],
    state: {},
    forwardedProps: {},
    ...extra,
  };
}

export interface TimedEvent {
  event: BaseEvent;
  at: number;
}

export interface HttpRun {
  events: TimedEvent[];
  types: string[];
  text: string;
  result: unknown;
  newMessages: Message[];
  error?: unknown;
}

/**
 * Runs an agent over HTTP with @ag-ui/client's HttpAgent (its runAgent pipeline applies the
 * AG-UI verifier: an invalid stream rejects).
 */
export async function runWithHttpAgent(
  url: string,
  input: RunAgentInput,
  options: {
    headers?: Record<string, string>;
    abortController?: AbortController;
    onEvent?: (e: BaseEvent) => void;
  } = {},
): Promise<HttpRun> {
  const agent = new HttpAgent({
    url,
    threadId: input.threadId,
    initialMessages: input.messages,
    initialState: input.state,
    headers: options.headers,
  });
  const events: TimedEvent[] = [];
  let error: unknown;
  let out: { result: unknown; newMessages: Message[] } = { result: undefined, newMessages: [] };
  try {
    out = await agent.runAgent(
      {
        runId: input.runId,
        tools: input.tools as Tool[],
        context: input.context,
        forwardedProps: input.forwardedProps,
        abortController: options.abortController,
      },
      {
        onEvent: ({ event }) => {
          events.push({ event, at: performance.now() });
          options.onEvent?.(event);
        },
      },
    );
  } catch (e) {
    error = e;
  }
  const text = events
    .filter((e) => e.event.type === "TEXT_MESSAGE_CONTENT")
    .map((e) => (e.event as unknown as { delta: string }).delta)
    .join("");
  return {
    events,
    types: events.map((e) => e.event.type),
    text,
    result: out.result,
    newMessages: out.newMessages,
    error,
  };
}

/** Polls until `check()` is true or `timeoutMs` passes. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 2_000,
  everyMs = 5,
): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return check();
}

export async function healthz(url: string): Promise<{ status: string; activeStreams: number }> {
  const res = await fetch(`${url}/healthz`);
  return (await res.json()) as { status: string; activeStreams: number };
}

export const copilotRunUrl = (url: string, agentId: string) => `${url}/api/copilotkit/agent/${agentId}/run`;
export const plainRunUrl = (url: string, agentId: string) => `${url}/api/agents/${agentId}/run`;
