import { afterEach, describe, expect, it } from "vitest";
import { defineAgent, type RunLimitsOptions, serverOptionsFromEnv } from "../src/index.js";
import { runInput, type Started, startServer, waitFor } from "./helpers.js";

/** An agent that counts its starts and, for `hold` runs, waits until released. */
function countingAgent() {
  const state = { started: 0, release: () => {} };
  const agent = defineAgent({
    name: "counted",
    description: "counts its runs",
    async *run(input) {
      state.started++;
      if (input.prompt === "hold")
        await new Promise<void>((resolve) => {
          state.release = resolve;
        });
      yield "done";
    },
  });
  return { agent, state };
}

function post(url: string, path: string, content: string, headers: Record<string, string> = {}) {
  return fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(runInput(content)),
  });
}

let server: Started | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(limits: RunLimitsOptions, trustProxy?: boolean) {
  const { agent, state } = countingAgent();
  server = await startServer({ agents: { counted: agent }, limits, ...(trustProxy ? { trustProxy } : {}) });
  return { url: server.url, state };
}

describe("run limits", () => {
  it("runs per minute: the next run of the same client gets 429 with Retry-After, and starts nothing", async () => {
    const { url, state } = await start({ runsPerMinute: 2 });
    for (const path of ["/api/agents/counted/run", "/api/copilotkit/agent/counted/run"]) {
      const ok = await post(url, path, "hi");
      expect(ok.status).toBe(200);
      await ok.text();
    }
    const refused = await post(url, "/api/agents/counted/run", "hi");
    expect(refused.status).toBe(429);
    const retry = Number(refused.headers.get("retry-after"));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { error: { code: string; message: string; details: unknown } };
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toMatch(/per minute is 2/);
    expect(state.started).toBe(2);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/agentstream_runs_rate_limited_total\{limit="per_minute"\} 1/);
  });

  it("counts per client: behind a trusted proxy each forwarded address has its own budget", async () => {
    const { url, state } = await start({ runsPerMinute: 1 }, true);
    const a = { "x-forwarded-for": "203.0.113.7" };
    const b = { "x-forwarded-for": "198.51.100.9" };
    expect((await post(url, "/api/agents/counted/run", "hi", a)).status).toBe(200);
    expect((await post(url, "/api/agents/counted/run", "hi", a)).status).toBe(429);
    expect((await post(url, "/api/agents/counted/run", "hi", b)).status).toBe(200);
    expect(await waitFor(() => state.started === 2)).toBe(true);
  });

  it("runs at once: a second run waits for the first to end (429 meanwhile), on any route", async () => {
    const { url, state } = await start({ concurrentRuns: 1 });
    const held = await post(url, "/api/agents/counted/run", "hold");
    expect(held.status).toBe(200);
    expect(await waitFor(() => state.started === 1)).toBe(true);
    const refused = await post(url, "/api/copilotkit/agent/counted/run", "hi");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/at once is 1/);
    expect(state.started).toBe(1);
    state.release();
    await held.text(); // the held run ends: its slot is free again
    expect(
      await waitFor(async () => {
        const again = await post(url, "/api/agents/counted/run", "hi");
        await again.text();
        return again.status === 200;
      }),
    ).toBe(true);
    expect(state.started).toBe(2);
  });

  it("a refused run gives its slot back: refusals do not eat the budget", async () => {
    const { url, state } = await start({ concurrentRuns: 1, runsPerMinute: 3 });
    const held = await post(url, "/api/agents/counted/run", "hold");
    expect(await waitFor(() => state.started === 1)).toBe(true);
    for (let i = 0; i < 3; i++) expect((await post(url, "/api/agents/counted/run", "hi")).status).toBe(429);
    state.release();
    await held.text();
    // 1 of the 3 per-minute runs used; the three refused ones did not count.
    for (let i = 0; i < 2; i++) {
      const res = await post(url, "/api/agents/counted/run", "hi");
      expect(res.status).toBe(200);
      await res.text();
    }
    expect(state.started).toBe(3);
  });

  it("is configured from the environment, and refuses nonsense", () => {
    expect(
      serverOptionsFromEnv({ AGENTSTREAM_RUNS_PER_MINUTE: "30", AGENTSTREAM_CONCURRENT_RUNS: "2" }).limits,
    ).toEqual({
      runsPerMinute: 30,
      concurrentRuns: 2,
    });
    expect(serverOptionsFromEnv({}).limits).toBeUndefined();
    expect(() => serverOptionsFromEnv({ AGENTSTREAM_RUNS_PER_MINUTE: "0" })).toThrow(
      /AGENTSTREAM_RUNS_PER_MINUTE/,
    );
  });
});
