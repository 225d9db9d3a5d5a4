/**
 * The hostile-input suite (issue 25, "Inputs"), run against a real server per runner: random and
 * hostile methods, paths, ids, encodings, headers and bodies sent to every route, with
 * fast-check. What must hold for every request:
 * - no 5xx;
 * - every error is the server's envelope `{ error: { code, message } }` as JSON;
 * - a refused request (4xx) started no run: the agent's start counter does not move.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defineAgent } from "../src/index.js";
import type { AgentStreamRunner } from "../src/runner.js";
import { type Started, startServer } from "./helpers.js";

/** Ids a client might send: valid ones, and every kind of hostile one. */
const hostileId = fc.oneof(
  fc.constantFrom(
    "t1",
    "3f2b8c9e-0d4a-4b7e-9a51-2c6f0e8d1a77",
    "user-42:thread-7",
    "",
    " ",
    "a\r\nb",
    "a\nSet-Cookie: x=1",
    "\u0000",
    "😀",
    "é",
    "../../etc/passwd",
    "a/b",
    "%ZZ",
    "%E0%A4%A",
    ".",
    "..",
    "x".repeat(129),
    "x".repeat(20_000),
    "<script>",
    "1",
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
);

/** A path segment as sent: raw (malformed encodings stay malformed) or percent-encoded. */
const segment = fc.oneof(
  hostileId.map((id) => encodeURIComponent(id)),
  fc.constantFrom("%ZZ", "%", "%E0%A4%A", "..%2F..", "%00", "echo", "nobody"),
);

const agentSegment = fc.oneof(fc.constant("echo"), segment);

const PATHS = [
  (a: string) => `/api/agents/${a}/run`,
  (a: string, t: string) => `/api/agents/${a}/threads/${t}/events`,
  (a: string, t: string) => `/api/agents/${a}/threads/${t}/stop`,
  (a: string, t: string) => `/api/agents/${a}/threads/${t}/answer`,
  (a: string) => `/api/agents/${a}/stream?command=hello`,
  (a: string, t: string) => `/api/agents/${a}/stream?command=hi&thread=${t}`,
  (a: string) => `/api/copilotkit/agent/${a}/run`,
  (a: string) => `/api/copilotkit/agent/${a}/connect`,
  (a: string, t: string) => `/api/copilotkit/agent/${a}/stop/${t}`,
  (a: string, t: string) => `/api/copilotkit/agent/${a}/answer/${t}`,
  () => "/api/copilotkit/info",
  () => "/api/copilotkit/transcribe",
  () => "/api/copilotkit/threads",
  () => "/api/copilotkit/memories",
  (a: string) => `/api/copilotkit/agent/${a}/suggest`,
  () => "/api/agents",
  () => "/api/nothing/here",
  (_a: string, t: string) => `/api/${t}`,
  () => "/healthz",
];

function runInputWith(threadId: unknown, runId: unknown, extra: Record<string, unknown> = {}) {
  return {
    threadId,
    runId,
    messages: [{ id: "m1", role: "user", content: "hello" }],
    tools: [],
    context: [],
    state: {},
    forwardedProps: {},
    ...extra,
  };
}

/** Bodies: near-valid RunAgentInputs with hostile ids or fields, random JSON, not JSON at all. */
const body = fc.oneof(
  fc.record({ t: hostileId, r: hostileId }).map(({ t, r }) => JSON.stringify(runInputWith(t, r))),
  hostileId.map((t) => JSON.stringify(runInputWith(t, undefined))),
  fc.json({ maxDepth: 3 }),
  fc.constantFrom(
    "",
    "{",
    "null",
    "[]",
    '"x"',
    '{"askId":"q","value":1}',
    '{"askId":"","value":null}',
    JSON.stringify(runInputWith("t1", "r1", { messages: "nope" })),
    JSON.stringify(runInputWith(42, {})),
  ),
  fc.string({ maxLength: 200 }),
);

/** Header values a fetch client can send (no CR/LF: the client refuses those itself). */
const headerValue = fc.oneof(
  fc.constantFrom("", "0", "-1", "1e3", "abc", "t1:5", "t1:", ":", "\u00e9:3", "99999999999999999999"),
  fc.string({ maxLength: 30 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
);

const hostileRequest = fc.record({
  method: fc.constantFrom("GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH"),
  path: fc.record({ which: fc.nat(PATHS.length - 1), a: agentSegment, t: segment }),
  body,
  contentType: fc.constantFrom("application/json", "application/json", "text/plain", undefined),
  lastEventId: fc.option(headerValue, { nil: undefined }),
  origin: fc.option(fc.constantFrom("http://evil.example", "null", "http://127.0.0.1"), { nil: undefined }),
});

/** Well-formed runs among them, so the property sees accepted requests beside the refused ones. */
const validRun = fc
  .record({ which: fc.constantFrom(0, 4, 6), t: fc.uuid(), r: fc.uuid() })
  .map(({ which, t, r }) => ({
    method: which === 4 ? "GET" : "POST",
    path: { which, a: "echo", t: "x" },
    body: JSON.stringify(runInputWith(t, r)),
    contentType: "application/json" as string | undefined,
    lastEventId: undefined as string | undefined,
    origin: undefined as string | undefined,
  }));

const request = fc.oneof({ arbitrary: hostileRequest, weight: 6 }, { arbitrary: validRun, weight: 1 });

type HostileRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

async function send(
  base: string,
  r: HostileRequest,
): Promise<{ status: number; type: string; text: string }> {
  const path = (PATHS[r.path.which] as (a: string, t: string) => string)(r.path.a, r.path.t);
  const headers: Record<string, string> = {};
  if (r.contentType) headers["content-type"] = r.contentType;
  if (r.lastEventId !== undefined) headers["last-event-id"] = r.lastEventId;
  if (r.origin) headers.origin = r.origin;
  const hasBody = r.method !== "GET";
  const res = await fetch(`${base}${path}`, {
    method: r.method,
    headers,
    ...(hasBody ? { body: r.body } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  // Streams are read to their end (the agent is quick); errors are small.
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type") ?? "", text };
}

/**
 * Registers the suite for one runner. `runner` builds a fresh runner (or `undefined` for the
 * server's default memory runner).
 */
export function hostileRequests(name: string, runner: () => Promise<AgentStreamRunner | undefined>): void {
  describe(`hostile requests (${name} runner)`, () => {
    it("never answer 5xx, always in the JSON envelope, and a refused request starts no run", async () => {
      let started = 0;
      const echo = defineAgent({
        name: "echo",
        description: "answers at once",
        async *run() {
          started++;
          yield "hi";
        },
      });
      const r = await runner();
      const server: Started = await startServer({ agents: { echo }, ...(r ? { runner: r } : {}) });
      const seen = new Map<number, number>();
      try {
        await fc.assert(
          fc.asyncProperty(request, async (req) => {
            const before = started;
            const res = await send(server.url, req);
            seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
            expect(
              res.status,
              `${req.method} ${JSON.stringify(req.path)} → ${res.text.slice(0, 200)}`,
            ).toBeLessThan(500);
            if (res.status >= 400) {
              expect(res.type).toMatch(/^application\/json/);
              const err = (JSON.parse(res.text) as { error?: { code?: unknown; message?: unknown } }).error;
              expect(typeof err?.code, res.text.slice(0, 200)).toBe("string");
              expect(typeof err?.message, res.text.slice(0, 200)).toBe("string");
              // A run the request started would have entered the generator by now.
              await new Promise((resolve) => setTimeout(resolve, 5));
              expect(started, `refused with ${res.status} but started a run: ${res.text.slice(0, 200)}`).toBe(
                before,
              );
            }
          }),
          { numRuns: 400 },
        );
        // The property really reached both outcomes (a suite that only ever got 404s would prove little).
        expect([...seen.keys()].some((s) => s < 300)).toBe(true);
        expect(seen.get(400) ?? 0).toBeGreaterThan(0);
        expect(started).toBeGreaterThan(0);
      } finally {
        await server.close();
        await r?.close();
      }
    }, 180_000);
  });
}
