/**
 * Request-body checks shared by the run routes: content type, RunAgentInput shape, agent id.
 *
 * @packageDocumentation
 */
import { type RunAgentInput, RunAgentInputSchema } from "@ag-ui/core";
import type { Request, RequestHandler } from "express";
import { HttpError } from "./errors.js";

/** True when the request carries a body (a non-zero Content-Length or chunked encoding). */
export function hasBody(req: Request): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/** Refuses bodies that are not JSON with 415 (requests without a body pass). */
export function requireJson(): RequestHandler {
  return (req, _res, next) => {
    if (!hasBody(req) || req.is(["application/json", "application/*+json"])) return next();
    const type = req.get("content-type") ?? "none";
    next(new HttpError(415, "unsupported_media_type", `Content-Type must be application/json (got ${type})`));
  };
}

/**
 * Parses a RunAgentInput with @ag-ui/core's schema; a 422 {@link HttpError} naming the first
 * offending field otherwise.
 */
export function parseRunInput(body: unknown): RunAgentInput {
  if (body === undefined)
    throw new HttpError(422, "invalid_input", "Missing JSON body: expected a RunAgentInput");
  const parsed = RunAgentInputSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((issue) => ({
    field: issue.path.length ? issue.path.join(".") : "(body)",
    message: issue.message,
  }));
  const first = issues[0] ?? { field: "(body)", message: "invalid" };
  throw new HttpError(
    422,
    "invalid_input",
    `Invalid RunAgentInput: field "${first.field}": ${first.message}`,
    {
      field: first.field,
      issues,
    },
  );
}

/** A 404 for an unknown agent, listing the known ones. */
export function unknownAgent(agentId: string, known: readonly string[]): HttpError {
  return new HttpError(
    404,
    "unknown_agent",
    `Unknown agent "${agentId}". Known agents: ${known.join(", ")}`,
    {
      agents: [...known],
    },
  );
}
