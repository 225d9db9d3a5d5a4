/**
 * CORS with an allowlist, and the same-origin check of writes. With no allowlist the API is
 * same-origin only: no CORS headers at all, cross-origin preflights are refused, and a POST whose
 * `Origin` is not this server is refused (403 `forbidden_origin`). (CopilotKit's own handler
 * can add `Access-Control-Allow-Origin: *`; the handler turns that off and uses this instead.)
 *
 * "This server" is the `Host` header, or, when the `trustProxy` option trusts the peer that
 * connected (the address the Node adapter passes), what the proxy in front says: the standard
 * `Forwarded: host=…;proto=…`, else `X-Forwarded-Host` and `X-Forwarded-Proto`.
 *
 * @packageDocumentation
 */
import proxyAddr from "proxy-addr";
import { HttpError } from "../server/errors.js";

/** Which peers are trusted proxies: Express's `trust proxy` values (on, a hop count, addresses or subnets). */
export type TrustProxy = boolean | number | string | readonly string[];

/** Compiles {@link TrustProxy} into a check of the connecting peer's address. */
export function compileTrust(value: TrustProxy | undefined): (peer: string) => boolean {
  if (value === undefined || value === false || value === 0) return () => false;
  if (value === true) return () => true;
  // A hop count: the peer in front is the first hop.
  if (typeof value === "number") return () => value >= 1;
  const list = typeof value === "string" ? value.split(",").map((s) => s.trim()) : [...value];
  const trust = proxyAddr.compile(list);
  return (peer) => peer !== "" && trust(peer, 0);
}

/** What the CORS step decided for one request. */
export interface CorsDecision {
  /** Headers every response to this request carries (`Access-Control-*`, `Vary`). */
  headers: Record<string, string>;
  /** The answer to a preflight (204), when the request is one. */
  preflight?: Response;
  /** True for a cross-origin request from an origin neither allowed nor this server (routes that start a run on GET refuse it). */
  untrustedOrigin: boolean;
}

/** Parses `CORS_ORIGINS` ("https://a.example, https://b.example"; `*` allows any origin). */
export function parseCorsOrigins(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(/[\s,]+/)
    .map(normaliseOrigin)
    .filter(Boolean);
}

const normaliseOrigin = (origin: string) => origin.trim().replace(/\/+$/, "");

const ALLOWED_METHODS = "GET, POST, OPTIONS";
const DEFAULT_ALLOWED_HEADERS =
  "Content-Type, Authorization, Accept, Last-Event-ID, X-Request-Id, X-Thread-Token";

/** The CORS step of the API for the given allowlist; throws 403 for what it refuses. */
export function corsAllowlist(
  origins: readonly string[],
  trustProxy?: TrustProxy,
): (request: Request, peer: string) => CorsDecision {
  const any = origins.includes("*");
  const allowed = new Set(origins.map(normaliseOrigin));
  const trusted = compileTrust(trustProxy);
  return (request, peer) => {
    const origin = request.headers.get("origin");
    if (!origin) return { headers: {}, untrustedOrigin: false };
    const headers: Record<string, string> = { Vary: "Origin" };
    const ok = any || allowed.has(origin);
    const self = ok
      ? undefined
      : serverOrigin(request.headers, peer, trusted, trustProxy !== undefined && trustProxy !== false);
    const sameOrigin = self !== undefined && isSameOrigin(origin, self);
    if (ok) {
      headers["Access-Control-Allow-Origin"] = any ? "*" : origin;
      headers["Access-Control-Expose-Headers"] = "X-Request-Id, X-Thread-Id, X-Run-Id, X-Thread-Token";
      if (!any) headers["Access-Control-Allow-Credentials"] = "true";
    }
    if (request.method === "OPTIONS" && request.headers.has("access-control-request-method")) {
      if (!ok)
        throw new HttpError(403, "forbidden_origin", `Origin ${origin} is not allowed (set CORS_ORIGINS)`);
      const preflight = new Response(null, {
        status: 204,
        headers: {
          ...headers,
          "Access-Control-Allow-Methods": ALLOWED_METHODS,
          "Access-Control-Allow-Headers":
            request.headers.get("access-control-request-headers") ?? DEFAULT_ALLOWED_HEADERS,
          "Access-Control-Max-Age": "600",
        },
      });
      return { headers, preflight, untrustedOrigin: false };
    }
    if (self && !sameOrigin && request.method !== "GET" && request.method !== "HEAD") {
      // A cross-origin write from a page we do not trust: refuse instead of running the agent.
      throw notThisServer(origin, self);
    }
    return { headers, untrustedOrigin: !ok && !sameOrigin };
  };
}

/** What a request says this server's origin is, and where that came from. */
export interface ServerOrigin {
  /** `host[:port]` as the client addressed it. */
  host: string | undefined;
  /** `http` or `https` when a trusted proxy says so; unknown otherwise (then only hosts are compared). */
  proto: string | undefined;
  /** The headers it was read from, for error messages: `Host 127.0.0.1:4000`. */
  source: string;
  /** Whether the peer is a trusted proxy (forwarded headers were read). */
  trusted: boolean;
  /** Forwarded headers that were present but ignored, and why. */
  ignored?: { headers: string; reason: "trust_proxy_off" | "untrusted_peer"; peer: string };
}

/**
 * The origin of this server as the client sees it. Forwarded headers count only when `trusted`
 * says the peer is a trusted proxy (Express's rule for `req.protocol` and `req.host`); the
 * first element of `Forwarded` (RFC 7239) wins over `X-Forwarded-Host` / `X-Forwarded-Proto`,
 * and of a comma list the first value (the proxy nearest the client) counts.
 */
export function serverOrigin(
  headers: Headers,
  peer: string,
  trusted: (peer: string) => boolean,
  trustProxyOn: boolean,
): ServerOrigin {
  const get = (name: string) => headers.get(name) ?? undefined;
  const hostHeader = get("host") || undefined;
  const xHost = firstValue(get("x-forwarded-host"));
  const xProto = firstValue(get("x-forwarded-proto"))?.toLowerCase();
  if (!trusted(peer)) {
    const present = FORWARDED_HEADERS.filter((name) => headers.has(name)).join(", ");
    const reason = trustProxyOn ? "untrusted_peer" : "trust_proxy_off";
    return {
      host: hostHeader,
      proto: undefined,
      source: `Host ${hostHeader ?? "(none)"}`,
      trusted: false,
      ...(present ? { ignored: { headers: present, reason, peer } } : {}),
    };
  }
  const fwd = parseForwarded(get("forwarded"));
  const x = { proto: xProto, label: `X-Forwarded-Proto ${xProto}` };
  const f = { proto: fwd.proto, label: `Forwarded proto=${fwd.proto}` };
  let host = hostHeader;
  let source = `Host ${hostHeader ?? "(none)"}`;
  let protos = [f, x];
  if (fwd.host !== undefined) {
    host = fwd.host;
    source = `Forwarded host=${fwd.host}`;
  } else if (xHost !== undefined) {
    host = xHost;
    source = `X-Forwarded-Host ${xHost}`;
    protos = [x, f];
  }
  const stated = protos.find((p) => p.proto !== undefined);
  return {
    host,
    proto: stated?.proto,
    source: stated ? `${source}, ${stated.label}` : source,
    trusted: true,
  };
}

const FORWARDED_HEADERS = ["Forwarded", "X-Forwarded-Host", "X-Forwarded-Proto"];

/**
 * Whether `origin` (an `Origin` header) is the server's own origin: same host and port, and the
 * same scheme when the scheme is known (a trusted proxy stated it). Default ports are
 * normalised: `https://app.example` is `app.example:443` over https.
 */
export function isSameOrigin(origin: string, self: ServerOrigin): boolean {
  if (!self.host || /[/?#@\\\s]/.test(self.host)) return false;
  let client: URL;
  let server: URL;
  try {
    client = new URL(origin);
    if (self.proto !== undefined && client.protocol !== `${self.proto}:`) return false;
    server = new URL(`${client.protocol}//${self.host}`);
  } catch {
    return false;
  }
  return client.host !== "" && server.host === client.host;
}

function notThisServer(origin: string, self: ServerOrigin): HttpError {
  const list = "or list the origin in corsOrigins / CORS_ORIGINS";
  let facts = self.source;
  let hint = `behind a proxy set trustProxy / AGENTSTREAM_TRUST_PROXY=1, ${list}`;
  if (self.trusted) {
    hint = `check the Host / X-Forwarded-Host / X-Forwarded-Proto (or Forwarded) headers your proxy sends, ${list}`;
  } else if (self.ignored) {
    const { headers, reason, peer } = self.ignored;
    facts += `; ${headers} ignored: ${reason === "trust_proxy_off" ? "trustProxy is off" : `${peer || "the peer"} is not a trusted proxy`}`;
    if (reason === "untrusted_peer")
      hint = `add the proxy's address to trustProxy / AGENTSTREAM_TRUST_PROXY, ${list}`;
  }
  return new HttpError(403, "forbidden_origin", `Origin ${origin} is not this server (${facts}); ${hint}`, {
    origin,
    host: self.host ?? null,
    proto: self.proto ?? null,
    source: self.source,
    trustedProxy: self.trusted,
    ...(self.ignored ? { ignored: self.ignored.headers } : {}),
  });
}

function firstValue(header: string | undefined): string | undefined {
  const value = header?.split(",")[0]?.trim();
  return value ? value : undefined;
}

/** `host` and `proto` of the first element of a `Forwarded` header (RFC 7239; quoted values allowed). */
export function parseForwarded(header: string | undefined): { host?: string; proto?: string } {
  if (!header) return {};
  const out: { host?: string; proto?: string } = {};
  let i = 0;
  while (i < header.length) {
    // name
    const eq = header.indexOf("=", i);
    if (eq < 0) break;
    const name = header.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    let value = "";
    if (header[i] === '"') {
      i++;
      while (i < header.length && header[i] !== '"') {
        if (header[i] === "\\") i++;
        value += header[i] ?? "";
        i++;
      }
      i++; // closing quote
    } else {
      while (i < header.length && header[i] !== ";" && header[i] !== ",") value += header[i++];
      value = value.trim();
    }
    if ((name === "host" || name === "proto") && out[name] === undefined && value) {
      out[name] = name === "proto" ? value.toLowerCase() : value;
    }
    while (i < header.length && header[i] !== ";" && header[i] !== ",") i++;
    if (header[i] === ",") break; // only the first element (the proxy nearest the client)
    i++;
  }
  return out;
}
