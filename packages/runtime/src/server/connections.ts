/**
 * What the server knows of one API request's connection, for the dashboard's per-connection
 * analytics: the handler opens a {@link StreamConnection} per agent route and hands it to the
 * runner with each read (`RequestOrigin.connection`), so the run table's observer has it when a
 * reader attaches; the Node adapter finds it again from the response
 * ({@link connectionOf}) to add the bytes it writes on the wire.
 *
 * @packageDocumentation
 */
/** One request's connection. */
export interface StreamConnection {
  /** The route label (`plain`, `copilotkit`, `stream`). */
  readonly route: string;
  /** The client's address (`HandlerContext.remoteAddress`; empty when the host does not say). */
  readonly client: string;
  /** The `User-Agent`, at most 120 characters. */
  readonly userAgent: string;
  /** True when the request resumes past an event (`Last-Event-ID` or `?after=` above 0). */
  readonly resume: boolean;
  /** Bytes written on the wire so far (the Node adapter adds them). */
  bytes: number;
}

const byResponse = new WeakMap<Response, StreamConnection>();

/** A connection for `request` on `route`. */
export function openConnection(request: Request, route: string, client: string): StreamConnection {
  const url = new URL(request.url);
  return {
    route,
    client,
    userAgent: (request.headers.get("user-agent") ?? "").slice(0, 120),
    resume: Number(request.headers.get("last-event-id") ?? url.searchParams.get("after") ?? 0) > 0,
    bytes: 0,
  };
}

/** Remembers that `response` answers `connection`. */
export function bindConnection(response: Response, connection: StreamConnection): void {
  byResponse.set(response, connection);
}

/** The connection `response` answers (undefined for responses outside the agent routes). */
export function connectionOf(response: Response): StreamConnection | undefined {
  return byResponse.get(response);
}
