/**
 * Test helpers for tracing: a local OTLP/HTTP receiver (a node:http server taking POST
 * /v1/traces, JSON) with the server app's real SDK wiring pointed at it, and readers of the spans
 * it received; plus a background SSE reader for the runs under test.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseSse } from "@agentstream/core";
import { expect } from "vitest";
import { startTracing, type Tracing } from "../src/tracing.js";

/** A span as OTLP/JSON carries it. */
export interface OtlpSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes: { key: string; value: Record<string, unknown> }[];
  status?: { code?: number };
}

/** The receiver, the registered SDK, and what arrived. */
export interface Receiver {
  readonly received: OtlpSpan[];
  readonly tracing: Tracing | undefined;
  /** The run span of `threadId` (once exported) and a finder of its children by name (at least one). */
  spansOf(threadId: string): Promise<{ run: OtlpSpan; child(name: string): [OtlpSpan, ...OtlpSpan[]] }>;
  close(): Promise<void>;
}

/** Starts the receiver and registers the server app's tracing (the real OTLP/HTTP exporter) with it. */
export async function startReceiver(): Promise<Receiver> {
  const received: OtlpSpan[] = [];
  const receiver: Server = createServer((req, res) => {
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
  const tracing = startTracing({
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_SERVICE_NAME: "test",
  });
  return {
    received,
    tracing,
    async spansOf(threadId) {
      await tracing?.flush();
      const run = received.find(
        (s) => s.name === "agentstream.run" && attr(s, "agentstream.thread_id") === threadId,
      );
      expect(run, JSON.stringify(received.map((s) => s.name))).toBeDefined();
      const children = received.filter((s) => s.parentSpanId === run?.spanId);
      const child = (name: string) => {
        const found = children.filter((s) => s.name === name);
        expect(found.length, `${name} among ${JSON.stringify(children.map((s) => s.name))}`).toBeGreaterThan(
          0,
        );
        return found as [OtlpSpan, ...OtlpSpan[]];
      };
      return { run: run as OtlpSpan, child };
    },
    async close() {
      await tracing?.shutdown();
      receiver.close();
    },
  };
}

/** An attribute's value. */
export const attr = (span: OtlpSpan, key: string) => {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return v ? Object.values(v)[0] : undefined;
};

/** A span's duration in milliseconds. */
export const durationMs = (span: OtlpSpan) =>
  Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e6;
/** A span's start, in ms since the epoch. */
export const startMs = (span: OtlpSpan) => Number(BigInt(span.startTimeUnixNano) / 1_000_000n);
/** A span's end, in ms since the epoch. */
export const endMs = (span: OtlpSpan) => Number(BigInt(span.endTimeUnixNano) / 1_000_000n);

/** The body of a run request on a thread. */
export const runBody = (threadId: string) =>
  JSON.stringify({
    threadId,
    runId: randomUUID(),
    messages: [{ id: randomUUID(), role: "user", content: "hi" }],
    tools: [],
    context: [],
    state: {},
    forwardedProps: {},
  });

/** An event of a stream, with its id. */
export interface Ev {
  id: number;
  type: string;
  [key: string]: unknown;
}

/** Reads an SSE response in the background: `events` fills as they arrive. */
export function collect(response: Promise<Response>) {
  const events: Ev[] = [];
  const done = (async () => {
    const res = await response;
    expect(res.status).toBe(200);
    for await (const msg of parseSse(res.body as ReadableStream<Uint8Array>))
      events.push({ id: Number(msg.id), ...(JSON.parse(msg.data) as { type: string }) });
  })();
  return { events, done };
}

/** Polls `check` every 10 ms, for up to 5 s. */
export async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

/** A JSON POST. */
export const post = (url: string, body: string) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });

/** The ACTIVITY_SNAPSHOT of a question. */
export const isAsk = (e: Ev) => e.type === "ACTIVITY_SNAPSHOT" && e.activityType === "agentstream.ask";
