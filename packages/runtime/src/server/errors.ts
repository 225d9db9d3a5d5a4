/**
 * The JSON error envelope every API route answers with: `{ "error": { "code", "message" } }`.
 *
 * @packageDocumentation
 */

/** Machine-readable error codes of the HTTP API. */
export type ApiErrorCode =
  | "invalid_json"
  | "invalid_input"
  | "invalid_id"
  | "method_not_allowed"
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
  | "thread_taken"
  | "not_running"
  | "id_ahead"
  | "id_gone"
  | "invalid_event_id"
  | "unknown_ask"
  | "ask_closed"
  | "invalid_answer"
  | "rate_limited"
  | "overloaded"
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
    /** Response headers the error needs (e.g. `Retry-After`). */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = "HttpError";
  }
}
