/**
 * CopilotKit's own handler answers what this server does not serve itself (`/info`, `/stop`, and
 * the routes of CopilotKit features we do not configure: transcription, Intelligence threads,
 * memories, the inspector). Its errors come in its own shapes (`{"error":"Not found"}`, a plain
 * `Not Found`, `{"error":"service_not_configured",…}`); here every one of them becomes the
 * server's envelope `{ error: { code, message } }`, and a feature that is not configured is a 404
 * (a route we do not serve), not a 422 or a 503 that a load balancer or a client would read as
 * "try again".
 *
 * @packageDocumentation
 */
import { type ApiErrorCode, HttpError } from "../server/errors.js";
import { errorResponse } from "./http.js";

/** The most of CopilotKit's error body that is read (its messages are short). */
const MAX_ERROR_BODY = 4096;

/** CopilotKit's wording for a feature that needs configuration this server does not give it. */
const NOT_CONFIGURED = /not configured|missing copilotkitintelligence configuration/i;

/** CopilotKit's error body as one line: its `message`, else its `error` string, else the text. */
function messageOf(text: string, fallback: string): string {
  let message = text.trim();
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof body.message === "string") message = body.message;
    else if (typeof body.error === "string") message = body.error;
  } catch {
    // not JSON: the text itself
  }
  message = message.replace(/\s+/g, " ").slice(0, 300);
  return message === "" ? fallback : message;
}

function codeFor(status: number): ApiErrorCode {
  if (status === 404) return "not_found";
  if (status === 405) return "method_not_allowed";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 413) return "payload_too_large";
  if (status === 415) return "unsupported_media_type";
  if (status < 500) return "invalid_input";
  return "internal_error";
}

/**
 * CopilotKit's response with `X-Accel-Buffering: no` (a proxy must not buffer its streams), and,
 * when it is an error, in the server's envelope: the same status (405 keeps `Allow`), except that a
 * CopilotKit feature that is not configured here answers 404.
 */
export async function inEnvelope(response: Promise<Response>): Promise<Response> {
  const res = await response;
  if (res.status < 400) {
    const headers = new Headers(res.headers);
    headers.set("X-Accel-Buffering", "no");
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  }
  const text = (await res.text().catch(() => "")).slice(0, MAX_ERROR_BODY);
  const message = messageOf(text, res.statusText || `HTTP ${res.status}`);
  const notConfigured = NOT_CONFIGURED.test(text);
  const status = notConfigured ? 404 : res.status;
  const out = errorResponse(
    new HttpError(
      status,
      codeFor(status),
      notConfigured ? `Not served here: ${message} (CopilotKit feature not configured)` : message,
    ),
  );
  const allow = res.headers.get("allow");
  if (allow && status === 405) out.headers.set("Allow", allow);
  return out;
}
