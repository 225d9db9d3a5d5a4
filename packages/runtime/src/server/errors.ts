/**
 * The JSON error envelope every API route answers with: `{ "error": { "code", "message" } }`.
 *
 * @packageDocumentation
 */
import type { ErrorRequestHandler, Response } from "express";
import type { Logger } from "./logging.js";

/** Machine-readable error codes of the HTTP API. */
export type ApiErrorCode =
  | "invalid_json"
  | "invalid_input"
  | "unknown_agent"
  | "payload_too_large"
  | "unauthorized"
  | "unsupported_media_type"
  | "forbidden_origin"
  | "not_found"
  | "shutting_down"
  | "forbidden"
  | "unknown_thread"
  | "thread_busy"
  | "not_running"
  | "id_ahead"
  | "id_gone"
  | "invalid_event_id"
  | "unknown_ask"
  | "ask_closed"
  | "invalid_answer"
  | "runner_unavailable"
  | "internal_error";

/** The body of every error response. */
export interface ApiErrorBody {
  error: {
    code: ApiErrorCode;
    message: string;
    /** Extra facts, e.g. the offending field or the known agents. */
    details?: Record<string, unknown>;
  };
}

/** An error that maps to one HTTP status and one {@link ApiErrorCode}. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** Writes the JSON error envelope (no-op when headers already went out). */
export function sendError(res: Response, error: HttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body: ApiErrorBody = {
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
  };
  res.status(error.status).json(body);
}

/** Maps errors thrown by body-parser and friends to {@link HttpError}s. */
export function toHttpError(error: unknown, maxBodyBytes: number): HttpError {
  if (error instanceof HttpError) return error;
  const e = error as { type?: string; status?: number; message?: string };
  switch (e?.type) {
    case "entity.parse.failed":
      return new HttpError(400, "invalid_json", `Malformed JSON body: ${e.message ?? "parse error"}`);
    case "entity.too.large":
      return new HttpError(
        413,
        "payload_too_large",
        `Request body exceeds the limit of ${maxBodyBytes} bytes`,
      );
    case "encoding.unsupported":
    case "charset.unsupported":
      return new HttpError(415, "unsupported_media_type", e.message ?? "Unsupported encoding");
    default:
      if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) {
        return new HttpError(e.status, "invalid_input", e.message ?? "Bad request");
      }
      return new HttpError(500, "internal_error", "Internal server error");
  }
}

/** Express error middleware: one JSON error body and one log line per error; the server goes on. */
export function errorHandler(logger: Logger, maxBodyBytes: number): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const httpError = toHttpError(error, maxBodyBytes);
    const log = httpError.status >= 500 ? logger.error : logger.warn;
    log.call(logger, "request_error", {
      reqId: res.locals.reqId,
      method: req.method,
      path: req.path,
      status: httpError.status,
      code: httpError.code,
      message: httpError.status >= 500 && error instanceof Error ? error.message : httpError.message,
      ...(httpError.status >= 500 && error instanceof Error ? { stack: error.stack } : {}),
    });
    sendError(res, httpError);
  };
}
