/**
 * Tracing end to end: the server app's SDK wiring (the real OTLP/HTTP exporter) sends the
 * runtime's run spans to a local OTLP receiver (a node:http server taking POST /v1/traces); a
 * request's W3C `traceparent` is continued; tool calls, questions and the runner's operations
 * (start, reader attach, answer delivery, stop) are child spans of the run.
 */
import { randomUUID } from "node:crypto";
import { parseSse } from "@agentstream/core";
import { defineAgent, silentLogger } from "@agentstream/runtime";
import { createAgentServer } from "@agentstream/runtime/express";
import { afterAll, beforeAll, expect, it } from "vitest";
import { actAsOneClient } from "../../../packages/runtime/test/client-fetch.js";
import {
  attr,
  collect,
  durationMs,
  endMs,
  isAsk,
  type OtlpSpan,
  post,
  type Receiver,
  runBody,
  startMs,
  startReceiver,
  until,
} from "./otlp-receiver.js";

/** One client: every fetch keeps the session cookie of the threads it creates. */
actAsOneClient();

let r: Receiver;
beforeAll(async () => {
  r = await startReceiver();
});
afterAll(() => r.close());

it("a run is a span agentstream.run in the request's trace, with its figures", async () => {
  expect(r.tracing).toBeDefined();
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
    await r.tracing?.flush();
    const span = r.received.find(
      (s) => s.name === "agentstream.run" && attr(s, "agentstream.thread_id") === threadId,
    );
    expect(span, JSON.stringify(r.received.map((s) => s.name))).toBeDefined();
    expect(span?.traceId).toBe(traceId);
    expect(span?.parentSpanId).toBe(parentSpanId);
    expect(attr(span as OtlpSpan, "agentstream.agent")).toBe("echo");
    expect(attr(span as OtlpSpan, "agentstream.route")).toBe("plain");
    expect(attr(span as OtlpSpan, "agentstream.outcome")).toBe("completed");
    expect(Number(attr(span as OtlpSpan, "agentstream.tokens"))).toBe(3);
    expect(Number(attr(span as OtlpSpan, "agentstream.time_to_first_event_ms"))).toBeGreaterThanOrEqual(0);
    // The tool call is a child span of the run, ended by its result.
    const tool = r.received.find(
      (s) => s.name === "agentstream.tool_call" && s.parentSpanId === span?.spanId,
    );
    expect(tool, JSON.stringify(r.received.map((s) => s.name))).toBeDefined();
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
    await r.tracing?.flush();
    const { run: span } = await r.spansOf(threadId);
    expect(attr(span, "agentstream.outcome")).toBe("failed");
    expect(span.status?.code).toBe(2); // ERROR
  } finally {
    await server.close();
  }
});

it("a run that asks: an agentstream.ask child span covers the wait for the answer; the answer's delivery, the start and the reader are runner spans of the run", async () => {
  const asker = defineAgent({
    name: "asker",
    description: "asks, then goes on",
    async *run(_input, ctx) {
      yield "Let me ask. ";
      const way = await ctx.ask<string>({ prompt: "Which way?", choices: ["Left", "Right"] });
      yield `Going ${way}.`;
    },
  });
  const server = createAgentServer({ agents: { asker }, logger: silentLogger, paceMs: 0 });
  const url = await server.listen(0, "127.0.0.1");
  try {
    const threadId = randomUUID();
    const run = collect(post(`${url}/api/agents/asker/run`, runBody(threadId)));
    await until(() => run.events.some(isAsk));
    const ask = run.events.find(isAsk)?.content as { id: string };
    const WAIT_MS = 250;
    await new Promise((r) => setTimeout(r, WAIT_MS));
    const answeredAt = Date.now();
    const res = await post(
      `${url}/api/agents/asker/threads/${threadId}/answer`,
      JSON.stringify({ askId: ask.id, value: "Right" }),
    );
    expect(res.status).toBe(200);
    await run.done;
    expect(run.events.map((e) => e.delta ?? "").join("")).toBe("Let me ask. Going Right.");

    const { run: span, child } = await r.spansOf(threadId);
    const [asked] = child("agentstream.ask");
    expect(attr(asked, "agentstream.ask_id")).toBe(ask.id);
    expect(attr(asked, "agentstream.ask_state")).toBe("answered");
    expect(durationMs(asked)).toBeGreaterThanOrEqual(WAIT_MS);
    expect(endMs(asked)).toBeGreaterThanOrEqual(answeredAt);
    const [delivered] = child("agentstream.runner.answer");
    expect(attr(delivered, "agentstream.answer_status")).toBe("answered");
    expect(attr(delivered, "agentstream.remote")).toBe(false);
    expect(startMs(delivered)).toBeGreaterThanOrEqual(startMs(asked));
    expect(startMs(delivered)).toBeLessThanOrEqual(endMs(asked));
    const [started] = child("agentstream.runner.start");
    expect(attr(started, "agentstream.runner")).toBe("memory");
    expect(Number(attr(started, "agentstream.first_id"))).toBe(1);
    expect(startMs(started)).toBeGreaterThanOrEqual(startMs(span));
    const [read] = child("agentstream.runner.read");
    expect(Number(attr(read, "agentstream.first_batch"))).toBeGreaterThan(0);
  } finally {
    await server.close();
  }
});

it("a stop is a runner span of the run until the run has ended; a resume's attach is one too, with its id", async () => {
  const ticker = defineAgent({
    name: "ticker",
    description: "ticks until stopped",
    async *run(_input, ctx) {
      for (let i = 0; i < 1000; i++) {
        yield `t${i} `;
        await ctx.sleep(10);
      }
    },
  });
  const server = createAgentServer({ agents: { ticker }, logger: silentLogger, paceMs: 0 });
  const url = await server.listen(0, "127.0.0.1");
  try {
    const threadId = randomUUID();
    const run = collect(post(`${url}/api/agents/ticker/run`, runBody(threadId)));
    await until(() => run.events.length >= 5);
    // A second reader resumes after id 3 and leaves after its first batch.
    const controller = new AbortController();
    const resumed = await fetch(`${url}/api/agents/ticker/threads/${threadId}/events`, {
      headers: { "Last-Event-ID": "3" },
      signal: controller.signal,
    });
    for await (const msg of parseSse(resumed.body as ReadableStream<Uint8Array>)) {
      expect(Number(msg.id)).toBe(4);
      break;
    }
    controller.abort();
    const stopAt = Date.now();
    expect((await post(`${url}/api/agents/ticker/threads/${threadId}/stop`, "{}")).status).toBe(200);
    await run.done;
    expect(run.events.at(-1)?.type).toBe("RUN_FINISHED");

    const { run: span, child } = await r.spansOf(threadId);
    expect(attr(span, "agentstream.outcome")).toBe("interrupted");
    const [stop] = child("agentstream.runner.stop");
    expect(attr(stop, "agentstream.stop_reason")).toBe("stopped by user");
    expect(attr(stop, "agentstream.remote")).toBe(false);
    expect(startMs(stop)).toBeGreaterThanOrEqual(stopAt);
    // It lasts until the run's end was taken: not before the run span's own end, give or take a millisecond.
    expect(endMs(stop)).toBeGreaterThanOrEqual(endMs(span) - 1);
    const reads = child("agentstream.runner.read");
    expect(reads.map((r) => Number(attr(r, "agentstream.after"))).sort()).toEqual([0, 3]);
  } finally {
    await server.close();
  }
});

it("a run its last reader left is stopped by the runner: a stop span with the reason no reader", async () => {
  const ticker = defineAgent({
    name: "ticker",
    description: "ticks until stopped",
    async *run(_input, ctx) {
      for (let i = 0; i < 1000; i++) {
        yield `t${i} `;
        await ctx.sleep(10);
      }
    },
  });
  const server = createAgentServer({ agents: { ticker }, logger: silentLogger, paceMs: 0, detachedRunMs: 0 });
  const url = await server.listen(0, "127.0.0.1");
  try {
    const threadId = randomUUID();
    const controller = new AbortController();
    const res = await fetch(`${url}/api/agents/ticker/run`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: runBody(threadId),
      signal: controller.signal,
    });
    let seen = 0;
    for await (const _msg of parseSse(res.body as ReadableStream<Uint8Array>)) if (++seen >= 3) break;
    controller.abort();
    const running = async () =>
      ((await (await fetch(`${url}/healthz`)).json()) as { activeStreams: number }).activeStreams > 0;
    for (let i = 0; i < 200 && (await running()); i++) await new Promise((r) => setTimeout(r, 10));
    const { run: span, child } = await r.spansOf(threadId);
    expect(attr(span, "agentstream.outcome")).toBe("interrupted");
    expect(attr(child("agentstream.runner.stop")[0], "agentstream.stop_reason")).toBe("no reader");
  } finally {
    await server.close();
  }
});
