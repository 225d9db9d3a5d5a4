/**
 * The HTTP basics of the fetch handler: JSON responses, the error envelope, and request bodies
 * read with a size limit and a content-type check. Web standard only (`Request`, `Response`).
 *
 * @packageDocumentation
 */
import { type ApiErrorBody, HttpError } from "../server/errors.js";

/** A JSON response. */
export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set("Content-Type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body), { status, headers: h });
}

/** The JSON error envelope `{ error: { code, message, details? } }` of an {@link HttpError}. */
export function errorResponse(error: HttpError): Response {
  const body: ApiErrorBody = {
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
  };
  return json(body, error.status, {
    ...(error.status === 503 ? { Connection: "close" } : {}),
    ...error.headers,
  });
}

/** Maps anything thrown while handling a request to an {@link HttpError} (500 for the unexpected). */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  return new HttpError(500, "internal_error", "Internal server error");
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** True when the request carries a body (a non-zero Content-Length or chunked encoding). */
export function hasBody(request: Request): boolean {
  const length = request.headers.get("content-length");
  return request.headers.has("transfer-encoding") || (length !== null && length !== "0");
}

/** Refuses bodies that are not JSON with 415 (requests without a body pass). */
export function requireJson(request: Request): void {
  if (!hasBody(request)) return;
  const type = request.headers.get("content-type");
  if (type && JSON_TYPE.test(type)) return;
  throw new HttpError(
    415,
    "unsupported_media_type",
    `Content-Type must be application/json (got ${type ?? "none"})`,
  );
}

/**
 * The request's JSON body (undefined when it has none), read as it arrives and refused with 413
 * past `maxBytes`, 400 when it is not JSON, 415 when its type is not JSON.
 */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  requireJson(request);
  // A web Request made in code has a body but may declare no length: the bytes decide.
  if (request.body === null) return undefined;
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, "invalid_json", "Malformed JSON body: not UTF-8");
  }
  if (text.trim() === "") return undefined;
  const type = request.headers.get("content-type");
  if (!type || !JSON_TYPE.test(type))
    throw new HttpError(
      415,
      "unsupported_media_type",
      `Content-Type must be application/json (got ${type ?? "none"})`,
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(
      400,
      "invalid_json",
      `Malformed JSON body: ${error instanceof Error ? error.message : "parse error"}`,
    );
  }
  if (value === null || typeof value !== "object")
    throw new HttpError(400, "invalid_json", "Malformed JSON body: expected an object or an array");
  return value;
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, "payload_too_large", `Request body exceeds the limit of ${maxBytes} bytes`);
}

/** A path segment, percent-decoded; 400 for a malformed encoding (`%ZZ`). */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(
      400,
      "invalid_input",
      `Malformed percent-encoding in the path: ${JSON.stringify(segment)}`,
    );
  }
}
