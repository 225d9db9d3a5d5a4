/**
 * The errors of the run client: one class, with a machine-readable `code`, the HTTP status when
 * there was one, and whether the client may retry.
 *
 * @packageDocumentation
 */

/** What went wrong, as a stable string (the server's error `code` when it sent one). */
export type RunClientErrorCode =
  | "http_error"
  | "not_found"
  | "unauthorized"
  | "event_id_ahead"
  | "event_id_expired"
  | "network"
  | "retries_exhausted"
  | "stream_ended"
  | "run_error"
  | (string & {});

/** Details of a {@link RunClientError}. */
export interface RunClientErrorInit {
  /** The HTTP status, when the server answered. */
  status?: number;
  /** The newest event id the server holds (a 409 answer). */
  newestId?: number;
  /** True when trying again may help (network drops, 5xx, 429). */
  retryable?: boolean;
  /** The underlying error. */
  cause?: unknown;
}

/** An error of the run client: an HTTP answer that is not a stream, a lost connection, a failed run. */
export class RunClientError extends Error {
  override readonly name = "RunClientError";
  /** What went wrong (see {@link RunClientErrorCode}). */
  readonly code: RunClientErrorCode;
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** The newest event id the server holds (a 409 answer). */
  readonly newestId: number | undefined;
  /** True when trying again may help. */
  readonly retryable: boolean;

  /**
   * @param code - what went wrong
   * @param message - a sentence for people
   * @param init - status, newest id, retryable, cause
   */
  constructor(code: RunClientErrorCode, message: string, init: RunClientErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.status = init.status;
    this.newestId = init.newestId;
    this.retryable = init.retryable ?? false;
  }
}

const CODE_BY_STATUS: Record<number, RunClientErrorCode> = {
  401: "unauthorized",
  403: "unauthorized",
  404: "not_found",
  409: "event_id_ahead",
  410: "event_id_expired",
};

/**
 * The error for an HTTP answer that is not an event stream. Reads the body's
 * `{ error: { code, message } }` (or any text) without throwing.
 *
 * @param response - the answer
 * @param what - the request, for the message (e.g. `POST /api/agents/x/run`)
 */
export async function httpError(response: Response, what: string): Promise<RunClientError> {
  let text = "";
  try {
    text = (await response.text()).slice(0, 1000);
  } catch {
    // no body: the status says enough
  }
  let code: string | undefined;
  let detail = text.trim();
  let newestId: number | undefined;
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const error = body.error;
    if (typeof error === "object" && error !== null) {
      const e = error as { code?: unknown; message?: unknown; newestId?: unknown };
      if (typeof e.code === "string") code = e.code;
      if (typeof e.message === "string") detail = e.message;
      if (typeof e.newestId === "number") newestId = e.newestId;
    } else if (typeof error === "string") detail = error;
    else if (typeof body.message === "string") detail = body.message;
  } catch {
    // not JSON: keep the text
  }
  const status = response.status;
  const retryable = status >= 500 || status === 429 || status === 408;
  return new RunClientError(
    CODE_BY_STATUS[status] ?? code ?? "http_error",
    `${what} failed: HTTP ${status}${detail ? ` ${detail}` : ""}`,
    { status, retryable, ...(newestId === undefined ? {} : { newestId }) },
  );
}
