/**
 * The dashboard's routes, protected like `/metrics` (its token, else the API token, else open):
 * - `GET /api/runs`: the run table's snapshot as JSON (`?limit=1..200` runs and connections);
 * - `GET /api/runs/events`: SSE, a `snapshot` first, then `run`, `connection` and `series`
 *   messages as they change (a client that falls behind gets a fresh snapshot instead of a queue);
 * - `GET /dashboard`: the page the host handed in (`dashboard: dashboardPage` from
 *   `@agentstream/react/dashboard-page`; the runtime never imports the kit).
 *
 * Browsers cannot send a bearer token when they open a page, so these routes also take HTTP
 * Basic credentials whose password is the token (any user name): a 401 carries
 * `WWW-Authenticate: Basic`, the browser asks once and sends them on the page's own requests.
 *
 * @packageDocumentation
 */
import { encodeSseComment, encodeSseFrame, type RunsApiEvent } from "@agentstream/core";
import { HttpError } from "../server/errors.js";
import type { RunTable } from "../server/run-table.js";
import { EVENT_STREAM_HEADERS } from "./event-stream.js";
import { json } from "./http.js";

/** A dashboard page to serve at `GET /dashboard`: one self-contained HTML document. */
export interface DashboardPage {
  /** The whole document (scripts and styles inline). */
  readonly html: string;
}

const encoder = new TextEncoder();
const REALM = 'Basic realm="AgentStream dashboard", charset="UTF-8"';

async function digest(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(value)));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** The secret a request presents: a bearer token, or the password of Basic credentials. */
function presented(request: Request): string | undefined {
  const header = (request.headers.get("authorization") ?? "").trim();
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  if (bearer?.[1]) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!basic?.[1]) return undefined;
  try {
    const decoded = new TextDecoder().decode(Uint8Array.from(atob(basic[1]), (c) => c.charCodeAt(0)));
    const colon = decoded.indexOf(":");
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The check of the dashboard's routes: with `token` set, a request needs `Authorization: Bearer
 * <token>` or Basic credentials with `<token>` as the password; otherwise 401 with
 * `WWW-Authenticate: Basic`. Without a token everything passes.
 */
export function dashboardAuth(token: string | undefined): (request: Request) => Promise<void> {
  if (!token) return async () => {};
  const expected = digest(token);
  return async (request) => {
    const secret = presented(request);
    const headers = { "WWW-Authenticate": REALM };
    if (secret === undefined)
      throw new HttpError(
        401,
        "unauthorized",
        "Missing credentials (Authorization: Bearer <token>, or Basic with the token as password)",
        undefined,
        headers,
      );
    if (!sameBytes(await digest(secret), await expected))
      throw new HttpError(401, "unauthorized", "Invalid credentials", undefined, headers);
  };
}

/** `?limit=`: 1..200, default 200; anything else is 400. */
function limitOf(url: URL): number {
  const raw = url.searchParams.get("limit");
  if (raw === null) return 200;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 200)
    throw new HttpError(
      400,
      "invalid_input",
      `limit must be an integer from 1 to 200 (got ${JSON.stringify(raw)})`,
      {
        field: "limit",
      },
    );
  return n;
}

/** `GET /api/runs`. */
export function runsSnapshot(table: RunTable, url: URL): Response {
  return json(table.snapshot(limitOf(url)), 200, { "Cache-Control": "no-store" });
}

const frameOf = (event: RunsApiEvent) => encodeSseFrame(JSON.stringify(event), undefined, event.type);

/** `GET /api/runs/events`: the live feed (see the module documentation). */
export function runsEvents(table: RunTable, request: Request, heartbeatMs: number): Response {
  const limit = limitOf(new URL(request.url));
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let behind = false;
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      const unsubscribe = table.subscribe((event) => {
        if (closed) return;
        const room = controller.desiredSize ?? 1;
        if (behind) {
          // Caught up again: one fresh snapshot replaces everything it missed.
          if (room > 0 && event.type === "series") {
            behind = false;
            send(frameOf({ type: "snapshot", snapshot: table.snapshot(limit) }));
          }
          return;
        }
        if (room <= -64) behind = true;
        else send(frameOf(event));
      });
      const heartbeat =
        heartbeatMs > 0
          ? setInterval(() => {
              if (!closed && (controller.desiredSize ?? 0) > 0) send(encodeSseComment("heartbeat"));
            }, heartbeatMs)
          : undefined;
      (heartbeat as { unref?: () => void } | undefined)?.unref?.();
      stop = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        if (heartbeat) clearInterval(heartbeat);
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      request.signal.addEventListener("abort", stop);
      send(frameOf({ type: "snapshot", snapshot: table.snapshot(limit) }));
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, { status: 200, headers: EVENT_STREAM_HEADERS });
}

interface PreparedPage {
  etag: string;
  gzip: ArrayBuffer;
}

const prepared = new WeakMap<DashboardPage, Promise<PreparedPage>>();

/** The page's ETag and gzipped bytes, computed once per page (web streams: Node and edge alike). */
function prepare(page: DashboardPage): Promise<PreparedPage> {
  let p = prepared.get(page);
  if (!p) {
    p = (async () => {
      const hash = await digest(page.html);
      const etag = `"${[...hash.slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("")}"`;
      const stream = new Blob([page.html]).stream().pipeThrough(new CompressionStream("gzip"));
      return { etag, gzip: await new Response(stream).arrayBuffer() };
    })();
    prepared.set(page, p);
  }
  return p;
}

/** `GET /dashboard`: the page, gzipped when the client takes it, 304 when it has this version. */
export async function dashboardPageResponse(
  page: DashboardPage | undefined,
  request: Request,
): Promise<Response> {
  if (!page)
    throw new HttpError(
      404,
      "not_found",
      "No dashboard page here: pass `dashboard: dashboardPage` (from @agentstream/react/dashboard-page) to the server; the data is at GET /api/runs",
    );
  const { etag, gzip } = await prepare(page);
  const headers: Record<string, string> = {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-cache",
    ETag: etag,
    Vary: "Accept-Encoding",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy":
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
  };
  const match = request.headers.get("if-none-match");
  if (match?.split(",").some((t) => t.trim().replace(/^W\//, "") === etag))
    return new Response(null, { status: 304, headers });
  if (/\bgzip\b/i.test(request.headers.get("accept-encoding") ?? ""))
    return new Response(gzip, { headers: { ...headers, "Content-Encoding": "gzip" } });
  return new Response(page.html, { headers });
}
