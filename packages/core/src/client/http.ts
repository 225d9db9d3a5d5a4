/**
 * The HTTP side of the run client: the three routes of the plain AG-UI endpoint, request
 * headers (auth, Last-Event-ID) and a `fetch` that reports failures as {@link RunClientError}.
 *
 * @packageDocumentation
 */
import { httpError, RunClientError } from "./errors.js";

/** Where the agents are served and how to authenticate: the transport part of the client's options. */
export interface TransportOptions {
  /**
   * The server's origin (and any path prefix), e.g. `"http://localhost:4000"`. Default `""`:
   * same origin in a browser (Node needs an absolute URL).
   */
  baseUrl?: string;
  /** The path of the agents routes under `baseUrl`. Default `"/api/agents"`. */
  agentsPath?: string;
  /** Sent as `Authorization: Bearer <token>`; a function is asked before every request. */
  token?: string | (() => string | undefined | Promise<string | undefined>);
  /** Extra request headers, or a function giving them per request. */
  headers?: Record<string, string> | (() => Record<string, string>);
  /**
   * `fetch` credentials mode, e.g. `"include"` for cookies across origins. (The DOM lib's
   * `RequestCredentials`, spelled out: Node apps compile without the DOM lib, and Node's types lack it.)
   */
  credentials?: "omit" | "same-origin" | "include";
  /** The `fetch` to use (tests, instrumentation). Default the global one. */
  fetch?: typeof fetch;
  /**
   * Where the client keeps the thread tokens the server hands out (`X-Thread-Token` of the run
   * that created a thread) and sends back on that thread's requests: knowing a thread id is not
   * enough to read or stop it. Default: a `Map` of this client's. Pass one that lasts (e.g. over
   * `sessionStorage`) to reattach after a reload without the session cookie.
   */
  threadTokens?: ThreadTokens;
}

/** Thread id → thread token (a `Map` is one). */
export interface ThreadTokens {
  get(threadId: string): string | undefined;
  set(threadId: string, token: string): unknown;
}

/** The three routes of one agent. */
export interface AgentRoutes {
  /** `POST …/:agentId/run` */
  run: string;
  /** `GET …/:agentId/threads/:threadId/events` */
  events(threadId: string): string;
  /** `POST …/:agentId/threads/:threadId/stop` */
  stop(threadId: string): string;
}

/** The routes of `agentId` under the transport's base URL. */
export function agentRoutes(options: TransportOptions, agentId: string): AgentRoutes {
  const base = `${(options.baseUrl ?? "").replace(/\/+$/, "")}${(options.agentsPath ?? "/api/agents").replace(/\/+$/, "")}`;
  const agent = `${base}/${encodeURIComponent(agentId)}`;
  const thread = (threadId: string) => `${agent}/threads/${encodeURIComponent(threadId)}`;
  return {
    run: `${agent}/run`,
    events: (threadId) => `${thread(threadId)}/events`,
    stop: (threadId) => `${thread(threadId)}/stop`,
  };
}

/** One request of the client. */
export interface ClientRequest {
  method: "GET" | "POST";
  url: string;
  body?: unknown;
  /** Extra headers (e.g. `Last-Event-ID`). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** `text/event-stream` or `application/json`. */
  accept: string;
  /** The thread the request is about: its token is sent, and a token in the answer kept. */
  threadId?: string;
}

/**
 * Sends a request. Resolves with a 2xx response; rejects with a {@link RunClientError}: the
 * server's answer for other statuses, `network` (retryable) when no answer came. An aborted
 * signal rejects with the signal's reason.
 */
export async function send(options: TransportOptions, req: ClientRequest): Promise<Response> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const extra = typeof options.headers === "function" ? options.headers() : options.headers;
  const token = typeof options.token === "function" ? await options.token() : options.token;
  const headers: Record<string, string> = { Accept: req.accept, ...extra, ...req.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (req.body !== undefined) headers["Content-Type"] = "application/json";
  const threadToken = req.threadId === undefined ? undefined : options.threadTokens?.get(req.threadId);
  if (threadToken) headers["X-Thread-Token"] = threadToken;
  const what = `${req.method} ${req.url}`;
  let response: Response;
  try {
    response = await fetchImpl(req.url, {
      method: req.method,
      headers,
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      ...(req.signal ? { signal: req.signal } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  } catch (error) {
    if (req.signal?.aborted) throw error;
    throw new RunClientError(
      "network",
      `${what} failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        retryable: true,
        cause: error,
      },
    );
  }
  if (!response.ok) throw await httpError(response, what);
  const granted = response.headers.get("x-thread-token");
  if (granted && req.threadId !== undefined) options.threadTokens?.set(req.threadId, granted);
  return response;
}
