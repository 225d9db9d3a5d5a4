import { request } from "node:http";
import { parseSse } from "@agentstream/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probe, testAgents } from "./fixtures.js";
import {
  copilotRunUrl,
  healthz,
  plainRunUrl,
  runInput,
  runWithHttpAgent,
  type Started,
  startServer,
  waitFor,
} from "./helpers.js";

let s: Started;
beforeAll(async () => {
  // AGENTSTREAM_DETACHED_RUN_MS=0: a run stops as soon as its last reader leaves (the disconnect
  // tests below); runs that outlive their connection are tested in resume.test.ts.
  s = await startServer({ agents: testAgents, heartbeatMs: 40, detachedRunMs: 0 });
});
afterAll(async () => {
  await s.close();
});

async function postPlain(agent: string, body: unknown, signal?: AbortSignal) {
  return fetch(plainRunUrl(s.url, agent), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify(body),
    signal,
  });
}

describe("plain AG-UI endpoint POST /api/agents/:agentId/run", () => {
  it("streams the same events as CopilotKit's route, with id: lines and SSE headers", async () => {
    const input = runInput("go");
    const res = await postPlain("counter", input);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("cache-control")).toMatch(/no-cache/);
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    const ids: string[] = [];
    const types: string[] = [];
    for await (const msg of parseSse(res.body as ReadableStream<Uint8Array>)) {
      ids.push(msg.id ?? "");
      types.push((JSON.parse(msg.data) as { type: string }).type);
    }
    expect(ids).toEqual(types.map((_, i) => String(i + 1)));
    const viaCopilot = await runWithHttpAgent(copilotRunUrl(s.url, "counter"), runInput("go"));
    expect(types).toEqual(viaCopilot.types);
  });

  it("passes the AG-UI verifier through @ag-ui/client's HttpAgent", async () => {
    const run = await runWithHttpAgent(plainRunUrl(s.url, "counter"), runInput("go"));
    expect(run.error).toBeUndefined();
    expect(run.text).toBe("1 2 3 4 5 ");
    expect(run.result).toEqual({ counted: 5, prompt: "go" });
  });

  it("flushes headers at once and sends heartbeat comments while the agent works", async () => {
    const input = runInput("x");
    const started = performance.now();
    const raw = await new Promise<string>((resolve, reject) => {
      const req = request(
        plainRunUrl(s.url, "forever"),
        { method: "POST", headers: { "content-type": "application/json" } },
        (res) => {
          const headersAt = performance.now() - started;
          expect(headersAt).toBeLessThan(500);
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d: string) => {
            text += d;
            if (text.includes(": heartbeat")) {
              req.destroy();
              resolve(text);
            }
          });
          res.on("error", () => undefined);
        },
      );
      req.on("error", (e) => (e.message.includes("socket hang up") ? undefined : reject(e)));
      req.end(JSON.stringify(input));
    });
    expect(raw).toContain(": heartbeat\n\n");
    expect(await waitFor(() => probe.finallyAt.has(input.runId), 1_000)).toBe(true);
  });

  it("with detachedRunMs 0, a client disconnect stops the run: finally within 100 ms, healthz back to 0", async () => {
    const input = runInput("x");
    const controller = new AbortController();
    const res = await postPlain("forever", input, controller.signal);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    while ((probe.produced.get(input.runId) ?? 0) < 5) await reader.read();
    const abortedAt = performance.now();
    controller.abort();
    expect(await waitFor(() => probe.finallyAt.has(input.runId), 1_000, 1)).toBe(true);
    expect((probe.finallyAt.get(input.runId) ?? Infinity) - abortedAt).toBeLessThan(100);
    expect(await waitFor(async () => (await healthz(s.url)).activeStreams === 0, 1_000)).toBe(true);
  });

  it("a throwing agent yields RUN_ERROR with the partial text; other streams go on", async () => {
    const other = runWithHttpAgent(plainRunUrl(s.url, "counter"), runInput("parallel"));
    const run = await runWithHttpAgent(plainRunUrl(s.url, "thrower"), runInput("x"));
    expect(run.types.at(-1)).toBe("RUN_ERROR");
    expect(run.text).toBe("partial text ");
    const ok = await other;
    expect(ok.error).toBeUndefined();
    expect(ok.text).toBe("1 2 3 4 5 ");
  });
});
