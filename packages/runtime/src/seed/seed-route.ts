/**
 * `GET /api/agents/:agentId/stream?command=<prompt>&messageId=<id>`: the route of seed 004, for
 * `EventSource` clients. It starts a run on the runner exactly like `POST /api/agents/:agentId/run`
 * (a RunAgentInput with one user message, `command`) and streams it as seed 004's named events
 * (`event: token`, `progress`, `tool_start`, `tool_end`, `status`, `result`, `error`,
 * `interrupted`, and `thinking`; see `seed-events.ts`).
 *
 * Ids and resume: the thread id is always a new unguessable one (`messageId` is only the id of the
 * user message, as the seed uses it for tracking: a client-chosen id like `test` cannot name a
 * thread safely). Every frame's `id:` line is `<threadId>:<eventId>` (the thread's event id; the
 * chunks of one AG-UI event share it), because EventSource reconnects to the *same URL* and only
 * adds `Last-Event-ID`: that header alone names the thread and the place, so EventSource's own
 * reconnect resumes the run (through the runner) instead of starting a new one. The first frame,
 * `event: thread`, carries `{ threadId, runId }` (also in `X-Thread-Id`/`X-Run-Id`); a client may
 * also resume with `?thread=<threadId>` (plus `Last-Event-ID: <eventId>` or `?after=<eventId>`).
 * Once a run has ended and the client has seen its last event, a reconnect gets 204 No Content,
 * which tells EventSource to stop reconnecting.
 *
 * Same auth, CORS, authorize hook, limits (`command` counts against `maxBodyBytes`) and JSON
 * errors as the other routes (it is one route of the fetch handler). Because a GET here starts a run, requests that browsers send from
 * links, images or frames (`Sec-Fetch-Mode: navigate | no-cors`) and cross-origin requests from
 * origins outside the allowlist are refused (403) when they would start one.
 *
 * @packageDocumentation
 */
import { ChunkDecoder, encodeSseFrame } from "@agentstream/core";
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
} from "../handler/context.js";
import { eventStreamResponse } from "../handler/event-stream.js";
import { isRunEnd, type LoggedEvent } from "../runner/types.js";
import { HttpError } from "../server/errors.js";
import { THREAD_TOKEN_HEADER } from "../server/thread-access.js";
import { SeedEventMapper, seedEventJson } from "./seed-events.js";

/** Where a request resumes: a thread and the last event id the client has (undefined: from the run's start). */
interface Resume {
  threadId: string;
  after: number | undefined;
}

function eventId(raw: string, what: string): number {
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(n) || n < 0)
    throw new HttpError(
      400,
      "invalid_event_id",
      `${what} must be "<threadId>:<eventId>" or a non-negative integer (got ${JSON.stringify(raw)})`,
    );
  return n;
}

/** The resume point of a request, or undefined for a new run. */
export function seedResume(headers: Headers, query: URLSearchParams): Resume | undefined {
  const header = headers.get("last-event-id") ?? undefined;
  const thread = query.get("thread") ?? undefined;
  const afterParam = query.get("after") ?? undefined;
  if (header !== undefined && header.trim() !== "") {
    const colon = header.lastIndexOf(":");
    if (colon > 0)
      return { threadId: header.slice(0, colon), after: eventId(header.slice(colon + 1), "Last-Event-ID") };
    if (thread === undefined)
      throw new HttpError(
        400,
        "invalid_event_id",
        `Last-Event-ID ${JSON.stringify(header)} names no thread: send the id as received ("<threadId>:<eventId>") or add ?thread=`,
      );
    return { threadId: thread, after: eventId(header, "Last-Event-ID") };
  }
  if (thread === undefined) return undefined;
  return { threadId: thread, after: afterParam === undefined ? undefined : eventId(afterParam, "after") };
}

/**
 * The frame function of one response: decodes each logged event to chunks (one decoder, fed in
 * order), maps them to seed events and writes them with the `id:` line `<threadId>:<id>`. Events
 * up to `skipThrough` only prime the decoder (a resumed read replays the run from its start so
 * that tool names, token counts and held tool calls are right). A run's last event always writes
 * its id (alone when it makes no seed event), so a reconnect after the end is recognised.
 */
export function seedFrames(threadId: string, skipThrough = 0): (entry: LoggedEvent) => string | undefined {
  const decoder = new ChunkDecoder();
  const mapper = new SeedEventMapper();
  return (entry) => {
    const seeds = decoder.decode(entry.event).flatMap((chunk) => mapper.push(chunk));
    if (entry.event.type === "TOOL_CALL_END") {
      const toolCallId = (entry.event as { toolCallId?: unknown }).toolCallId;
      if (typeof toolCallId === "string") seeds.push(...mapper.endTool(toolCallId));
    }
    if (entry.id > 0 && entry.id <= skipThrough) return undefined;
    const id = entry.id > 0 ? `${threadId}:${entry.id}` : undefined;
    let text = "";
    for (const seed of seeds) text += encodeSseFrame(seedEventJson(seed), id, seed.type);
    if (text === "" && id !== undefined && isRunEnd(entry.event)) text = `id: ${id}\n\n`;
    return text === "" ? undefined : text;
  };
}

/** The `event: thread` frame that opens every response (with the thread token on the run that created it). */
function threadFrame(threadId: string, runId: string, threadToken?: string): string {
  return encodeSseFrame(
    JSON.stringify({ threadId, runId, ...(threadToken ? { threadToken } : {}) }),
    undefined,
    "thread",
  );
}

/** Refuses a run started from a link, an image, a frame, or an untrusted origin. */
function checkRunStart(req: RouteRequest): void {
  const mode = req.request.headers.get("sec-fetch-mode");
  if (mode === "navigate" || mode === "no-cors" || mode === "nested-navigate")
    throw new HttpError(
      403,
      "forbidden",
      `A run is started with EventSource or fetch, not from a link, image or frame (Sec-Fetch-Mode: ${mode})`,
    );
  if (req.untrustedOrigin)
    throw new HttpError(
      403,
      "forbidden_origin",
      `Origin ${req.request.headers.get("origin")} is not allowed to start runs (set CORS_ORIGINS)`,
    );
}

const encoder = new TextEncoder();

/** `GET /api/agents/:agentId/stream`. */
export async function seedStream(deps: RouteDeps, req: RouteRequest): Promise<Response> {
  const served = servedAgent(deps, req);
  const resume = seedResume(req.request.headers, req.url.searchParams);
  const controller = new AbortController();

  if (resume !== undefined) {
    const thread = await threadOf(deps, served, resume.threadId);
    await checkThreadAccess(deps, req, served.id, thread, "connect");
    const { after } = resume;
    if (after !== undefined && after > thread.newestId)
      throw new HttpError(
        409,
        "id_ahead",
        `Event id ${after} is newer than the newest event of thread "${thread.threadId}" (${thread.newestId})`,
        { newestId: thread.newestId },
      );
    // The client has everything: 204 ends EventSource's reconnecting.
    if (!thread.running && after !== undefined && after >= thread.newestId)
      return new Response(null, { status: 204 });
    const runStart = Math.max(thread.runFirstId, thread.oldestId) - 1;
    const readFrom = after === undefined ? undefined : Math.min(after, runStart);
    return eventStreamResponse(
      deps.runner.read({
        threadId: thread.threadId,
        after: readFrom,
        signal: controller.signal,
        ...origin(req),
      }),
      {
        ...streamOptions(deps, req, controller),
        headers: { "X-Thread-Id": thread.threadId, "X-Run-Id": thread.runId },
        preamble: threadFrame(thread.threadId, thread.runId),
        frame: seedFrames(thread.threadId, after ?? 0),
      },
    );
  }

  const command = req.url.searchParams.get("command") ?? undefined;
  if (command === undefined || command.trim() === "")
    throw new HttpError(422, "invalid_input", "Missing ?command=: the prompt to run", { field: "command" });
  if (encoder.encode(command).byteLength > deps.maxBodyBytes)
    throw new HttpError(413, "payload_too_large", `command exceeds the limit of ${deps.maxBodyBytes} bytes`);
  const messageId = req.url.searchParams.get("messageId") ?? undefined;
  if (messageId !== undefined && (messageId === "" || messageId.length > 200))
    throw new HttpError(422, "invalid_input", "messageId must be 1 to 200 characters", {
      field: "messageId",
    });
  checkRunStart(req);
  const input = runInputOf({
    threadId: crypto.randomUUID(),
    messages: [{ id: messageId ?? crypto.randomUUID(), role: "user", content: command }],
    tools: [],
    context: [],
    state: {},
    forwardedProps: {},
  });
  const { firstId, grant } = await startRun(deps, req, served, input);
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
      preamble: threadFrame(input.threadId, input.runId, grant[THREAD_TOKEN_HEADER]),
      frame: seedFrames(input.threadId),
    },
  );
}
