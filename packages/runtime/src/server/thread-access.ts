/**
 * Thread capabilities: knowing a thread id is not enough to read, stop, answer or continue it.
 *
 * The run that creates a thread hands out two capabilities:
 * - a **thread token** (`X-Thread-Token` response header, and in the stream's first frame),
 *   `HMAC(secret, threadId)`, that programmatic clients send back in an `X-Thread-Token` header;
 * - a **session cookie** (`agentstream_session`, signed, HttpOnly, SameSite=Lax, Path=/api) for
 *   browsers: the thread keeps the key of the session that created it, so the CopilotKit
 *   client, `EventSource` and the kit work unchanged, and a reload still reattaches.
 *
 * A request with neither gets the answer an unknown thread gets (404: the thread's existence is
 * not revealed). Tokens are stateless (any instance with the secret checks them); the secret is
 * the server's `threadSecret`, else the one the runner's shared store keeps (Redis), else a
 * random one per process. Web Crypto only, so it runs wherever the fetch handler runs.
 *
 * @packageDocumentation
 */
import type { ThreadInfo } from "../runner/types.js";

/** `capability` (default): tokens and sessions decide; `open`: anyone who knows a thread id may use it. */
export type ThreadAccessMode = "capability" | "open";

/** The request header (and response header) that carries a thread token. */
export const THREAD_TOKEN_HEADER = "X-Thread-Token";
/** The session cookie's name. */
export const SESSION_COOKIE = "agentstream_session";
/** How long a browser keeps its session cookie: 30 days. */
const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

const encoder = new TextEncoder();

function base64url(bytes: ArrayBuffer | Uint8Array): string {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(text)) return undefined;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** The value of cookie `name` in a `Cookie` header. */
function cookieValue(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Equal strings, compared in time that does not depend on where they differ. */
function sameString(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The browser session of a request: its id, and the key a thread it creates keeps. */
export interface ThreadSession {
  /** The key stored as the thread's `creator` (derived from the session id; the id itself is not stored). */
  readonly creator: string;
  /** Set when the request had no valid session: the `Set-Cookie` value that starts one. */
  readonly setCookie?: string;
}

/** What the run that may create a thread sends back: the token, and a cookie for a new session. */
export type ThreadGrant = Record<string, string>;

/** Checks and hands out thread capabilities. See the module documentation. */
export class ThreadAccess {
  private key: Promise<CryptoKey> | undefined;

  /** @param secret gives the signing secret (asked once, on first use). */
  constructor(private readonly secret: () => Promise<string>) {}

  private hmacKey(): Promise<CryptoKey> {
    if (!this.key) {
      const key = this.secret().then((secret) =>
        crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
          "sign",
          "verify",
        ]),
      );
      // A secret that could not be had (e.g. Redis away) is asked for again next time.
      key.catch(() => {
        if (this.key === key) this.key = undefined;
      });
      this.key = key;
    }
    return this.key;
  }

  private async sign(purpose: string, value: string): Promise<string> {
    const signature = await crypto.subtle.sign(
      "HMAC",
      await this.hmacKey(),
      encoder.encode(`${purpose}:${value}`),
    );
    return base64url(signature);
  }

  private async verify(purpose: string, value: string, signature: string): Promise<boolean> {
    const bytes = fromBase64url(signature);
    if (!bytes) return false;
    return crypto.subtle.verify("HMAC", await this.hmacKey(), bytes, encoder.encode(`${purpose}:${value}`));
  }

  /** The token of a thread (the same on every instance that shares the secret). */
  token(threadId: string): Promise<string> {
    return this.sign("thread", threadId);
  }

  /** The id of the request's session when its cookie is present and signed by us. */
  private async sessionId(request: Request): Promise<string | undefined> {
    const raw = cookieValue(request.headers.get("cookie"), SESSION_COOKIE);
    const dot = raw?.indexOf(".") ?? -1;
    if (raw === undefined || dot <= 0) return undefined;
    const id = raw.slice(0, dot);
    return (await this.verify("session", id, raw.slice(dot + 1))) ? id : undefined;
  }

  /** The request's session, or a new one (with the cookie that starts it). */
  async session(request: Request): Promise<ThreadSession> {
    const existing = await this.sessionId(request);
    if (existing !== undefined) return { creator: await this.sign("creator", existing) };
    const id = base64url(crypto.getRandomValues(new Uint8Array(16)));
    const secure =
      new URL(request.url).protocol === "https:" ||
      /^https\b/i.test(request.headers.get("x-forwarded-proto") ?? "");
    const cookie = [
      `${SESSION_COOKIE}=${id}.${await this.sign("session", id)}`,
      "Path=/api",
      `Max-Age=${SESSION_MAX_AGE_S}`,
      "HttpOnly",
      "SameSite=Lax",
      ...(secure ? ["Secure"] : []),
    ].join("; ");
    return { creator: await this.sign("creator", id), setCookie: cookie };
  }

  /** True when the request carries the thread's token or comes from the session that created it. */
  async allows(request: Request, thread: Pick<ThreadInfo, "threadId" | "creator">): Promise<boolean> {
    const token = request.headers.get(THREAD_TOKEN_HEADER);
    if (token && (await this.verify("thread", thread.threadId, token))) return true;
    if (thread.creator === undefined) return false;
    const id = await this.sessionId(request);
    return id !== undefined && sameString(await this.sign("creator", id), thread.creator);
  }

  /** The response headers that hand the thread's capabilities to the request that ran it. */
  async grant(threadId: string, session?: ThreadSession): Promise<ThreadGrant> {
    return {
      [THREAD_TOKEN_HEADER]: await this.token(threadId),
      ...(session?.setCookie ? { "Set-Cookie": session.setCookie } : {}),
    };
  }
}

/** A random secret for a server whose runner keeps none (one process: its threads die with it). */
export function randomSecret(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}
