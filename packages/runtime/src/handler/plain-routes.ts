/**
 * The plain AG-UI routes, for hosts without CopilotKit. All of them read from the runner:
 * - `POST /api/agents/:agentId/run`: starts a run (RunAgentInput in) and streams it as SSE with
 *   `id:` lines (the thread's event ids).
 * - `GET /api/agents/:agentId/threads/:threadId/events`: the thread's current (or last) run, from
 *   after `Last-Event-ID` (or `?after=`), then live until it ends. Works with `EventSource`.
 * - `POST /api/agents/:agentId/threads/:threadId/stop`: stops the running run.
 * - `POST /api/agents/:agentId/threads/:threadId/answer`: answers a question the run asked
 *   (`await ctx.ask(...)`); also mounted as `POST <copilotBase>/agent/:agentId/answer/:threadId`.
 *
 * A client that goes away only detaches: the run goes on (see the runner's detached-run rule).
 *
 * @packageDocumentation
 */

import type { ThreadAction } from "../server/authorize.js";
import { HttpError } from "../server/errors.js";
import { THREAD_TOKEN_HEADER } from "../server/thread-access.js";
import {
  checkThreadAccess,
  origin,
  type RouteDeps,
  type RouteRequest,
  runInputOf,
  servedAgent,
  startRun,
  streamOptions,
  threadOf,
} from "./context.js";
import { eventStreamResponse, runnerHttpError } from "./event-stream.js";
import { json } from "./http.js";

/** `POST /api/agents/:agentId/run`. */
export async function plainRun(deps: RouteDeps, req: RouteRequest): Promise<Response> {
  const served = servedAgent(deps, req);
  const input = runInputOf(await req.body());
  const { firstId, grant } = await startRun(deps, req, served, input);
  const controller = new AbortController();
  const token = grant[THREAD_TOKEN_HEADER];
  return eventStreamResponse(
    deps.runner.read({
      threadId: input.threadId,
      after: firstId - 1,
      signal: controller.signal,
      ...origin(req),
    }),
    {
      ...streamOptions(deps, req, controller),
      headers: { "X-Thread-Id": input.threadId, "X-Run-Id": input.runId, ...grant },
      // The token once more, for clients that cannot read response headers (an SSE comment).
      ...(token ? { preamble: `: thread-token ${token}\n\n` } : {}),
    },
  );
}

/**
 * The thread a thread route names, once `authorize` allows `action` on it: the agent (404 when
 * unknown), the thread (404 when it is not this agent's), then the access check (403).
 */
async function authorizedThread(deps: RouteDeps, req: RouteRequest, action: ThreadAction) {
  const served = servedAgent(deps, req);
  const thread = await threadOf(deps, served, req.params.threadId ?? "");
  await checkThreadAccess(deps, req, served.id, thread, action);
  return thread;
}

/** The resume point of a request: `Last-Event-ID` or `?after=` (0 or absent: the run's start). */
export function resumeAfter(req: RouteRequest): number | undefined {
  const raw = req.request.headers.get("last-event-id") ?? req.url.searchParams.get("after") ?? undefined;
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new HttpError(
      400,
      "invalid_event_id",
      `Last-Event-ID / after must be a non-negative integer (got ${JSON.stringify(raw)})`,
    );
  return n;
}

/** `GET /api/agents/:agentId/threads/:threadId/events`. */
export async function threadEvents(deps: RouteDeps, req: RouteRequest): Promise<Response> {
  const after = resumeAfter(req);
  const thread = await authorizedThread(deps, req, "connect");
  const controller = new AbortController();
  return eventStreamResponse(
    deps.runner.read({ threadId: thread.threadId, after, signal: controller.signal, ...origin(req) }),
    { ...streamOptions(deps, req, controller), headers: { "X-Run-Id": thread.runId } },
  );
}

/** `POST /api/agents/:agentId/threads/:threadId/stop`. */
export async function threadStop(deps: RouteDeps, req: RouteRequest): Promise<Response> {
  const thread = await authorizedThread(deps, req, "stop");
  const stopped = thread.running && (await deps.runner.stopRun({ threadId: thread.threadId }));
  if (!stopped)
    throw new HttpError(404, "not_running", `Thread "${thread.threadId}" has no run in progress`, {
      runId: thread.runId,
    });
  return json({ stopped: true, threadId: thread.threadId, runId: thread.runId });
}

/**
 * `POST /api/agents/:agentId/threads/:threadId/answer` with `{ askId, value }`: hands the answer
 * to the generator waiting in `ctx.ask`. 200 `{ answered: true, askId }`; 404 `unknown_ask`
 * (the thread's current or last run never asked it); 409 `ask_closed` (answered before, expired
 * or cancelled: `details.state`); 422 `invalid_answer` naming why the value does not fit the
 * choices or the schema (or `invalid_input` for a body without `askId`/`value`).
 */
export async function threadAnswer(deps: RouteDeps, req: RouteRequest): Promise<Response> {
  const body = (await req.body()) as Record<string, unknown> | undefined;
  const askId = body?.askId;
  if (typeof askId !== "string" || askId === "")
    throw new HttpError(422, "invalid_input", "`askId` must be a non-empty string", { field: "askId" });
  if (!body || !("value" in body) || body.value === undefined)
    throw new HttpError(422, "invalid_input", "`value` is missing (the answer)", { field: "value" });
  const thread = await authorizedThread(deps, req, "answer");
  const outcome = await deps.runner
    .answer({ threadId: thread.threadId, askId, value: body.value })
    .catch((error: unknown) => {
      throw runnerHttpError(error);
    });
  switch (outcome.status) {
    case "answered":
      return json({ answered: true, askId, threadId: thread.threadId, runId: thread.runId });
    case "unknown":
      throw new HttpError(404, "unknown_ask", `Thread "${thread.threadId}" has no question "${askId}"`, {
        askId,
      });
    case "closed":
      throw new HttpError(
        409,
        "ask_closed",
        outcome.state === "answered"
          ? `Question "${askId}" was already answered`
          : `Question "${askId}" is closed (${outcome.state})`,
        { askId, state: outcome.state },
      );
    case "invalid":
      throw new HttpError(422, "invalid_answer", `The answer does not fit: ${outcome.reason}`, {
        askId,
        reason: outcome.reason,
      });
  }
}
