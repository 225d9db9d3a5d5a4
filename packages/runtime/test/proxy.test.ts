/**
 * The same-origin check behind a reverse proxy (issue 21): `trustProxy` makes the check read
 * `Forwarded` / `X-Forwarded-Host` / `X-Forwarded-Proto` from trusted peers, and only then.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseForwarded } from "../src/handler/cors.js";
import { serverOptionsFromEnv } from "../src/index.js";
import { counter, probe, testAgents } from "./fixtures.js";
import {
  copilotRunUrl,
  plainRunUrl,
  runInput,
  runWithHttpAgent,
  type Started,
  startServer,
} from "./helpers.js";

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

let direct: Started; // trustProxy off (the default)
let trusting: Started; // trustProxy: true
let allowlisted: Started; // trustProxy off, the public origin in corsOrigins
let otherProxy: Started; // trusts 10.0.0.1 only: the test client (127.0.0.1) is not a trusted proxy
let loopback: Started; // trusts loopback addresses

beforeAll(async () => {
  [direct, trusting, allowlisted, otherProxy, loopback] = await Promise.all([
    startServer({ agents: testAgents }),
    startServer({ agents: testAgents, trustProxy: true }),
    startServer({ agents: testAgents, corsOrigins: ["https://app.example/"] }),
    startServer({ agents: testAgents, trustProxy: ["10.0.0.1"] }),
    startServer({ agents: testAgents, trustProxy: "loopback" }),
  ]);
});
afterAll(async () => {
  await Promise.all([direct, trusting, allowlisted, otherProxy, loopback].map((s) => s?.close()));
});

const hostOf = (url: string) => new URL(url).host;

/** A browser-like POST of a run; reads the whole stream on success. */
async function post(url: string, headers: Record<string, string>) {
  const res = await fetch(plainRunUrl(url, counter.name), {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(runInput("go")),
  });
  const text = await res.text();
  const body = res.headers.get("content-type")?.includes("json")
    ? (JSON.parse(text) as ErrorBody)
    : undefined;
  return { status: res.status, text, error: body?.error };
}

const xf = (host: string, proto?: string) => ({
  "x-forwarded-host": host,
  ...(proto ? { "x-forwarded-proto": proto } : {}),
});

describe("trustProxy: X-Forwarded-Host / X-Forwarded-Proto", () => {
  it("accepts an Origin that matches X-Forwarded-Host and X-Forwarded-Proto; the run streams", async () => {
    const r = await post(trusting.url, { origin: "https://app.example", ...xf("app.example", "https") });
    expect(r.status).toBe(200);
    expect(r.text).toContain("RUN_FINISHED");
  });

  it("without trustProxy the same request is refused, and the message says what was compared", async () => {
    const r = await post(direct.url, { origin: "https://app.example", ...xf("app.example", "https") });
    expect(r.status).toBe(403);
    expect(r.error?.code).toBe("forbidden_origin");
    expect(r.error?.message).toBe(
      `Origin https://app.example is not this server (Host ${hostOf(direct.url)}; X-Forwarded-Host, X-Forwarded-Proto ignored: trustProxy is off); behind a proxy set trustProxy / AGENTSTREAM_TRUST_PROXY=1, or list the origin in corsOrigins / CORS_ORIGINS`,
    );
    expect(r.error?.details).toMatchObject({
      origin: "https://app.example",
      host: hostOf(direct.url),
      trustedProxy: false,
    });
  });

  it("a plain mismatch (no forwarded headers) names the Host and the two fixes", async () => {
    const r = await post(direct.url, { origin: "https://app.example" });
    expect(r.status).toBe(403);
    expect(r.error?.message).toBe(
      `Origin https://app.example is not this server (Host ${hostOf(direct.url)}); behind a proxy set trustProxy / AGENTSTREAM_TRUST_PROXY=1, or list the origin in corsOrigins / CORS_ORIGINS`,
    );
  });

  it("takes the first value of a comma list", async () => {
    const ok = await post(trusting.url, {
      origin: "https://app.example",
      ...xf("app.example, internal.lan:8080", "https, http"),
    });
    expect(ok.status).toBe(200);
    const inner = await post(trusting.url, {
      origin: "http://internal.lan:8080",
      ...xf("app.example, internal.lan:8080", "https, http"),
    });
    expect(inner.status).toBe(403);
  });

  it("an origin the trusted proxy does not vouch for is refused, with a hint about the proxy's headers", async () => {
    const r = await post(trusting.url, { origin: "https://evil.example", ...xf("app.example", "https") });
    expect(r.status).toBe(403);
    expect(r.error?.message).toContain(
      "is not this server (X-Forwarded-Host app.example, X-Forwarded-Proto https); check the Host / X-Forwarded-Host",
    );
    expect(r.error?.details).toMatchObject({ host: "app.example", proto: "https", trustedProxy: true });
  });

  it("the Host itself still counts when the proxy keeps it (and says only the protocol)", async () => {
    const origin = `https://${hostOf(trusting.url)}`;
    expect((await post(trusting.url, { origin, "x-forwarded-proto": "https" })).status).toBe(200);
    expect((await post(trusting.url, { origin: trusting.url, "x-forwarded-proto": "https" })).status).toBe(
      403,
    );
  });
});

describe("trustProxy: protocols and ports", () => {
  it("a stated protocol must match the Origin's scheme", async () => {
    const http = await post(trusting.url, { origin: "http://app.example", ...xf("app.example", "https") });
    expect(http.status).toBe(403);
    expect(http.error?.message).toContain("(X-Forwarded-Host app.example, X-Forwarded-Proto https)");
    const https = await post(trusting.url, { origin: "https://app.example", ...xf("app.example", "http") });
    expect(https.status).toBe(403);
    expect(
      (await post(trusting.url, { origin: "http://app.example", ...xf("app.example", "http") })).status,
    ).toBe(200);
  });

  it("default ports are normalised; other ports must match", async () => {
    expect(
      (await post(trusting.url, { origin: "https://app.example", ...xf("app.example:443", "https") })).status,
    ).toBe(200);
    expect(
      (await post(trusting.url, { origin: "https://app.example:8443", ...xf("app.example", "https") }))
        .status,
    ).toBe(403);
    expect(
      (await post(trusting.url, { origin: "https://app.example:8443", ...xf("app.example:8443", "https") }))
        .status,
    ).toBe(200);
    expect(
      (await post(trusting.url, { origin: "https://APP.example", ...xf("app.EXAMPLE", "HTTPS") })).status,
    ).toBe(200);
  });

  it("with no protocol stated, only host and port are compared (as with Host)", async () => {
    expect((await post(trusting.url, { origin: "https://app.example", ...xf("app.example") })).status).toBe(
      200,
    );
    expect((await post(trusting.url, { origin: "http://app.example", ...xf("app.example") })).status).toBe(
      200,
    );
  });
});

describe("trustProxy: the standard Forwarded header", () => {
  it("accepts host and proto from Forwarded", async () => {
    const r = await post(trusting.url, {
      origin: "https://app.example",
      forwarded: "for=192.0.2.60;proto=https;host=app.example;by=203.0.113.43",
    });
    expect(r.status).toBe(200);
    expect(r.text).toContain("RUN_FINISHED");
  });

  it("quoted values and several elements: the first element (the proxy nearest the client) counts", async () => {
    const forwarded =
      'for="[2001:db8:cafe::17]:4711";host="app.example:8443";proto=https, for=10.0.0.2;host=internal.lan';
    expect((await post(trusting.url, { origin: "https://app.example:8443", forwarded })).status).toBe(200);
    expect((await post(trusting.url, { origin: "http://internal.lan", forwarded })).status).toBe(403);
  });

  it("proto mismatch in Forwarded is refused", async () => {
    const r = await post(trusting.url, {
      origin: "https://app.example",
      forwarded: "host=app.example;proto=http",
    });
    expect(r.status).toBe(403);
    expect(r.error?.message).toContain("(Forwarded host=app.example, Forwarded proto=http)");
  });

  it("Forwarded wins over X-Forwarded-Host", async () => {
    const headers = { forwarded: "host=app.example;proto=https", ...xf("other.example", "https") };
    expect((await post(trusting.url, { origin: "https://app.example", ...headers })).status).toBe(200);
    expect((await post(trusting.url, { origin: "https://other.example", ...headers })).status).toBe(403);
  });

  it("parseForwarded reads the first element, unquotes, lower-cases proto", () => {
    expect(parseForwarded('For=x; Host="a.example:1\\"2"; Proto=HTTPS, host=b')).toEqual({
      host: 'a.example:1"2',
      proto: "https",
    });
    expect(parseForwarded("for=x, host=b")).toEqual({});
    expect(parseForwarded(undefined)).toEqual({});
    // a quoted comma does not end the element
    expect(parseForwarded('for="a,b";host=c')).toEqual({ host: "c" });
  });
});

describe("without trustProxy forwarded headers are ignored (no spoofing)", () => {
  it("X-Forwarded-Host sent straight to the server does not pass the check", async () => {
    const r = await post(direct.url, { origin: "https://evil.example", ...xf("evil.example", "https") });
    expect(r.status).toBe(403);
    expect(r.error?.message).toContain("ignored: trustProxy is off");
  });

  it("neither does Forwarded", async () => {
    const r = await post(direct.url, {
      origin: "https://evil.example",
      forwarded: "host=evil.example;proto=https",
    });
    expect(r.status).toBe(403);
    expect(r.error?.message).toContain("Forwarded ignored: trustProxy is off");
  });

  it("a real same-origin request still passes, whatever forwarded headers say", async () => {
    expect((await post(direct.url, { origin: direct.url, ...xf("evil.example", "https") })).status).toBe(200);
  });

  it("a peer outside the trusted addresses is not a proxy; loopback is", async () => {
    const headers = { origin: "https://app.example", ...xf("app.example", "https") };
    const r = await post(otherProxy.url, headers);
    expect(r.status).toBe(403);
    expect(r.error?.message).toContain(
      "X-Forwarded-Host, X-Forwarded-Proto ignored: 127.0.0.1 is not a trusted proxy); add the proxy's address to trustProxy / AGENTSTREAM_TRUST_PROXY",
    );
    expect((await post(loopback.url, headers)).status).toBe(200);
  });
});

describe("corsOrigins counts for the same-origin check", () => {
  it("an allowlisted origin passes without trustProxy (trailing slash in the option is ignored)", async () => {
    const r = await post(allowlisted.url, { origin: "https://app.example" });
    expect(r.status).toBe(200);
    expect((await post(allowlisted.url, { origin: "https://evil.example" })).status).toBe(403);
  });
});

describe("AGENTSTREAM_TRUST_PROXY", () => {
  it("parses on/off, hop counts and address lists; refuses anything else", () => {
    expect(serverOptionsFromEnv({ AGENTSTREAM_TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(serverOptionsFromEnv({ AGENTSTREAM_TRUST_PROXY: "on" }).trustProxy).toBe(true);
    expect(serverOptionsFromEnv({ AGENTSTREAM_TRUST_PROXY: "TRUE" }).trustProxy).toBe(true);
    expect(serverOptionsFromEnv({ AGENTSTREAM_TRUST_PROXY: "off" }).trustProxy).toBe(false);
    expect(serverOptionsFromEnv({ AGENTSTREAM_TRUST_PROXY: "0" }).trustProxy).toBe(0);
    expect(
      serverOptionsFromEnv({ AGENTSTREAM_TRUST_PROXY: "loopback, 10.0.0.0/8, fd00::/8" }).trustProxy,
    ).toEqual(["loopback", "10.0.0.0/8", "fd00::/8"]);
    expect(serverOptionsFromEnv({}).trustProxy).toBeUndefined();
    expect(() => serverOptionsFromEnv({ AGENTSTREAM_TRUST_PROXY: "maybe" })).toThrow(
      /AGENTSTREAM_TRUST_PROXY/,
    );
  });
});

/**
 * A tiny reverse proxy like nginx's `proxy_pass http://127.0.0.1:PORT` without
 * `proxy_set_header Host`: Host becomes the upstream's, the public host goes in X-Forwarded-Host.
 * Streams both ways without buffering.
 */
async function startProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const headers = {
      ...req.headers,
      host: upstream.host,
      "x-forwarded-host": req.headers.host ?? "",
      "x-forwarded-proto": "http",
    };
    const out = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers,
        agent: false,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    out.on("error", () => res.destroy());
    res.on("close", () => out.destroy());
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe("through a real reverse proxy that rewrites Host", () => {
  let toTrusting: Awaited<ReturnType<typeof startProxy>>;
  let toDirect: Awaited<ReturnType<typeof startProxy>>;
  beforeAll(async () => {
    [toTrusting, toDirect] = await Promise.all([startProxy(trusting.url), startProxy(direct.url)]);
  });
  afterAll(async () => {
    await Promise.all([toTrusting?.close(), toDirect?.close()]);
  });

  it("without trustProxy the browser's POST gets 403 (the issue)", async () => {
    const r = await post(toDirect.url, { origin: toDirect.url });
    expect(r.status).toBe(403);
    expect(r.error?.message).toContain(
      `(Host ${hostOf(direct.url)}; X-Forwarded-Host, X-Forwarded-Proto ignored`,
    );
    // HttpAgent sends the Origin header too (so the streaming tests below do exercise the check).
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {}); // @ag-ui/client logs the 403
    const refused = await runWithHttpAgent(plainRunUrl(toDirect.url, counter.name), runInput("go"), {
      headers: { origin: toDirect.url },
    }).finally(() => quiet.mockRestore());
    expect(String(refused.error)).toContain("403");
    expect(refused.types).toEqual([]);
  });

  it("with trustProxy the plain route streams through the proxy as it is produced", async () => {
    probe.reset();
    const input = runInput("go");
    const run = await runWithHttpAgent(plainRunUrl(toTrusting.url, counter.name), input, {
      headers: { origin: toTrusting.url },
    });
    expect(run.error).toBeUndefined();
    expect(run.types[0]).toBe("RUN_STARTED");
    expect(run.types.at(-1)).toBe("RUN_FINISHED");
    expect(run.text).toBe("1 2 3 4 5 ");
    // The first event crossed the proxy before the generator produced its last chunk.
    expect(run.events[0]?.at ?? Infinity).toBeLessThan(probe.produced.get(input.runId) ?? 0);
  });

  it("and so does CopilotKit's route", async () => {
    const input = runInput("go");
    const run = await runWithHttpAgent(copilotRunUrl(toTrusting.url, counter.name), input, {
      headers: { origin: toTrusting.url },
    });
    expect(run.error).toBeUndefined();
    expect(run.types.at(-1)).toBe("RUN_FINISHED");
    expect(run.text).toBe("1 2 3 4 5 ");
    expect(run.events[0]?.at ?? Infinity).toBeLessThan(probe.produced.get(input.runId) ?? 0);
  });
});
