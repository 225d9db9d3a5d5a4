import { AbstractAgent } from "@ag-ui/client";
import { type BaseEvent, EventType, type RunAgentInput } from "@ag-ui/core";
import { Observable } from "rxjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counter } from "./fixtures.js";
import {
  copilotRunUrl,
  plainRunUrl,
  runInput,
  runWithHttpAgent,
  type Started,
  startServer,
} from "./helpers.js";

/** A plain AG-UI agent (not a generator): served next to generator agents. */
class EchoAgent extends AbstractAgent {
  constructor() {
    super({ description: "Echoes the last message." });
  }
  run(input: RunAgentInput): Observable<BaseEvent> {
    return new Observable<BaseEvent>((sub) => {
      const last = input.messages.at(-1);
      const text = typeof last?.content === "string" ? last.content : "";
      const events = [
        { type: EventType.RUN_STARTED, threadId: input.threadId, runId: input.runId },
        { type: EventType.TEXT_MESSAGE_START, messageId: "m1", role: "assistant" },
        { type: EventType.TEXT_MESSAGE_CONTENT, messageId: "m1", delta: `echo: ${text}` },
        { type: EventType.TEXT_MESSAGE_END, messageId: "m1" },
        { type: EventType.RUN_FINISHED, threadId: input.threadId, runId: input.runId },
      ] as BaseEvent[];
      for (const e of events) sub.next(e);
      sub.complete();
    });
  }
}

let s: Started;
beforeAll(async () => {
  s = await startServer({ agents: { echo: new EchoAgent(), counter } });
});
afterAll(async () => {
  await s.close();
});

describe("any AG-UI agent can be served too", () => {
  it.each(["copilotkit", "plain"])("through the %s route", async (route) => {
    const url = route === "plain" ? plainRunUrl(s.url, "echo") : copilotRunUrl(s.url, "echo");
    const run = await runWithHttpAgent(url, runInput("hello"));
    expect(run.error).toBeUndefined();
    expect(run.text).toBe("echo: hello");
  });

  it("is listed with its kind", async () => {
    const body = (await (await fetch(`${s.url}/api/agents`)).json()) as {
      agents: { id: string; kind: string }[];
    };
    expect(body.agents).toEqual([
      expect.objectContaining({ id: "echo", kind: "agui", description: "Echoes the last message." }),
      expect.objectContaining({ id: "counter", kind: "generator" }),
    ]);
  });

  it("CopilotKit's run route answers with SSE headers that defeat proxy buffering", async () => {
    const res = await fetch(copilotRunUrl(s.url, "counter"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(runInput("x")),
    });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    expect(res.headers.get("cache-control")).toMatch(/no-cache/);
    await res.text();
  });
});
