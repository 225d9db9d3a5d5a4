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
import type { ServedAgent } from "../server/agent-table.js";
import { type Authorize, checkAccess, type ThreadAction } from "../server/authorize.js";
import { HttpError } from "../server/errors.js";
import { checkId } from "../server/ids.js";
import type { Logger } from "../server/logging.js";
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
  maxBodyBytes: number;
  /** What a run on a busy thread does when neither the request nor the agent says. */
  busy: BusyPolicy;
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
  /** What the request log line says besides method, path and status. */
  readonly log: { agentId?: string; events?: number; aborted?: boolean; end?: Promise<void> };
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

/** Asks `authorize` whether this request may do `action` on the thread (403 otherwise). */
export function checkThreadAccess(
  deps: Pick<RouteDeps, "authorize">,
  req: RouteRequest,
  agentId: string,
  threadId: string,
  action: ThreadAction,
): Promise<void> {
  return checkAccess(deps.authorize, {
    request: req.request,
    ...(req.context.nodeRequest !== undefined ? { nodeRequest: req.context.nodeRequest } : {}),
    agentId,
    threadId,
    action,
  });
}

/**
 * Starts a run of `served` on the runner once `authorize` allows it (403 otherwise, 409 when the
 * thread is busy). Resolves with the id of the run's first event.
 */
export async function startRun(
  deps: Pick<RouteDeps, "runner" | "authorize" | "admit" | "busy">,
  req: RouteRequest,
  served: ServedAgent,
  input: RunAgentInput,
): Promise<number> {
  await checkThreadAccess(deps, req, served.id, input.threadId, "run");
  const policy = busyPolicyOf(input, served.definition?.busy ?? deps.busy);
  const release = (await deps.admit?.(req)) ?? (() => {});
  const forgetTraceParent = rememberTraceParent(input.threadId, input.runId, req.request.headers);
  const execute = executorFor(agentFor(served, input), input);
  try {
    const started = await startWithPolicy(deps.runner, input.threadId, policy, req.request.signal, () =>
      deps.runner.start({
        threadId: input.threadId,
        agentId: served.id,
        input,
        eventsPerSecond: served.eventsPerSecond,
        // The client's concurrent-run slot is held until the run ends, however it ends.
        execute: (sink, signal, hooks) => execute(sink, signal, hooks).finally(release),
      }),
    );
    return started.firstId;
  } catch (error) {
    release();
    forgetTraceParent();
    throw runnerHttpError(error);
  }
}

/** The thread named `threadId` when it belongs to `served`; 404 otherwise. */
export async function threadOf(deps: Pick<RouteDeps, "runner">, served: ServedAgent, threadId: string) {
  checkId("threadId", threadId);
  const thread = await deps.runner.thread(threadId).catch((error: unknown) => {
    throw runnerHttpError(error);
  });
  if (!thread || thread.agentId !== served.id)
    throw new HttpError(404, "unknown_thread", `Agent "${served.id}" has no thread "${threadId}"`);
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
