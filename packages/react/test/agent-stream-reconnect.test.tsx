/**
 * useAgentStream when the connection drops mid-run, against the real AgentStream server (a child
 * process, see test/copilot/fixtures): the run goes on on the server (a dropped connection only
 * detaches), the hook shows "Reconnecting" while it resumes with Last-Event-ID, and the text ends
 * exactly as an uninterrupted run's, with no token twice and none missing.
 *
 * The connection is killed on the client side: a `fetch` (the hook's `fetch` option) whose
 * response body errors after a few frames and cancels the real body, so the server sees the
 * socket close (as with a lost network), and whose next requests can be refused for a while.
 */
import { act, render, screen, waitFor } from "@testing-library/react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentStatus } from "../src/components/agent-status.js";
import { type AgentStream, useAgentStream } from "../src/sse/index.js";
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
  // Close only once no response is open: a server that goes away mid-response resets the socket,
  // and happy-dom's fetch prints that ECONNRESET (a stack trace in the output, not a failure).
  await waitFor(async () => expect((await server.counters()).activeStreams).toBe(0), { timeout: 5_000 });
  await server?.close();
});

/** A fetch that drops the connection on demand. */
interface FlakyFetch {
  fetch: typeof fetch;
  /** Requests seen: "POST …/run", "GET …/events (Last-Event-ID n)". */
  requests: string[];
  /**
   * Cuts the next event stream after `frames` TEXT_MESSAGE_CONTENT frames; with `thenFail`,
   * every request fails from then on, until `heal()`.
   */
  cutAfter(frames: number, thenFail?: boolean): void;
  /** Makes every request fail (a network error) until `heal()`. */
  heal(): void;
}

function flakyFetch(): FlakyFetch {
  let cut: number | undefined;
  let failAfterCut = false;
  let failing = false;
  const requests: string[] = [];
  const real = globalThis.fetch.bind(globalThis);
  const wrapped: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const headers = new Headers(init?.headers);
    const last = headers.get("Last-Event-ID");
    requests.push(
      `${init?.method ?? "GET"} ${url.replace(base, "")}${last ? ` (Last-Event-ID ${last})` : ""}`,
    );
    if (failing) throw new TypeError("fetch failed (test: network down)");
    const response = await real(input, init);
    const frames = cut;
    if (frames === undefined || response.body === null || !url.includes("/api/agents/")) return response;
    if (!(response.headers.get("content-type") ?? "").includes("text/event-stream")) return response;
    cut = undefined;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let seen = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { value, done } = await reader.read();
        if (done) return controller.close();
        controller.enqueue(value);
        seen += decoder.decode(value, { stream: true }).split("TEXT_MESSAGE_CONTENT").length - 1;
        if (seen >= frames) {
          // The network goes away: the reader errors, the real socket is closed.
          if (failAfterCut) failing = true;
          controller.error(new TypeError("network error (test: connection killed)"));
          await reader.cancel().catch(() => {});
        }
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
  return {
    fetch: wrapped,
    requests,
    cutAfter: (frames, thenFail = false) => {
      cut = frames;
      failAfterCut = thenFail;
    },
    heal: () => {
      failing = false;
    },
  };
}

interface Probe {
  stream?: AgentStream;
  statuses: string[];
  /** Whether the badge said "Reconnecting" at some render. */
  badges: string[];
}

function Harness({ agentId, probe, net }: { agentId: string; probe: Probe; net: FlakyFetch }) {
  const stream = useAgentStream({
    url: `${base}/api/agents`,
    agentId,
    fetch: net.fetch,
    // Quick, but slow enough for "Reconnecting" to be on screen.
    reconnect: { minDelayMs: 120, maxDelayMs: 400, retries: 20 },
  });
  probe.stream = stream;
  if (probe.statuses.at(-1) !== stream.status) probe.statuses.push(stream.status);
  const reconnecting = stream.status === "reconnecting";
  const label = reconnecting ? "Reconnecting" : stream.run.status;
  if (probe.badges.at(-1) !== label) probe.badges.push(label);
  return (
    <div>
      <AgentStatus status={stream.run.status} reconnecting={reconnecting} data-testid="badge" />
      <p data-testid="status">{stream.status}</p>
      <p data-testid="text">{stream.run.text}</p>
    </div>
  );
}

describe("useAgentStream, when the connection drops (real server)", () => {
  it("resumes where it stopped: the same text as an uninterrupted run, no token twice", async () => {
    const net = flakyFetch();
    const probe: Probe = { statuses: [], badges: [] };
    render(<Harness agentId="words" probe={probe} net={net} />);
    net.cutAfter(3);
    let finished: Promise<void> | undefined;
    act(() => {
      finished = probe.stream?.start("hello");
    });
    await act(async () => {
      await finished;
    });
    await waitFor(() => expect(screen.getByTestId("status").textContent).toBe("done"));
    expect(probe.stream?.run.text).toBe(WORDS.join(""));
    expect(probe.stream?.run.result?.output).toEqual({ words: WORDS.length });
    expect(probe.stream?.error).toBeUndefined();
    expect(probe.stream?.handle?.reconnects).toBe(1);
    // "running" again after the reconnect may be batched away when the rest arrives in one read.
    expect(probe.statuses.slice(0, 3)).toEqual(["idle", "running", "reconnecting"]);
    expect(probe.statuses.at(-1)).toBe("done");
    expect(probe.badges).toContain("Reconnecting");
    // The second request resumed after the last event received.
    expect(net.requests[0]).toMatch(/^POST \/api\/agents\/words\/run$/);
    expect(net.requests[1]).toMatch(
      /^GET \/api\/agents\/words\/threads\/[^/]+\/events\?after=\d+ \(Last-Event-ID \d+\)$/,
    );
    // Each token once, in order: the run's chunks have no gap and no repeat.
    const tokens = probe.stream?.run.metrics.tokenCount;
    expect(tokens).toBe(WORDS.length);
  });

  it('shows "Reconnecting" for as long as the server cannot be reached, then continues without a gap', async () => {
    const net = flakyFetch();
    const probe: Probe = { statuses: [], badges: [] };
    render(<Harness agentId="endless" probe={probe} net={net} />);
    // Lost after four tokens, and the server cannot be reached for a while.
    net.cutAfter(4, true);
    act(() => {
      void probe.stream?.start("go");
    });
    await waitFor(() => expect(screen.getByTestId("status").textContent).toBe("reconnecting"), {
      timeout: 5_000,
    });
    const badge = screen.getByTestId("badge");
    expect(badge.textContent).toContain("Reconnecting");
    expect(badge.hasAttribute("data-reconnecting")).toBe(true);
    expect(badge.querySelector("[role=status]")?.textContent).toBe("Reconnecting");
    // Several attempts fail; the badge keeps saying so.
    await waitFor(
      () => expect(net.requests.filter((r) => r.startsWith("GET")).length).toBeGreaterThanOrEqual(2),
      {
        timeout: 5_000,
      },
    );
    expect(screen.getByTestId("status").textContent).toBe("reconnecting");
    expect(screen.getByTestId("badge").textContent).toContain("Reconnecting");
    // Back: the run (which kept going on the server) streams on from where the client stopped.
    net.heal();
    await waitFor(() => expect(screen.getByTestId("status").textContent).toBe("running"), { timeout: 5_000 });
    expect(screen.getByTestId("badge").hasAttribute("data-reconnecting")).toBe(false);
    const before = probe.stream?.run.text.length ?? 0;
    await waitFor(() => expect(probe.stream?.run.text.length ?? 0).toBeGreaterThan(before + 20), {
      timeout: 5_000,
    });
    act(() => probe.stream?.stop());
    // `t0 t1 t2 …`: every number once, in order, none missing across the gap.
    const numbers = (probe.stream?.run.text ?? "")
      .trim()
      .split(/\s+/)
      .map((t) => Number(t.slice(1)));
    expect(numbers.length).toBeGreaterThan(10);
    expect(numbers).toEqual(numbers.map((_, i) => i));
    expect(probe.stream?.handle?.reconnects).toBe(1);
    expect(probe.statuses).toEqual(["idle", "running", "reconnecting", "running", "stopped"]);
  });
});
