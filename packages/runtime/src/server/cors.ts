/**
 * CORS with an allowlist, and the same-origin check of writes. With no allowlist the API is
 * same-origin only: no CORS headers at all, cross-origin preflights are refused, and a POST whose
 * `Origin` is not this server is refused (403 `forbidden_origin`). (CopilotKit's own Express
 * handler defaults to `Access-Control-Allow-Origin: *`; the server turns that off and uses this
 * instead.)
 *
 * "This server" is the `Host` header, or, when the app's `trust proxy` setting (the server's
 * `trustProxy` option) trusts the peer, what the proxy in front says: the standard
 * `Forwarded: host=…;proto=…`, else `X-Forwarded-Host` and `X-Forwarded-Proto`.
 *
 * @packageDocumentation
 */
import type { Request, RequestHandler } from "express";
import { HttpError } from "./errors.js";

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
const DEFAULT_ALLOWED_HEADERS = "Content-Type, Authorization, Accept, Last-Event-ID, X-Request-Id";

/** The CORS middleware for the given allowlist. */
export function corsAllowlist(origins: readonly string[]): RequestHandler {
  const any = origins.includes("*");
  const allowed = new Set(origins.map(normaliseOrigin));
  return (req, res, next) => {
    const origin = req.get("origin");
    if (!origin) return next();
    res.vary("Origin");
    const ok = any || allowed.has(origin);
    const self = ok ? undefined : serverOrigin(req);
    const sameOrigin = self !== undefined && isSameOrigin(origin, self);
    // Read by routes that start a run on GET (the seed route): they refuse untrusted origins too.
    res.locals.untrustedOrigin = !ok && !sameOrigin;
    if (ok) {
      res.setHeader("Access-Control-Allow-Origin", any ? "*" : origin);
      res.setHeader("Access-Control-Expose-Headers", "X-Request-Id");
      if (!any) res.setHeader("Access-Control-Allow-Credentials", "true");
    }
    if (req.method === "OPTIONS" && req.get("access-control-request-method")) {
      if (!ok) {
        return next(
          new HttpError(403, "forbidden_origin", `Origin ${origin} is not allowed (set CORS_ORIGINS)`),
        );
      }
      res.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
      res.setHeader(
        "Access-Control-Allow-Headers",
        req.get("access-control-request-headers") ?? DEFAULT_ALLOWED_HEADERS,
      );
      res.setHeader("Access-Control-Max-Age", "600");
      res.status(204).end();
      return;
    }
    if (self && !sameOrigin && req.method !== "GET" && req.method !== "HEAD") {
      // A cross-origin write from a page we do not trust: refuse instead of running the agent.
      return next(notThisServer(origin, self));
    }
    next();
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
 * The origin of this server as the client sees it. Forwarded headers count only when the app's
 * `trust proxy` setting trusts the peer (Express's rule for `req.protocol` and `req.host`); the
 * first element of `Forwarded` (RFC 7239) wins over `X-Forwarded-Host` / `X-Forwarded-Proto`,
 * and of a comma list the first value (the proxy nearest the client) counts.
 */
export function serverOrigin(req: Request): ServerOrigin {
  const hostHeader = req.get("host") || undefined;
  const xHost = firstValue(req.get("x-forwarded-host"));
  const xProto = firstValue(req.get("x-forwarded-proto"))?.toLowerCase();
  const peer = req.socket.remoteAddress ?? "";
  const trust = req.app?.get("trust proxy fn") as ((addr: string, i: number) => boolean) | undefined;
  if (typeof trust !== "function" || !trust(peer, 0)) {
    const headers = FORWARDED_HEADERS.filter((name) => req.get(name) !== undefined).join(", ");
    const reason = req.app?.get("trust proxy") ? "untrusted_peer" : "trust_proxy_off";
    return {
      host: hostHeader,
      proto: undefined,
      source: `Host ${hostHeader ?? "(none)"}`,
      trusted: false,
      ...(headers ? { ignored: { headers, reason, peer } } : {}),
    };
  }
  const fwd = parseForwarded(req.get("forwarded"));
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
