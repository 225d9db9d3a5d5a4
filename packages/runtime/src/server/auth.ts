/**
 * Bearer-token authentication for the API routes.
 *
 * @packageDocumentation
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { HttpError } from "./errors.js";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Requires `Authorization: Bearer <token>` on every request it guards.
 * With no token configured it lets everything through. CORS preflights (OPTIONS) pass:
 * browsers never send credentials on them.
 */
export function bearerAuth(token: string | undefined): RequestHandler {
  if (!token) return (_req, _res, next) => next();
  const expected = digest(token);
  return (req, _res, next) => {
    if (req.method === "OPTIONS") return next();
    const header = req.get("authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match?.[1]) {
      return next(new HttpError(401, "unauthorized", "Missing bearer token (Authorization: Bearer <token>)"));
    }
    if (!timingSafeEqual(digest(match[1]), expected)) {
      return next(new HttpError(401, "unauthorized", "Invalid bearer token"));
    }
    next();
  };
}
