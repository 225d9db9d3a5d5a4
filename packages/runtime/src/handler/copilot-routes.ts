/**
 * The CopilotKit runtime (v2, multi-route) at a base path (default `/api/copilotkit`): `GET
 * /info`, `POST /agent/:agentId/run`, `POST /agent/:agentId/connect`, `POST
 * /agent/:agentId/stop/:threadId`. Runs and connects are served from the runner on CopilotKit's
 * wire; `/info` and `/stop` by CopilotKit's own fetch handler.
 *
 * Around them, this adds what the server promises on every route: the JSON
 * error envelope (422 naming the field for a bad RunAgentInput, 404 listing the known agents,
 * 409 when the thread already runs), `X-Accel-Buffering: no`, and the `authorize` check. Runs
 * live in the AgentStream runner, shared with the plain routes: a client that disconnects only
 * detaches from its run, and a reloaded page reattaches through `/connect`.
 *
 * @packageDocumentation
 */
import { CopilotRuntime, createCopilotRuntimeHandler } from "@copilotkit/runtime/v2";
import type { LoggedEvent } from "../runner/types.js";
import { checkId } from "../server/ids.js";
import { parseRunInput, unknownAgent } from "../server/validate.js";
import {
  checkThreadAccess,
  lookupThread,
  mayUseThread,
  origin,
  type RouteDeps,
  type RouteRequest,
  startRun,
  streamOptions,
} from "./context.js";
import { inEnvelope } from "./copilot-errors.js";
import { eventStreamResponse } from "./event-stream.js";
import { decodeSegment } from "./http.js";
import { threadAnswer } from "./plain-routes.js";

/** What {@link createCopilotRoutes} needs besides the shared route parts. */
export interface CopilotRouteOptions {
  /** Where the runtime is mounted, e.g. `/api/copilotkit`. */
  basePath: string;
  /** See `AgentServerOptions.copilotKitTelemetry`. */
  copilotKitTelemetry: boolean;
}

/** A telemetry scope that sends nothing (CopilotKit's runtime accepts one in place of its own). */
const NO_TELEMETRY = { capture: async () => {} };

/** The CopilotKit runtime and the route that serves everything under its base path. */
export interface CopilotRoutes {
  runtime: InstanceType<typeof CopilotRuntime>;
  /** Serves a request whose path is under the base path (`rest` is the path after it). */
  serve(req: RouteRequest, rest: string): Promise<Response>;
}

/** Builds the CopilotKit runtime for the served agents. */
export function createCopilotRoutes(deps: RouteDeps, options: CopilotRouteOptions): CopilotRoutes {
  const agents = Object.fromEntries([...deps.agents].map(([id, served]) => [id, served.agent]));
  // A library must not switch a third party's telemetry on for its users: unless asked, the
  // runtime gets a scope that sends nothing, and is built as if telemetry were disabled (so it
  // prints no "telemetry enabled" notice).
  const build = () =>
    new CopilotRuntime({
      agents: agents as ConstructorParameters<typeof CopilotRuntime>[0]["agents"],
      runner: deps.runner,
      sseKeepAliveIntervalSeconds:
        deps.heartbeatMs <= 0 ? 0 : Math.max(1, Math.round(deps.heartbeatMs / 1000)),
      ...(options.copilotKitTelemetry ? {} : { ɵtelemetry: NO_TELEMETRY }),
    });
  const runtime = options.copilotKitTelemetry
    ? build()
    : withEnv("COPILOTKIT_TELEMETRY_DISABLED", "true", build);
  const copilot = createCopilotRuntimeHandler({
    runtime,
    basePath: options.basePath,
    cors: false,
    activateChannels: false,
  });

  /**
   * Runs and connects (generator and foreign AG-UI agents alike) are answered here, from the
   * runner, on CopilotKit's routes and wire (AG-UI events over SSE, plus `id:` lines): the same
   * event stream as the plain route (one chunk per batch, pulled by the transport: the one
   * backpressure from the log to the socket), instead of CopilotKit's per-event path (3-4x the
   * server CPU at 8,000+ events, see BENCHMARKS.md). `/info` and `/stop` go to CopilotKit's
   * handler, which uses the same runner.
   */
  const fromRunner = async (req: RouteRequest, agentId: string, action: "run" | "connect") => {
    const served = deps.agents.get(agentId);
    if (!served) throw unknownAgent(agentId, [...deps.agents.keys()]);
    const input = parseRunInput(await req.body());
    const controller = new AbortController();
    if (action === "run") {
      const { firstId, grant } = await startRun(deps, req, served, input);
      const read = deps.runner.read({
        threadId: input.threadId,
        after: firstId - 1,
        signal: controller.signal,
        ...origin(req),
      });
      return eventStreamResponse(read, { ...streamOptions(deps, req, controller), headers: grant });
    }
    // A thread this request may not use is answered like an unknown one: an empty stream. Only
    // capabilities need the thread looked up (`authorize` and open access decide by its id).
    const thread = deps.access ? await lookupThread(deps, input.threadId) : { threadId: input.threadId };
    const allowed = thread !== undefined && (await mayUseThread(deps, req, served.id, thread, action));
    return eventStreamResponse(
      allowed ? deps.runner.connectRead(input.threadId, controller.signal, req.origin) : nothing(),
      streamOptions(deps, req, controller),
    );
  };

  /** CopilotKit's handler for a stop, after our checks (it stops the run through the same runner). */
  const stopThroughCopilotKit = async (req: RouteRequest, agentId: string, threadId: string) => {
    checkId("threadId", threadId);
    const thread = deps.access ? await lookupThread(deps, threadId) : undefined;
    await checkThreadAccess(deps, req, agentId, thread ?? { threadId }, "stop");
    return inEnvelope(copilot(req.request));
  };

  return {
    runtime,
    async serve(req, rest) {
      const match = /^\/agent\/([^/]+)\/(run|connect|stop|answer)(?:\/([^/]+))?\/?$/.exec(rest);
      if (!match || req.request.method !== "POST") return inEnvelope(copilot(req.request));
      const agentId = decodeSegment(match[1] ?? "");
      const action = match[2] as "run" | "connect" | "stop" | "answer";
      const threadId = match[3] === undefined ? undefined : decodeSegment(match[3]);
      if (action === "answer") {
        // The answer to a question, next to CopilotKit's routes: the chat's AskCard posts here.
        return threadAnswer(deps, { ...req, params: { agentId, threadId: threadId ?? "" } } as RouteRequest);
      }
      const served = deps.agents.get(agentId);
      if (!served) throw unknownAgent(agentId, [...deps.agents.keys()]);
      req.log.agentId = agentId;
      if (action !== "stop") return fromRunner(req, agentId, action);
      return stopThroughCopilotKit(req, agentId, threadId ?? "");
    },
  };
}

/** The batches of a thread there is nothing to read from. */
async function* nothing(): AsyncGenerator<readonly LoggedEvent[], void> {}

/**
 * Runs `fn` (synchronous) with `process.env[name]` set to `value`, then puts the variable back as
 * it was: CopilotKit reads its telemetry switch from the environment only, and the runtime does
 * not change its users' environment.
 */
function withEnv<T>(name: string, value: string, fn: () => T): T {
  const env = process.env;
  const had = Object.hasOwn(env, name);
  const before = env[name];
  env[name] = value;
  try {
    return fn();
  } finally {
    if (had) env[name] = before;
    else delete env[name];
  }
}
