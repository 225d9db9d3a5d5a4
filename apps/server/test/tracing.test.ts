/**
 * Tracing end to end: the server app's SDK wiring (the real OTLP/HTTP exporter) sends the
 * runtime's run spans to a local OTLP receiver (a node:http server taking POST /v1/traces); a
 * request's W3C `traceparent` is continued.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { defineAgent, silentLogger } from "@agentstream/runtime";
import { createAgentServer } from "@agentstream/runtime/express";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTracing, type Tracing } from "../src/tracing.js";

interface OtlpSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  status?: { code?: number };
}

const received: OtlpSpan[] = [];
let receiver: Server;
let tracing: Tracing | undefined;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => {
      body += d.toString();
    });
    req.on("end", () => {
      if (req.url === "/v1/traces") {
        const data = JSON.parse(body) as {
          resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
        };
        for (const rs of data.resourceSpans) for (const ss of rs.scopeSpans) received.push(...ss.spans);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", () => resolve()));
  const port = (receiver.address() as AddressInfo).port;
  tracing = startTracing({
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_SERVICE_NAME: "test",
  });
});

afterAll(async () => {
  await tracing?.shutdown();
  receiver.close();
});

const attr = (span: OtlpSpan, key: string) => {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return v ? Object.values(v)[0] : undefined;
};

it("a run is a span agentstream.run in the request's trace, with its figures", async () => {
  expect(tracing).toBeDefined();
  const echo = defineAgent({
    name: "echo",
    description: "says three words",
    async *run() {
      yield "one ";
      yield { type: "tool_call", id: "c1", name: "lookup", args: { q: "x" } };
      yield { type: "tool_result", id: "c1", name: "lookup", result: 42, success: true };
      yield "two ";
      yield "three";
    },
  });
  const server = createAgentServer({ agents: { echo }, logger: silentLogger, paceMs: 0 });
  const url = await server.listen(0, "127.0.0.1");
  try {
    const traceId = randomUUID().replace(/-/g, "");
    const parentSpanId = randomUUID().replace(/-/g, "").slice(0, 16);
    const threadId = randomUUID();
    const res = await fetch(`${url}/api/agents/echo/run`, {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: `00-${traceId}-${parentSpanId}-01` },
      body: JSON.stringify({
        threadId,
        runId: randomUUID(),
        messages: [{ id: "m", role: "user", content: "hi" }],
        tools: [],
        context: [],
        state: {},
        forwardedProps: {},
      }),
    });
    expect(await res.text()).toContain("three");
    await tracing?.flush();
    const span = received.find(
      (s) => s.name === "agentstream.run" && attr(s, "agentstream.thread_id") === threadId,
    );
    expect(span, JSON.stringify(received.map((s) => s.name))).toBeDefined();
    expect(span?.traceId).toBe(traceId);
    expect(span?.parentSpanId).toBe(parentSpanId);
    expect(attr(span as OtlpSpan, "agentstream.agent")).toBe("echo");
    expect(attr(span as OtlpSpan, "agentstream.route")).toBe("plain");
    expect(attr(span as OtlpSpan, "agentstream.outcome")).toBe("completed");
    expect(Number(attr(span as OtlpSpan, "agentstream.tokens"))).toBe(3);
    expect(Number(attr(span as OtlpSpan, "agentstream.time_to_first_event_ms"))).toBeGreaterThanOrEqual(0);
    // The tool call is a child span of the run, ended by its result.
    const tool = received.find((s) => s.name === "agentstream.tool_call" && s.parentSpanId === span?.spanId);
    expect(tool, JSON.stringify(received.map((s) => s.name))).toBeDefined();
    expect(attr(tool as OtlpSpan, "agentstream.tool")).toBe("lookup");
    expect(attr(tool as OtlpSpan, "agentstream.tool_success")).toBe(true);
  } finally {
    await server.close();
  }
});

it("a run that fails is a span with an error status", async () => {
  const broken = defineAgent({
    name: "broken",
    description: "fails",
    async *run() {
      yield "partial";
      throw new Error("the tool is down");
    },
  });
  const server = createAgentServer({ agents: { broken }, logger: silentLogger, paceMs: 0 });
  const url = await server.listen(0, "127.0.0.1");
  try {
    const threadId = randomUUID();
    const res = await fetch(`${url}/api/agents/broken/run`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        threadId,
        runId: randomUUID(),
        messages: [],
        tools: [],
        context: [],
        state: {},
        forwardedProps: {},
      }),
    });
    await res.text();
    await tracing?.flush();
    const span = received.find((s) => attr(s, "agentstream.thread_id") === threadId);
    expect(attr(span as OtlpSpan, "agentstream.outcome")).toBe("failed");
    expect(span?.status?.code).toBe(2); // ERROR
  } finally {
    await server.close();
  }
});
