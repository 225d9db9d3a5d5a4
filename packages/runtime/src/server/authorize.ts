/**
 * Access to threads: the server asks `authorize` before a request runs, follows or stops a
 * thread. A thread id is a capability (whoever knows it can follow the thread), so a host app
 * that has users binds threads to them here.
 *
 * @packageDocumentation
 */
import { HttpError } from "./errors.js";

/** What a request wants to do with a thread. */
export type ThreadAction = "run" | "connect" | "stop" | "answer";

/** The question {@link Authorize} answers. */
export interface AuthorizeRequest {
  /**
   * The HTTP request (a web `Request`: headers, cookies, URL). Behind the Express adapter,
   * `nodeRequest` is Express's own request too (with what the host's middleware set on it).
   */
  readonly request: Request;
  /** The Node request when the handler runs behind the Node or Express adapter. */
  readonly nodeRequest?: unknown;
  readonly agentId: string;
  readonly threadId: string;
  readonly action: ThreadAction;
}

/**
 * Resolves (or returns) `true` to allow, `false` to refuse with 403; throwing an
 * `HttpError` answers with that error instead.
 */
export type Authorize = (request: AuthorizeRequest) => boolean | Promise<boolean>;

/** Asks `authorize` (when set); a 403 JSON error when it refuses. */
export async function checkAccess(
  authorize: Authorize | undefined,
  request: AuthorizeRequest,
): Promise<void> {
  if (!authorize) return;
  if (!(await authorize(request)))
    throw new HttpError(
      403,
      "forbidden",
      `Not allowed to ${request.action} thread "${request.threadId}" of agent "${request.agentId}"`,
    );
}
