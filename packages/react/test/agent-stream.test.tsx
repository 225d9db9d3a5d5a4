/**
 * useAgentStream against a real AgentStream server (createAgentServer from @agentstream/runtime
 * on port 0 with small test agents, in a child Node process: see test/copilot/fixtures): the
 * plain SSE endpoint, incremental parsing, stop and unmount aborting the server-side generator.
 */
import { act, render, screen, waitFor } from "@testing-library/react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentStream, type SeedAgentStream, useAgentStream } from "../src/sse/index.js";
import { type SpawnedServer, spawnTestServer } from "./copilot/fixtures/spawn-server.js";

/** What the fixture's `words` agent says. */
const WORDS = ["Streams ", "arrive ", "one ", "token ", "at ", "a ", "time ", "here."];

let server: SpawnedServer;
let base: string;

beforeAll(async () => {
  server = await spawnTestServer({ compression: false }); // happy-dom fetch + brotli: see spawn-server.ts
  base = server.url;
}, 60_000);

afterAll(async () => {
  await server?.close();
});

/** The server's running streams (the registry behind `/healthz`). */
async function activeStreams(): Promise<number> {
  return (await server.counters()).activeStreams ?? -1;
}

/** How often the `endless` agent's `finally` ran on the server. */
async function endlessFinallyRuns(): Promise<number> {
  return (await server.counters()).endless ?? -1;
}

interface Probe {
  stream?: AgentStream;
  lengths: number[];
}

function Harness({ agentId, probe }: { agentId: string; probe: Probe }) {
  const stream = useAgentStream({ url: `${base}/api/agents`, agentId });
  probe.stream = stream;
  const last = probe.lengths[probe.lengths.length - 1];
  if (last !== stream.run.text.length) probe.lengths.push(stream.run.text.length);
  return (
    <div>
      <p data-testid="status">{stream.status}</p>
      <p data-testid="text">{stream.run.text}</p>
      <p data-testid="error">{stream.error?.message ?? ""}</p>
    </div>
  );
}

interface SeedProbe {
  stream?: SeedAgentStream;
  streaming: boolean[];
}

function Seed({ probe }: { probe: SeedProbe }) {
  const stream = useAgentStream("words", { url: `${base}/api/agents` });
  probe.stream = stream;
  if (probe.streaming.at(-1) !== stream.isStreaming) probe.streaming.push(stream.isStreaming);
  return <p data-testid="count">{stream.messages.length}</p>;
}

describe("useAgentStream (real server)", () => {
  it("streams the text in several steps and ends done", async () => {
    const probe: Probe = { lengths: [] };
    render(<Harness agentId="words" probe={probe} />);
    expect(screen.getByTestId("status").textContent).toBe("idle");
    let finished: Promise<void> | undefined;
    act(() => {
      finished = probe.stream?.start("hello");
    });
    expect(screen.getByTestId("status").textContent).toBe("running");
    await act(async () => {
      await finished;
    });
    await waitFor(() => expect(screen.getByTestId("text").textContent).toBe(WORDS.join("")));
    expect(screen.getByTestId("status").textContent).toBe("done");
    expect(probe.stream?.error).toBeUndefined();
    expect(probe.stream?.run.result?.output).toEqual({ words: WORDS.length });
    const distinct = new Set(probe.lengths.filter((n) => n > 0));
    expect(distinct.size).toBeGreaterThanOrEqual(3);
  });

  it("a next run on the same thread sends the thread token the first run got (no cookie across origins)", async () => {
    const probe: Probe = { lengths: [] };
    render(<Harness agentId="words" probe={probe} />);
    const threadId = `t-${Date.now()}`;
    const message = (content: string) => ({
      messages: [{ id: crypto.randomUUID(), role: "user" as const, content }],
    });
    for (const content of ["first", "second"]) {
      let finished: Promise<void> | undefined;
      act(() => {
        finished = probe.stream?.start({ threadId, ...message(content) });
      });
      await act(async () => {
        await finished;
      });
      // Without the token the server answers the second run like an unknown thread (404).
      await waitFor(() => expect(screen.getByTestId("status").textContent).toBe("done"));
      expect(probe.stream?.error).toBeUndefined();
      expect(probe.stream?.run.text).toBe(WORDS.join(""));
    }
  });

  it("stop() aborts the request and ends the server generator", async () => {
    const probe: Probe = { lengths: [] };
    render(<Harness agentId="endless" probe={probe} />);
    const before = await endlessFinallyRuns();
    act(() => {
      void probe.stream?.start("go");
    });
    await waitFor(() => expect(probe.stream?.run.text.length ?? 0).toBeGreaterThan(6), { timeout: 5_000 });
    expect(await activeStreams()).toBe(1);
    act(() => probe.stream?.stop());
    expect(screen.getByTestId("status").textContent).toBe("stopped");
    await waitFor(async () => expect(await endlessFinallyRuns()).toBe(before + 1), { timeout: 5_000 });
    await waitFor(async () => expect(await activeStreams()).toBe(0), { timeout: 5_000 });
    await waitFor(() => expect(probe.stream?.run.status).toBe("interrupted"));
    expect(probe.stream?.run.interruption?.reason).toBe("stopped");
    // Nothing arrives after the stop.
    const text = probe.stream?.run.text;
    await new Promise((r) => setTimeout(r, 80));
    expect(probe.stream?.run.text).toBe(text);
  });

  it("unmounting aborts the run", async () => {
    const probe: Probe = { lengths: [] };
    const view = render(<Harness agentId="endless" probe={probe} />);
    const before = await endlessFinallyRuns();
    act(() => {
      void probe.stream?.start("go");
    });
    await waitFor(() => expect(probe.stream?.run.text.length ?? 0).toBeGreaterThan(0), { timeout: 5_000 });
    view.unmount();
    await waitFor(async () => expect(await endlessFinallyRuns()).toBe(before + 1), { timeout: 5_000 });
    await waitFor(async () => expect(await activeStreams()).toBe(0), { timeout: 5_000 });
  });

  it("a second start() stops the first run and starts afresh", async () => {
    const probe: Probe = { lengths: [] };
    render(<Harness agentId="endless" probe={probe} />);
    const before = await endlessFinallyRuns();
    act(() => {
      void probe.stream?.start("one");
    });
    await waitFor(() => expect(probe.stream?.run.text.length ?? 0).toBeGreaterThan(0), { timeout: 5_000 });
    act(() => {
      void probe.stream?.start("two");
    });
    await waitFor(async () => expect(await endlessFinallyRuns()).toBe(before + 1), { timeout: 5_000 });
    expect(screen.getByTestId("status").textContent).toBe("running");
    act(() => probe.stream?.stop());
    await waitFor(async () => expect(await activeStreams()).toBe(0), { timeout: 5_000 });
  });

  it("reports an agent's error", async () => {
    const probe: Probe = { lengths: [] };
    render(<Harness agentId="failing" probe={probe} />);
    await act(async () => {
      await probe.stream?.start("x");
    });
    expect(screen.getByTestId("status").textContent).toBe("error");
    expect(screen.getByTestId("error").textContent).toContain("the agent broke");
    await waitFor(() => expect(probe.stream?.run.text).toBe("partial "));
  });

  it("reports an HTTP error (unknown agent)", async () => {
    const probe: Probe = { lengths: [] };
    render(<Harness agentId="nobody" probe={probe} />);
    await act(async () => {
      await probe.stream?.start("x");
    });
    expect(screen.getByTestId("status").textContent).toBe("error");
    expect(screen.getByTestId("error").textContent).toMatch(/HTTP 404/);
  });

  it("answers the seed's shape: useAgentStream(agentName) with messages, isStreaming, startStream", async () => {
    const probe: SeedProbe = { streaming: [] };
    render(<Seed probe={probe} />);
    expect(probe.stream?.messages).toEqual([]);
    expect(probe.stream?.isStreaming).toBe(false);
    await act(async () => {
      await probe.stream?.startStream("hello");
    });
    await waitFor(() => expect(probe.stream?.messages.at(-1)?.type).toBe("result"));
    const messages = probe.stream?.messages ?? [];
    const tokens = messages.filter((m) => m.type === "token").map((m) => (m.type === "token" ? m.text : ""));
    expect(tokens.join("")).toBe(WORDS.join(""));
    expect(probe.streaming).toEqual([false, true, false]);
    // The same run through the shared shape.
    expect(probe.stream?.status).toBe("done");
    expect(probe.stream?.run.text).toBe(WORDS.join(""));
  });
});
