/**
 * The fetch handler on its own, as a Next.js route file, Hono or Bun would call it: web `Request`
 * in, web `Response` out, no server of ours in between. And the Node adapter on a bare
 * `node:http` server.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createGunzip } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { createAgentHandler, silentLogger } from "../src/index.js";
import { toNodeListener } from "../src/node.js";
import { actAsOneClient } from "./client-fetch.js";
import { counter, forever, probe, testAgents } from "./fixtures.js";
import { runInput, waitFor } from "./helpers.js";

/** One client: every fetch keeps the session cookie of the threads it creates (see client-fetch.ts). */
actAsOneClient();

const BASE = "http://app.example";
const handlers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(handlers.splice(0).map((h) => h.close()));
});

function handler(options: Partial<Parameters<typeof createAgentHandler>[0]> = {}) {
  const h = createAgentHandler({ agents: testAgents, logger: silentLogger, paceMs: 0, ...options });
  handlers.push(h);
  return h;
}

const post = (path: string, body: unknown, init: RequestInit = {}) =>
  new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify(body),
    ...init,
  });

/** The `data:` JSON of each SSE frame, with its `id:`. */
function frames(text: string): { id?: number; event: { type: string; delta?: string } }[] {
  return text
    .split("\n\n")
    .filter((block) => block.includes("data:"))
    .map((block) => {
      const id = /^id: (\d+)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? "{}";
      return { ...(id ? { id: Number(id) } : {}), event: JSON.parse(data) };
    });
}

describe("createAgentHandler: Request in, Response out", () => {
  it("fetch is a plain function: a run streams as SSE with ids, X-Thread-Id, and the request log", async () => {
    const lines: string[] = [];
    const { fetch } = handler({
      logger: {
        debug() {},
        info: (msg, f) => lines.push(`${msg} ${JSON.stringify(f)}`),
        warn() {},
        error() {},
      },
    });
    const input = runInput("go");
    const res = await fetch(post(`/api/agents/${counter.name}/run`, input));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("x-thread-id")).toBe(input.threadId);
    expect(res.headers.get("x-request-id")).toMatch(/\S/);
    const got = frames(await res.text());
    expect(got.map((f) => f.event.type).at(-1)).toBe("RUN_FINISHED");
    expect(
      got
        .filter((f) => f.event.type === "TEXT_MESSAGE_CONTENT")
        .map((f) => f.event.delta)
        .join(""),
    ).toBe("1 2 3 4 5 ");
    const ids = got.map((f) => f.id);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
    // One log line once the stream has ended, with its figures.
    await waitFor(() => lines.some((l) => l.startsWith("request ")));
    expect(lines.find((l) => l.startsWith("request "))).toMatch(
      /"status":200.*"agent":"counter".*"events":\d+/,
    );
  });

  it("answers the other routes and errors in the JSON envelope", async () => {
    const { fetch } = handler();
    const list = await fetch(new Request(`${BASE}/api/agents`));
    expect(((await list.json()) as { agents: { id: string }[] }).agents.map((a) => a.id)).toEqual(
      testAgents.map((a) => a.name),
    );
    expect((await (await fetch(new Request(`${BASE}/healthz`))).json()) as object).toMatchObject({
      status: "ok",
    });
    const info = await fetch(new Request(`${BASE}/api/copilotkit/info`));
    expect(info.status).toBe(200);
    expect(Object.keys(((await info.json()) as { agents: object }).agents)).toContain("counter");
    const cases: [Request, number, string][] = [
      [new Request(`${BASE}/api/nope`), 404, "not_found"],
      [post("/api/agents/nobody/run", runInput("x")), 404, "unknown_agent"],
      [post(`/api/agents/${counter.name}/run`, {}), 422, "invalid_input"],
      [
        new Request(`${BASE}/api/agents/counter/run`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{",
        }),
        400,
        "invalid_json",
      ],
      [new Request(`${BASE}/api/agents/counter/threads/t-none/events`), 404, "unknown_thread"],
      [new Request(`${BASE}/api/agents/%ZZ/stream?command=x`), 400, "invalid_input"],
    ];
    for (const [request, status, code] of cases) {
      const res = await fetch(request);
      expect(res.status, `${request.method} ${request.url}`).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
  });

  it("an aborted request only detaches: the run goes on and resumes by Last-Event-ID", async () => {
    const h = handler({ detachedRunMs: 5_000 });
    const input = runInput("go");
    const controller = new AbortController();
    const res = await h.fetch(post(`/api/agents/${forever.name}/run`, input, { signal: controller.signal }));
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    expect(res.status).toBe(200);
    while (frames(text).filter((f) => f.event.type === "TEXT_MESSAGE_CONTENT").length < 3) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended early: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
    controller.abort();
    const lastId = frames(text).at(-1)?.id ?? 0;
    const producedAtAbort = probe.produced.get(input.runId) ?? 0;
    // Still running on the server after the disconnect.
    expect(await waitFor(() => (probe.produced.get(input.runId) ?? 0) > producedAtAbort + 3, 2_000)).toBe(
      true,
    );
    expect(probe.finallyAt.has(input.runId)).toBe(false);
    const resumed = await h.fetch(
      new Request(`${BASE}/api/agents/${forever.name}/threads/${input.threadId}/events`, {
        headers: {
          "last-event-id": String(lastId),
          "x-thread-token": res.headers.get("x-thread-token") ?? "",
        },
      }),
    );
    const resumeReader = (resumed.body as ReadableStream<Uint8Array>).getReader();
    const first = frames(decoder.decode((await resumeReader.read()).value))[0];
    expect(first?.id).toBe(lastId + 1);
    await resumeReader.cancel();
    const stop = await h.fetch(
      post(
        `/api/agents/${forever.name}/threads/${input.threadId}/stop`,
        {},
        {
          headers: {
            "content-type": "application/json",
            "x-thread-token": res.headers.get("x-thread-token") ?? "",
          },
        },
      ),
    );
    expect(stop.status).toBe(200);
    expect(await waitFor(() => probe.finallyAt.has(input.runId), 2_000)).toBe(true);
  });

  it("creating a handler starts no timer and opens nothing (a host may build it at build time)", async () => {
    const count = () => process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap").length;
    const before = count();
    const h = createAgentHandler({ agents: testAgents, logger: silentLogger });
    expect(count()).toBe(before);
    await h.close();
  });
});

describe("toNodeListener: the handler on a bare node:http server", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  it("streams a run, gzip-compressed when asked, through http.createServer", async () => {
    const h = handler();
    server = createServer(toNodeListener(h));
    await new Promise<void>((r) => server?.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as AddressInfo).port;
    const { request } = await import("node:http");
    const text = await new Promise<{ encoding?: string; body: string }>((resolve, reject) => {
      const req = request(`http://127.0.0.1:${port}/api/agents/counter/run`, {
        method: "POST",
        headers: { "content-type": "application/json", "accept-encoding": "gzip" },
      });
      req.on("response", (res) => {
        let body = "";
        const plain = res.pipe(createGunzip());
        plain.setEncoding("utf8");
        plain.on("data", (s: string) => {
          body += s;
        });
        plain.on("end", () => resolve({ encoding: res.headers["content-encoding"], body }));
        plain.on("error", reject);
      });
      req.on("error", reject);
      req.end(JSON.stringify(runInput("go")));
    });
    expect(text.encoding).toBe("gzip");
    expect(frames(text.body).at(-1)?.event.type).toBe("RUN_FINISHED");
  });
});
