/**
 * The ids a client chooses — thread ids and run ids — checked at the edge, before anything runs:
 * they end up in response headers (`X-Thread-Id`), in log lines, in store keys and in URLs, so
 * only a small, documented alphabet is accepted. UUIDs, ULIDs, nanoids and ids such as
 * `user-42:thread-7` pass; control characters, spaces, `/`, `%`, anything outside ASCII, an empty
 * id or one over 128 characters get a 400 `invalid_id`.
 *
 * @packageDocumentation
 */
import { HttpError } from "./errors.js";

/** 1–128 characters: ASCII letters, digits, `.`, `_`, `:` and `-`, starting with a letter or digit. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Which id of a request is checked (named in the error). */
export type IdField = "threadId" | "runId";

/**
 * `value` when it is a valid id; otherwise a 400 {@link HttpError} `invalid_id` that names the
 * field and shows (a bounded, escaped preview of) what was sent.
 */
export function checkId(field: IdField, value: string): string {
  if (ID_PATTERN.test(value)) return value;
  const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  throw new HttpError(
    400,
    "invalid_id",
    `\`${field}\` must be 1-128 characters (letters, digits, ".", "_", ":" or "-", starting with a letter or digit); got ${shown}${value.length > 40 ? ` (${value.length} characters)` : ""}`,
    { field },
  );
}
