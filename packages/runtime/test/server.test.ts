import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger, serverOptionsFromEnv } from "../src/index.js";
import { actAsOneClient } from "./client-fetch.js";
import { forever, probe, testAgents } from "./fixtures.js";
import { healthz, plainRunUrl, runInput, runWithHttpAgent, startServer, waitFor } from "./helpers.js";

/** One client: every fetch keeps the session cookie of the threads it creates (see client-fetch.ts). */
actAsOneClient();

describe("server", () => {
  it("/healthz reports status and active streams", async () => {
    const s = await startServer({ agents: testAgents, detachedRunMs: 0 });
    try {
      expect(await healthz(s.url)).toMatchObject({
        status: "ok",
        activeStreams: 0,
        agents: testAgents.length,
      });
      const input = runInput("x");
      const controller = new AbortController();
      const res = await fetch(plainRunUrl(s.url, "forever"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(input),
        signal: controller.signal,
      });
      await (res.body as ReadableStream).getReader().read();
      expect((await healthz(s.url)).activeStreams).toBe(1);
      controller.abort();
      expect(await waitFor(async () => (await healthz(s.url)).activeStreams === 0)).toBe(true);
    } finally {
      await s.close();
    }
  });

  it("serves the built demo with an SPA fallback, and JSON 404s under /api", async () => {
    const dir = mkdtempSync(join(tmpdir(), "agentstream-demo-"));
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>demo</title>");
    writeFileSync(join(dir, "app.js"), "console.log(1)");
    const s = await startServer({ agents: testAgents, staticDir: dir });
    try {
      const index = await fetch(`${s.url}/`);
      expect(await index.text()).toContain("<title>demo</title>");
      expect((await fetch(`${s.url}/app.js`)).headers.get("content-type")).toMatch(/javascript/);
      const deep = await fetch(`${s.url}/some/client/route`, { headers: { accept: "text/html" } });
      expect(deep.status).toBe(200);
      expect(await deep.text()).toContain("<title>demo</title>");
      const api = await fetch(`${s.url}/api/nope`, { headers: { accept: "text/html" } });
      expect(api.status).toBe(404);
      expect(api.headers.get("content-type")).toMatch(/json/);
    } finally {
      await s.close();
    }
  });

  it("without staticDir serves nothing at / (a JSON 404, no page of ours)", async () => {
    const s = await startServer({ agents: testAgents });
    try {
      for (const accept of ["text/html", "*/*"]) {
        const res = await fetch(`${s.url}/`, { headers: { accept } });
        expect(res.status).toBe(404);
        expect(res.headers.get("content-type")).toMatch(/json/);
        expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
      }
    } finally {
      await s.close();
    }
  });

  it("logs one JSON line per request and per error", async () => {
    const lines: string[] = [];
    const s = await startServer({
      agents: testAgents,
      logger: createLogger({ write: (l) => lines.push(l) }),
    });
    try {
      await fetch(`${s.url}/healthz`);
      await fetch(plainRunUrl(s.url, "counter"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{",
      });
      await runWithHttpAgent(plainRunUrl(s.url, "counter"), runInput("x"));
      await waitFor(() => lines.filter((l) => JSON.parse(l).msg === "request").length >= 3);
      const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const requests = records.filter((r) => r.msg === "request");
      expect(requests.map((r) => r.status)).toEqual([200, 400, 200]);
      expect(requests[2]).toMatchObject({
        method: "POST",
        path: "/api/agents/counter/run",
        agent: "counter",
      });
      expect(requests[2]?.events).toBeGreaterThan(5);
      const errors = records.filter((r) => r.msg === "request_error");
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ status: 400, code: "invalid_json" });
    } finally {
      await s.close();
    }
  });

  it("shutdown lets running streams finish, then stops accepting", async () => {
    const s = await startServer({ agents: testAgents });
    const run = runWithHttpAgent(plainRunUrl(s.url, "counter"), runInput("x"));
    await waitFor(() => s.server.registry.active === 1);
    const shutdown = s.server.shutdown(5_000);
    const finished = await run;
    expect(finished.error).toBeUndefined();
    expect(finished.text).toBe("1 2 3 4 5 ");
    await shutdown;
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
  });

  it("shutdown ends streams still running after the bounded wait (interrupted), then closes", async () => {
    const s = await startServer({ agents: [forever] });
    const input = runInput("x");
    const run = runWithHttpAgent(plainRunUrl(s.url, "forever"), input);
    await waitFor(() => (probe.produced.get(input.runId) ?? 0) > 2);
    const started = Date.now();
    await s.server.shutdown(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    const result = await run;
    expect(result.types.at(-1)).toBe("RUN_FINISHED");
    const custom = result.events.find((e) => e.event.type === "CUSTOM")?.event as unknown as {
      value: { reason: string };
    };
    expect(custom.value.reason).toBe("server shutting down");
    expect(probe.finallyAt.has(input.runId)).toBe(true);
  });

  it("reads its configuration from the environment", () => {
    expect(
      serverOptionsFromEnv({
        PORT: "5000",
        HOST: "0.0.0.0",
        AGENTSTREAM_AUTH_TOKEN: "t",
        CORS_ORIGINS: "https://a.example, https://b.example/",
        AGENTSTREAM_PACE_MS: "0",
      }),
    ).toMatchObject({
      port: 5000,
      host: "0.0.0.0",
      authToken: "t",
      corsOrigins: ["https://a.example", "https://b.example"],
      paceMs: 0,
    });
    expect(() => serverOptionsFromEnv({ PORT: "abc" })).toThrow(/PORT/);
  });
});
