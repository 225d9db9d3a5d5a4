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
import { randomUUID } from "node:crypto";
import type { AbstractAgent } from "@ag-ui/client";
import type { RunAgentInput } from "@ag-ui/core";
import type { Request, RequestHandler, Response } from "express";
import { executorFor } from "../agent/generator-agent.js";
import type { AgentStreamRunner } from "../runner/agent-stream-runner.js";
import type { ServedAgent } from "./agent-table.js";
import { type Authorize, checkAccess, type ThreadAction } from "./authorize.js";
import { HttpError } from "./errors.js";
import type { Logger } from "./logging.js";
import { runnerHttpError, type StreamReadOptions, streamRead } from "./runner-stream.js";
import { parseRunInput, unknownAgent } from "./validate.js";

/** What the plain routes need. */
export interface PlainRouteDeps {
  agents: ReadonlyMap<string, ServedAgent>;
  runner: AgentStreamRunner;
  heartbeatMs: number;
  logger: Logger;
  authorize: Authorize | undefined;
}

/** The served agent of `:agentId`, or a 404 listing the known ones. */
export function servedAgent(deps: Pick<PlainRouteDeps, "agents">, req: Request): ServedAgent {
  const agentId = String(req.params.agentId);
  const served = deps.agents.get(agentId);
  if (!served) throw unknownAgent(agentId, [...deps.agents.keys()]);
  return served;
}

/**
 * A RunAgentInput from a request body; a thread id (unguessable) and a run id are generated when
 * the client gave none.
 */
export function runInputOf(body: unknown): RunAgentInput {
  if (body !== null && typeof body === "object" && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    return parseRunInput({ ...b, threadId: b.threadId ?? randomUUID(), runId: b.runId ?? randomUUID() });
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

/**
 * Starts a run of `served` on the runner once `authorize` allows it (403 otherwise, 409 when the
 * thread is busy). Resolves with the id of the run's first event.
 */
export async function startRun(
  deps: Pick<PlainRouteDeps, "runner" | "authorize">,
  req: Request,
  served: ServedAgent,
  input: RunAgentInput,
): Promise<number> {
  await checkAccess(deps.authorize, {
    request: req,
    agentId: served.id,
    threadId: input.threadId,
    action: "run",
  });
  try {
    const started = await deps.runner.start({
      threadId: input.threadId,
      agentId: served.id,
      input,
      execute: executorFor(agentFor(served, input), input),
    });
    return started.firstId;
  } catch (error) {
    throw runnerHttpError(error);
  }
}

/** The stream options every plain route uses. */
export function readOptions(
  deps: Pick<PlainRouteDeps, "heartbeatMs" | "logger">,
  controller: AbortController,
): StreamReadOptions {
  return { heartbeatMs: deps.heartbeatMs, logger: deps.logger, controller };
}

/** `POST /api/agents/:agentId/run`. */
export function plainRunHandler(deps: PlainRouteDeps): RequestHandler {
  return async (req, res, next) => {
    try {
      const served = servedAgent(deps, req);
      res.locals.agentId = served.id;
      const input = runInputOf(req.body);
      const firstId = await startRun(deps, req, served, input);
      const controller = new AbortController();
      res.locals.events = await streamRead(
        res,
        deps.runner.read({ threadId: input.threadId, after: firstId - 1, signal: controller.signal }),
        {
          ...readOptions(deps, controller),
          headers: { "X-Thread-Id": input.threadId, "X-Run-Id": input.runId },
        },
      );
    } catch (error) {
      next(error);
    }
  };
}

/** The thread of `:threadId` (or `threadId`) when it belongs to `:agentId`; 404 otherwise. */
export async function threadOf(
  deps: Pick<PlainRouteDeps, "runner">,
  req: Request,
  served: ServedAgent,
  threadId = String(req.params.threadId),
) {
  const thread = await deps.runner.thread(threadId).catch((error: unknown) => {
    throw runnerHttpError(error);
  });
  if (!thread || thread.agentId !== served.id)
    throw new HttpError(404, "unknown_thread", `Agent "${served.id}" has no thread "${threadId}"`);
  return thread;
}

/**
 * The thread a thread route names, once `authorize` allows `action` on it: the agent (404 when
 * unknown), the thread (404 when it is not this agent's), then the access check (403).
 */
async function authorizedThread(deps: PlainRouteDeps, req: Request, res: Response, action: ThreadAction) {
  const served = servedAgent(deps, req);
  res.locals.agentId = served.id;
  const thread = await threadOf(deps, req, served);
  await checkAccess(deps.authorize, { request: req, agentId: served.id, threadId: thread.threadId, action });
  return thread;
}

/** The resume point of a request: `Last-Event-ID` or `?after=` (0 or absent: the run's start). */
export function resumeAfter(req: Request): number | undefined {
  const raw = req.get("last-event-id") ?? (typeof req.query.after === "string" ? req.query.after : undefined);
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
export function threadEventsHandler(deps: PlainRouteDeps): RequestHandler {
  return async (req, res, next) => {
    try {
      const after = resumeAfter(req);
      const thread = await authorizedThread(deps, req, res, "connect");
      const controller = new AbortController();
      res.locals.events = await streamRead(
        res,
        deps.runner.read({ threadId: thread.threadId, after, signal: controller.signal }),
        { ...readOptions(deps, controller), headers: { "X-Run-Id": thread.runId } },
      );
    } catch (error) {
      next(error);
    }
  };
}

/** `POST /api/agents/:agentId/threads/:threadId/stop`. */
export function threadStopHandler(deps: PlainRouteDeps): RequestHandler {
  return async (req, res, next) => {
    try {
      const thread = await authorizedThread(deps, req, res, "stop");
      const stopped = thread.running && (await deps.runner.stopRun({ threadId: thread.threadId }));
      if (!stopped)
        throw new HttpError(404, "not_running", `Thread "${thread.threadId}" has no run in progress`, {
          runId: thread.runId,
        });
      res.json({ stopped: true, threadId: thread.threadId, runId: thread.runId });
    } catch (error) {
      next(error);
    }
  };
}

/**
 * `POST /api/agents/:agentId/threads/:threadId/answer` with `{ askId, value }`: hands the answer
 * to the generator waiting in `ctx.ask`. 200 `{ answered: true, askId }`; 404 `unknown_ask`
 * (the thread's current or last run never asked it); 409 `ask_closed` (answered before, expired
 * or cancelled: `details.state`); 422 `invalid_answer` naming why the value does not fit the
 * choices or the schema (or `invalid_input` for a body without `askId`/`value`).
 */
export function threadAnswerHandler(deps: PlainRouteDeps): RequestHandler {
  return async (req, res, next) => {
    try {
      const body = req.body as Record<string, unknown> | undefined;
      const askId = body?.askId;
      if (typeof askId !== "string" || askId === "")
        throw new HttpError(422, "invalid_input", "`askId` must be a non-empty string", { field: "askId" });
      if (!body || !("value" in body) || body.value === undefined)
        throw new HttpError(422, "invalid_input", "`value` is missing (the answer)", { field: "value" });
      const thread = await authorizedThread(deps, req, res, "answer");
      const outcome = await deps.runner
        .answer({ threadId: thread.threadId, askId, value: body.value })
        .catch((error: unknown) => {
          throw runnerHttpError(error);
        });
      switch (outcome.status) {
        case "answered":
          res.json({ answered: true, askId, threadId: thread.threadId, runId: thread.runId });
          return;
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
    } catch (error) {
      next(error);
    }
  };
}
