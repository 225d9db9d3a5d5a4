/**
 * `POST /api/agents/:agentId/run`: the plain AG-UI endpoint for hosts without CopilotKit.
 * RunAgentInput in, AG-UI events out as SSE frames with `id:` lines.
 *
 * Generator agents are pulled one event at a time and each write waits for the socket to drain,
 * so a slow client slows its agent down and nothing piles up in memory.
 *
 * @packageDocumentation
 */
import type { AbstractAgent } from "@ag-ui/client";
import type { BaseEvent, RunAgentInput } from "@ag-ui/core";
import { encodeSseFrame } from "@agentstream/core";
import type { RequestHandler } from "express";
import type { StreamRegistry } from "../agent/registry.js";
import { runAgentEvents } from "../agent/run.js";
import type { ServedAgent } from "./agent-table.js";
import type { Logger } from "./logging.js";
import { SseStream } from "./sse.js";
import { parseRunInput, unknownAgent } from "./validate.js";

/** Events written in a row before the stream yields to the event loop (fairness between streams). */
const YIELD_EVERY = 16;

/** What the plain route needs. */
export interface PlainRouteDeps {
  agents: ReadonlyMap<string, ServedAgent>;
  registry: StreamRegistry;
  paceMs: number;
  heartbeatMs: number;
  logger: Logger;
}

/** The handler of `POST /api/agents/:agentId/run`. */
export function plainRunHandler(deps: PlainRouteDeps): RequestHandler {
  return async (req, res, next) => {
    const agentId = String(req.params.agentId);
    const served = deps.agents.get(agentId);
    if (!served) return next(unknownAgent(agentId, [...deps.agents.keys()]));
    let input: RunAgentInput;
    try {
      input = parseRunInput(req.body);
    } catch (error) {
      return next(error);
    }
    res.locals.agentId = agentId;
    const controller = new AbortController();
    const sse = new SseStream(res, { heartbeatMs: deps.heartbeatMs });
    res.once("close", () => {
      if (!res.writableFinished) controller.abort("client disconnected");
    });
    sse.open();
    const events = served.definition
      ? runAgentEvents(served.definition, input, {
          signal: controller.signal,
          paceMs: deps.paceMs,
          registry: deps.registry,
        })
      : observeAgent(served.agent, input, controller.signal);
    let id = 0;
    try {
      for await (const event of events) {
        if (!(await sse.write(encodeSseFrame(event, ++id)))) break;
        // An agent at pace 0 never waits on a timer: give other connections a turn regularly.
        if (id % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      deps.logger.error("stream_error", {
        reqId: res.locals.reqId,
        agent: agentId,
        message: error instanceof Error ? error.message : String(error),
      });
      if (!sse.closed) {
        const runError = { type: "RUN_ERROR", message: "Internal error while streaming", code: "INTERNAL" };
        await sse.write(encodeSseFrame(runError, ++id));
      }
    } finally {
      res.locals.events = id;
      sse.end();
    }
  };
}

/**
 * Runs a non-generator AG-UI agent (a per-request clone) and yields its events. Such agents push
 * events (Observable); at most `maxQueued` wait for a slow client before it is dropped.
 */
async function* observeAgent(
  template: AbstractAgent,
  input: RunAgentInput,
  signal: AbortSignal,
  maxQueued = 10_000,
): AsyncGenerator<BaseEvent, void, undefined> {
  const agent = template.clone() as AbstractAgent;
  agent.setMessages(input.messages);
  agent.setState(input.state);
  agent.threadId = input.threadId;
  const queue: BaseEvent[] = [];
  let done = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const subscription = agent.run(input).subscribe({
    next: (event) => {
      queue.push(event);
      if (queue.length > maxQueued) {
        failure = new Error(`client too slow: more than ${maxQueued} events queued`);
        subscription?.unsubscribe();
      }
      notify();
    },
    error: (error: unknown) => {
      failure = error;
      done = true;
      notify();
    },
    complete: () => {
      done = true;
      notify();
    },
  });
  const onAbort = () => {
    subscription.unsubscribe();
    agent.abortRun();
    done = true;
    notify();
  };
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    while (true) {
      const event = queue.shift();
      if (event) {
        yield event;
        continue;
      }
      if (failure) throw failure;
      if (done || signal.aborted) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    subscription.unsubscribe();
  }
}
