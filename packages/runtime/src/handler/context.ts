/**
 * What every route of the fetch handler gets: the request, its path parameters, the peer, the
 * body (read once, with the size limit), and the shared parts of the handler (agents, runner,
 * access check, logger). Also the few helpers every route uses to find its agent and thread.
 *
 * @packageDocumentation
 */
import type { AbstractAgent } from "@ag-ui/client";
import type { RunAgentInput } from "@ag-ui/core";
import { executorFor } from "../agent/generator-agent.js";
import type { AgentStreamRunner } from "../runner/agent-stream-runner.js";
import type { RequestOrigin, ThreadInfo } from "../runner/types.js";
import type { ServedAgent } from "../server/agent-table.js";
import { type Authorize, checkAccess, type ThreadAction } from "../server/authorize.js";
import { HttpError } from "../server/errors.js";
import { checkId } from "../server/ids.js";
import type { Logger } from "../server/logging.js";
import type { ThreadAccess, ThreadGrant, ThreadSession } from "../server/thread-access.js";
import { rememberTraceParent } from "../server/tracing.js";
import { parseRunInput, unknownAgent } from "../server/validate.js";
import { type BusyPolicy, busyPolicyOf, startWithPolicy } from "./busy-policy.js";
import { type EventStreamEnd, type EventStreamOptions, runnerHttpError } from "./event-stream.js";

/** What the adapter that calls the handler knows about the connection (all optional). */
export interface HandlerContext {
  /** The address of the peer that connected (the Node adapter passes the socket's). Read by `trustProxy`. */
  remoteAddress?: string;
  /** The host's own request object (Node's `IncomingMessage`, Express's `Request`), handed to `authorize`. */
  nodeRequest?: unknown;
}

/** The parts of the handler the routes share. */
export interface RouteDeps {
  agents: ReadonlyMap<string, ServedAgent>;
  runner: AgentStreamRunner;
  heartbeatMs: number;
  logger: Logger;
  authorize: Authorize | undefined;
  /**
   * Thread capabilities (tokens and sessions); undefined when `authorize` decides instead or
   * `threadAccess` is `"open"` (never set together with `authorize`).
   */
  access: ThreadAccess | undefined;
  maxBodyBytes: number;
  /** What a run on a busy thread does when neither the request nor the agent says. */
  busy: BusyPolicy;
  /** True while the instance serves `maxRuns` runs already (a new run is 503 `overloaded`). */
  overloaded?: (() => boolean) | undefined;
  /** Counts a run request against the client's limits (429 over one); returns the release of its slot. */
  admit?: ((req: RouteRequest) => Promise<() => void>) | undefined;
}

/** One request as a route sees it. */
export interface RouteRequest {
  readonly request: Request;
  readonly url: URL;
  /** Path parameters, decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly context: HandlerContext;
  /** True for a cross-origin request from an origin neither allowed nor this server. */
  readonly untrustedOrigin: boolean;
  /** The JSON body (read once; 413/415/400 as {@link readJson} says). */
  body(): Promise<unknown>;
  /** The route's label and connection, handed to the runner for its observers (see `RequestOrigin`). */
  readonly origin?: RequestOrigin;
  /** What the request log line says besides method, path and status. */
  readonly log: { agentId?: string; events?: number; aborted?: boolean; end?: Promise<void> };
}

/** `{ origin }` of the request for a runner call, or nothing when it has none. */
export function origin(req: RouteRequest): { origin?: RequestOrigin } {
  return req.origin ? { origin: req.origin } : {};
}

/** The served agent of `:agentId`, or a 404 listing the known ones. */
export function servedAgent(deps: Pick<RouteDeps, "agents">, req: RouteRequest): ServedAgent {
  const agentId = req.params.agentId ?? "";
  const served = deps.agents.get(agentId);
  if (!served) throw unknownAgent(agentId, [...deps.agents.keys()]);
  req.log.agentId = served.id;
  return served;
}

/**
 * A RunAgentInput from a request body; a thread id (unguessable) and a run id are generated when
 * the client gave none.
 */
export function runInputOf(body: unknown): RunAgentInput {
  if (body !== null && typeof body === "object" && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    return parseRunInput({
      ...b,
      threadId: b.threadId ?? crypto.randomUUID(),
      runId: b.runId ?? crypto.randomUUID(),
    });
  }
  return parseRunInput(body);
}

/** An agent ready to run `input`: generator agents as they are, other AG-UI agents as a per-request copy. */
export function agentFor(served: ServedAgent, input: RunAgentInput): AbstractAgent {
  if (served.definition) return served.agent;
  const agent = served.agent.clone() as AbstractAgent;
  agent.setMessages(input.messages);
  agent.setState(input.state);
  agent.threadId = input.threadId;
  return agent;
}

/** The 404 of a thread that is not there, or not this request's to use (the two look the same). */
export function noSuchThread(agentId: string, threadId: string): HttpError {
  return new HttpError(404, "unknown_thread", `Agent "${agentId}" has no thread "${threadId}"`);
}

/**
 * Whether this request may use the thread: `authorize`'s verdict when set (403 when it refuses),
 * else the thread's capabilities (its token or the session that created it), else yes
 * (`threadAccess: "open"`).
 */
export async function mayUseThread(
  deps: Pick<RouteDeps, "authorize" | "access">,
  req: RouteRequest,
  agentId: string,
  thread: Pick<ThreadInfo, "threadId" | "creator">,
  action: ThreadAction,
): Promise<boolean> {
  if (deps.authorize) {
    await checkAccess(deps.authorize, {
      request: req.request,
      ...(req.context.nodeRequest !== undefined ? { nodeRequest: req.context.nodeRequest } : {}),
      agentId,
      threadId: thread.threadId,
      action,
    });
    return true;
  }
  return deps.access ? deps.access.allows(req.request, thread) : true;
}

/** {@link mayUseThread}, refusing with the unknown thread's 404. */
export async function checkThreadAccess(
  deps: Pick<RouteDeps, "authorize" | "access">,
  req: RouteRequest,
  agentId: string,
  thread: Pick<ThreadInfo, "threadId" | "creator">,
  action: ThreadAction,
): Promise<void> {
  if (!(await mayUseThread(deps, req, agentId, thread, action))) throw noSuchThread(agentId, thread.threadId);
}

/** A started run: the id of its first event, and the capabilities its response hands out. */
export interface StartedRunResponse {
  readonly firstId: number;
  /** Response headers: the thread token, and the cookie of a new session (empty when access is open). */
  readonly grant: ThreadGrant;
}

/**
 * Who may start this run: on a thread that exists, a request that may use it (404 otherwise);
 * on a new thread, anyone, whose session becomes the thread's creator.
 */
async function runAccess(
  deps: Pick<RouteDeps, "runner" | "authorize" | "access">,
  req: RouteRequest,
  agentId: string,
  threadId: string,
): Promise<ThreadSession | undefined> {
  if (!deps.access) {
    await mayUseThread(deps, req, agentId, { threadId }, "run");
    return undefined;
  }
  const thread = await lookupThread(deps, threadId);
  if (thread) {
    await checkThreadAccess(deps, req, agentId, thread, "run");
    return undefined;
  }
  return deps.access.session(req.request);
}

/**
 * Starts a run of `served` on the runner once the request may (404 for a thread it may not use,
 * 403 when `authorize` refuses, 409 when the thread is busy). Resolves with the id of the run's
 * first event and the thread's capabilities for the response.
 */
export async function startRun(
  deps: Pick<RouteDeps, "runner" | "authorize" | "access" | "admit" | "busy" | "overloaded">,
  req: RouteRequest,
  served: ServedAgent,
  input: RunAgentInput,
): Promise<StartedRunResponse> {
  if (deps.overloaded?.())
    throw new HttpError(
      503,
      "overloaded",
      "This server runs as many runs as it may: try again shortly",
      undefined,
      {
        "Retry-After": "1",
      },
    );
  const session = await runAccess(deps, req, served.id, input.threadId);
  // Signed before the run starts: between its start and the read the routes open next, nothing
  // may wait (a run without readers may be stopped at once, with `detachedRunMs: 0`).
  const grant = deps.access ? await deps.access.grant(input.threadId, session) : {};
  const policy = busyPolicyOf(input, served.definition?.busy ?? deps.busy);
  const release = (await deps.admit?.(req)) ?? (() => {});
  const forgetTraceParent = rememberTraceParent(input.threadId, input.runId, req.request.headers);
  const execute = executorFor(agentFor(served, input), input);
  try {
    const started = await startWithPolicy(deps.runner, input.threadId, policy, req.request.signal, () =>
      deps.runner.start({
        ...(req.origin ? { origin: req.origin } : {}),
        threadId: input.threadId,
        agentId: served.id,
        input,
        eventsPerSecond: served.eventsPerSecond,
        ...(session ? { creator: session.creator } : {}),
        // The client's concurrent-run slot is held until the run ends, however it ends.
        execute: (sink, signal, hooks) => execute(sink, signal, hooks).finally(release),
      }),
    );
    return { firstId: started.firstId, grant };
  } catch (error) {
    release();
    forgetTraceParent();
    throw runnerHttpError(error);
  }
}

/** The runner's thread (undefined when unknown); a runner failure as its HTTP error (503). */
export function lookupThread(
  deps: Pick<RouteDeps, "runner">,
  threadId: string,
): Promise<ThreadInfo | undefined> {
  return deps.runner.thread(threadId).catch((error: unknown) => {
    throw runnerHttpError(error);
  });
}

/** The thread named `threadId` when it belongs to `served`; 404 otherwise. */
export async function threadOf(deps: Pick<RouteDeps, "runner">, served: ServedAgent, threadId: string) {
  checkId("threadId", threadId);
  const thread = await lookupThread(deps, threadId);
  if (!thread || thread.agentId !== served.id) throw noSuchThread(served.id, threadId);
  return thread;
}

/**
 * The options of an event stream for this request: heartbeats, the logger, a controller the
 * read stops on, the request's signal (a disconnect detaches), and the request log's figures.
 */
export function streamOptions(
  deps: Pick<RouteDeps, "heartbeatMs" | "logger">,
  req: RouteRequest,
  controller: AbortController,
): EventStreamOptions {
  let ended!: () => void;
  req.log.end = new Promise<void>((resolve) => {
    ended = resolve;
  });
  return {
    heartbeatMs: deps.heartbeatMs,
    logger: deps.logger,
    controller,
    signal: req.request.signal,
    onEnd: (end: EventStreamEnd) => {
      req.log.events = end.events;
      if (end.aborted) req.log.aborted = true;
      ended();
    },
  };
}
