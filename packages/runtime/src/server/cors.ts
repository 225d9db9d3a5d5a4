/**
 * CORS with an allowlist. With no allowlist the API is same-origin only: no CORS headers at
 * all, and cross-origin preflights are refused. (CopilotKit's own Express handler defaults to
 * `Access-Control-Allow-Origin: *`; the server turns that off and uses this instead.)
 *
 * @packageDocumentation
 */
import type { RequestHandler } from "express";
import { HttpError } from "./errors.js";

/** Parses `CORS_ORIGINS` ("https://a.example, https://b.example"; `*` allows any origin). */
export function parseCorsOrigins(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(/[\s,]+/)
    .map((origin) => origin.trim().replace(/\/+$/, ""))
    .filter(Boolean);
}

const ALLOWED_METHODS = "GET, POST, OPTIONS";
const DEFAULT_ALLOWED_HEADERS = "Content-Type, Authorization, Accept, Last-Event-ID, X-Request-Id";

/** The CORS middleware for the given allowlist. */
export function corsAllowlist(origins: readonly string[]): RequestHandler {
  const any = origins.includes("*");
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.get("origin");
    if (!origin) return next();
    res.vary("Origin");
    const sameOrigin = isSameOrigin(origin, req.get("host"));
    const ok = any || allowed.has(origin);
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
    if (!ok && !sameOrigin && req.method !== "GET" && req.method !== "HEAD") {
      // A cross-origin write from a page we do not trust: refuse instead of running the agent.
      return next(
        new HttpError(403, "forbidden_origin", `Origin ${origin} is not allowed (set CORS_ORIGINS)`),
      );
    }
    next();
  };
}

function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
