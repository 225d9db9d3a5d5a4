/**
 * Bearer-token authentication of the API routes (and of `/metrics`).
 *
 * @packageDocumentation
 */
import { HttpError } from "../server/errors.js";

const encoder = new TextEncoder();

/** SHA-256 of `value` (Web Crypto: the same on Node and on edge runtimes). */
async function digest(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(value)));
}

/** Compares two digests in time that does not depend on where they differ. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * A check that requires `Authorization: Bearer <token>`; with no token configured it lets
 * everything through. CORS preflights (OPTIONS) pass: browsers never send credentials on them.
 * Throws 401 otherwise.
 */
export function bearerAuth(token: string | undefined): (request: Request) => Promise<void> {
  if (!token) return async () => {};
  const expected = digest(token);
  return async (request) => {
    if (request.method === "OPTIONS") return;
    const header = request.headers.get("authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match?.[1])
      throw new HttpError(401, "unauthorized", "Missing bearer token (Authorization: Bearer <token>)");
    if (!sameBytes(await digest(match[1]), await expected))
      throw new HttpError(401, "unauthorized", "Invalid bearer token");
  };
}
