import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testAgents } from "./fixtures.js";
import {
  copilotRunUrl,
  healthz,
  plainRunUrl,
  runInput,
  runWithHttpAgent,
  type Started,
  startServer,
} from "./helpers.js";

const TOKEN = "s3cret-token";
let s: Started;
beforeAll(async () => {
  s = await startServer({ agents: testAgents, authToken: TOKEN, corsOrigins: ["https://allowed.example"] });
});
afterAll(async () => {
  await s.close();
});

const auth = { authorization: `Bearer ${TOKEN}` };
type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...auth, ...headers },
    body,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, body: json as ErrorBody, headers: res.headers };
}

const routes = {
  plain: (agent: string) => plainRunUrl(s.url, agent),
  copilotkit: (agent: string) => copilotRunUrl(s.url, agent),
};

describe.each(Object.entries(routes))("bad input on the %s route", (_name, route) => {
  it("malformed JSON → 400 invalid_json", async () => {
    const r = await post(route("counter"), '{"threadId": ');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_json");
    expect(r.headers.get("content-type")).toMatch(/application\/json/);
  });

  it("not a RunAgentInput → 422 naming the field", async () => {
    const { messages: _drop, ...noMessages } = runInput("x");
    const r = await post(route("counter"), JSON.stringify(noMessages));
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("invalid_input");
    expect(r.body.error.message).toContain('"messages"');
    expect(r.body.error.details?.field).toBe("messages");
    const bad = await post(
      route("counter"),
      JSON.stringify({ ...runInput("x"), messages: [{ id: "1", role: "robot", content: "x" }] }),
    );
    expect(bad.status).toBe(422);
    expect(bad.body.error.details?.field).toMatch(/^messages\.0/);
  });

  it("unknown agent → 404 listing the known agents", async () => {
    const r = await post(route("nope"), JSON.stringify(runInput("x")));
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("unknown_agent");
    expect(r.body.error.details?.agents).toEqual(testAgents.map((a) => a.name));
    expect(r.body.error.message).toContain("counter");
  });

  it("body over 1 MB → 413", async () => {
    const big = JSON.stringify({ ...runInput("x"), state: { blob: "y".repeat(1_100_000) } });
    const r = await post(route("counter"), big);
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe("payload_too_large");
  });

  it("missing or wrong token → 401", async () => {
    const missing = await fetch(route("counter"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(runInput("x")),
    });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as ErrorBody).error.code).toBe("unauthorized");
    const wrong = await post(route("counter"), JSON.stringify(runInput("x")), {
      authorization: "Bearer nope",
    });
    expect(wrong.status).toBe(401);
  });

  it("a content type other than JSON → 415", async () => {
    const r = await post(route("counter"), "threadId=1", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(r.status).toBe(415);
    expect(r.body.error.code).toBe("unsupported_media_type");
  });

  it("the server goes on after every error", async () => {
    expect((await healthz(s.url)).status).toBe("ok");
    const run = await runWithHttpAgent(route("counter"), runInput("still here"), { headers: auth });
    expect(run.error).toBeUndefined();
    expect(run.text).toBe("1 2 3 4 5 ");
  });
});

describe("auth and CORS on the other routes", () => {
  it("GET /api/agents and CopilotKit's /info need the token; /healthz does not", async () => {
    expect((await fetch(`${s.url}/api/agents`)).status).toBe(401);
    expect((await fetch(`${s.url}/api/copilotkit/info`)).status).toBe(401);
    expect((await fetch(`${s.url}/api/agents`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${s.url}/api/copilotkit/info`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });

  it("an allowed origin gets CORS headers (preflight without a token); others are refused", async () => {
    const pre = await fetch(plainRunUrl(s.url, "counter"), {
      method: "OPTIONS",
      headers: {
        origin: "https://allowed.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, authorization",
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://allowed.example");
    expect(pre.headers.get("access-control-allow-headers")).toContain("authorization");
    const denied = await fetch(`${s.url}/api/copilotkit/info`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
    const get = await fetch(`${s.url}/api/copilotkit/info`, {
      headers: { ...auth, origin: "https://evil.example" },
    });
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
    const post = await fetch(plainRunUrl(s.url, "counter"), {
      method: "POST",
      headers: { ...auth, origin: "https://evil.example", "content-type": "application/json" },
      body: JSON.stringify(runInput("x")),
    });
    expect(post.status).toBe(403);
  });

  it("unknown API routes answer a JSON 404", async () => {
    const res = await fetch(`${s.url}/api/nothing-here`, { headers: auth });
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).error.code).toBe("not_found");
  });
});
