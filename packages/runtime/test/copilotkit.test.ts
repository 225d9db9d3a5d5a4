import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actAsOneClient } from "./client-fetch.js";
import { counter, probe, testAgents } from "./fixtures.js";
import {
  copilotRunUrl,
  healthz,
  runInput,
  runWithHttpAgent,
  type Started,
  startServer,
  waitFor,
} from "./helpers.js";

/** One client: every fetch keeps the session cookie of the threads it creates (see client-fetch.ts). */
actAsOneClient();

let s: Started;
beforeAll(async () => {
  s = await startServer({ agents: testAgents, detachedRunMs: 0 });
});
afterAll(async () => {
  await s.close();
});

describe("generator agents through CopilotKit's route (HttpAgent, verified)", () => {
  it("streams events as they are produced; final text and result are right", async () => {
    const input = runInput("go");
    const run = await runWithHttpAgent(copilotRunUrl(s.url, counter.name), input);
    expect(run.error).toBeUndefined();
    expect(run.types[0]).toBe("RUN_STARTED");
    expect(run.types.at(-1)).toBe("RUN_FINISHED");
    expect(run.text).toBe("1 2 3 4 5 ");
    expect(run.result).toEqual({ counted: 5, prompt: "go" });
    // The first event reached the client before the generator produced its last chunk.
    expect(run.events[0]?.at ?? Infinity).toBeLessThan(probe.produced.get(input.runId) ?? 0);
  });

  it("a throwing agent ends with RUN_ERROR, keeps the partial text, and the next run succeeds", async () => {
    const run = await runWithHttpAgent(copilotRunUrl(s.url, "thrower"), runInput("x"));
    expect(run.types).toContain("RUN_ERROR");
    expect(run.types).not.toContain("RUN_FINISHED");
    expect(run.text).toBe("partial text ");
    const err = run.events.find((e) => e.event.type === "RUN_ERROR")?.event as unknown as {
      message: string;
      code: string;
    };
    expect(err.message).toContain("boom: the tool exploded");
    expect(err.code).toBe("AGENT_ERROR");
    const next = await runWithHttpAgent(copilotRunUrl(s.url, counter.name), runInput("again"));
    expect(next.error).toBeUndefined();
    expect(next.text).toBe("1 2 3 4 5 ");
  });

  it("a malformed chunk ends the run with an error naming the chunk and field", async () => {
    const run = await runWithHttpAgent(copilotRunUrl(s.url, "invalid"), runInput("x"));
    const err = run.events.find((e) => e.event.type === "RUN_ERROR")?.event as unknown as {
      message: string;
      code: string;
    };
    expect(err.code).toBe("INVALID_CHUNK");
    expect(err.message).toMatch(/chunk 1 \(progress\): `current` must be/);
    expect((err as unknown as { metadata: { agentstream: { seq: number } } }).metadata.agentstream.seq).toBe(
      1,
    );
    expect(run.text).toBe("ok ");
  });

  it("with detachedRunMs 0, a client abort mid-stream stops the run: finally within 100 ms", async () => {
    const input = runInput("x");
    const abortController = new AbortController();
    let abortedAt = 0;
    const pending = runWithHttpAgent(copilotRunUrl(s.url, "forever"), input, {
      abortController,
      onEvent: (e) => {
        if (e.type === "TEXT_MESSAGE_CONTENT" && (probe.produced.get(input.runId) ?? 0) >= 5 && !abortedAt) {
          abortedAt = performance.now();
          abortController.abort();
        }
      },
    });
    await pending;
    expect(await waitFor(() => probe.finallyAt.has(input.runId), 1_000)).toBe(true);
    expect((probe.finallyAt.get(input.runId) ?? Infinity) - abortedAt).toBeLessThan(100);
    expect(await waitFor(async () => (await healthz(s.url)).activeStreams === 0, 1_000)).toBe(true);
  });

  it("CopilotKit's stop route: the generator's finally runs, the run closes, healthz returns to 0", async () => {
    const input = runInput("x");
    let stopResponse: unknown;
    let stoppedAt = 0;
    const run = await runWithHttpAgent(copilotRunUrl(s.url, "forever"), input, {
      onEvent: (e) => {
        if (e.type === "TEXT_MESSAGE_CONTENT" && (probe.produced.get(input.runId) ?? 0) === 3 && !stoppedAt) {
          stoppedAt = performance.now();
          void fetch(`${s.url}/api/copilotkit/agent/forever/stop/${input.threadId}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: "{}",
          })
            .then((r) => r.json())
            .then((body) => {
              stopResponse = body;
            });
        }
      },
    });
    expect(run.types[0]).toBe("RUN_STARTED");
    expect(run.error).toBeUndefined();
    expect(run.types.at(-1)).toBe("RUN_FINISHED");
    const interrupted = run.events.find((e) => e.event.type === "CUSTOM")?.event as unknown as {
      name: string;
      value: { reason: string; partial: string };
    };
    expect(interrupted.name).toBe("agentstream.interrupted");
    expect(interrupted.value.reason).toBe("stopped by user");
    expect(interrupted.value.partial).toMatch(/^tick0 tick1 tick2 /);
    expect(await waitFor(() => probe.finallyAt.has(input.runId), 1_000)).toBe(true);
    expect((probe.finallyAt.get(input.runId) ?? Infinity) - stoppedAt).toBeLessThan(100);
    expect(await waitFor(() => stopResponse !== undefined, 1_000)).toBe(true);
    expect(stopResponse).toMatchObject({ stopped: true });
    expect(await waitFor(async () => (await healthz(s.url)).activeStreams === 0, 1_000)).toBe(true);
  });
});
