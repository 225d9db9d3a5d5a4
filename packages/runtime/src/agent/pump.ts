/**
 * The pump: runs an agent and hands its AG-UI events, in order, to a sink. Generator agents go
 * through the one generator loop ({@link ChunkRun}) and core's `ChunkEncoder`; any other AG-UI
 * agent is subscribed to. Every place that runs an agent (the runner behind both routes, and
 * {@link GeneratorAgent} for foreign AG-UI hosts) uses it.
 *
 * @packageDocumentation
 */
import type { AbstractAgent } from "@ag-ui/client";
import { type BaseEvent, EventType, type RunAgentInput } from "@ag-ui/core";
import { ChunkEncoder, type StreamChunk } from "@agentstream/core";
import { ChunkRun, errorMessage, type RunOptions } from "./chunk-run.js";
import type { AgentDefinition } from "./define.js";

/**
 * Receives the events of a run, in order. Returning `false` (or a promise of it) stops the run
 * (the generator's `return()` is called); a returned promise is awaited before the next step.
 * `chunks`: the chunks these events encode, when the pump knows them (a generator agent's chunk,
 * or `[]` for the run's own start and end events), so counting never decodes the events again;
 * undefined for events of a foreign AG-UI agent.
 */
export type EventSink = (
  events: readonly BaseEvent[],
  chunks?: readonly StreamChunk[],
) => boolean | undefined | Promise<boolean | undefined>;

/** How long a pace-0 run may keep the event loop before it lets I/O through (milliseconds). */
const YIELD_EVERY_MS = 5;

/**
 * `setImmediate` while it works: an edge runtime may lack it or define it to throw (Next.js's
 * does), and then a zero timeout gives the turn.
 */
let immediate: ((run: () => void) => void) | undefined =
  typeof setImmediate === "function" ? (run) => setImmediate(run) : undefined;

/** A macrotask turn, so that I/O gets the event loop. */
const yieldToIo = () =>
  new Promise<void>((resolve) => {
    if (immediate) {
      try {
        immediate(resolve);
        return;
      } catch {
        immediate = undefined;
      }
    }
    setTimeout(resolve, 0);
  });

/**
 * Runs a generator agent to its end and hands every event to `sink`: RUN_STARTED, the events of
 * each chunk, and RUN_FINISHED or RUN_ERROR. Resolves once the run is over (the generator closed).
 */
export async function pumpAgent(
  def: AgentDefinition,
  input: RunAgentInput,
  sink: EventSink,
  options: RunOptions = {},
): Promise<void> {
  const encoder = new ChunkEncoder({
    threadId: input.threadId,
    runId: input.runId,
    now: options.now,
    interruptAs: "custom",
  });
  if ((await sink(encoder.start(), [])) === false) return;
  // The run starts (def.run is called) once RUN_STARTED is out.
  const run = new ChunkRun(def, input, options);
  let lastPause = performance.now();
  let open = true;
  try {
    while (true) {
      const chunk = await run.next();
      if (chunk === undefined) break;
      const handed = sink(encoder.encode(chunk), [chunk]);
      if ((typeof handed === "object" ? await handed : handed) === false) {
        open = false;
        break;
      }
      if (encoder.ended) break;
      // An agent that never waits (pace 0) would produce its whole run before any socket gets a
      // turn: let the event loop run every few milliseconds.
      if (performance.now() - lastPause > YIELD_EVERY_MS) {
        await yieldToIo();
        lastPause = performance.now();
      }
    }
  } catch (error) {
    // Not the agent's error (those become error chunks): a fault of the runtime itself.
    run.close();
    if (open && !encoder.ended) {
      const chunk: StreamChunk = {
        type: "error",
        message: `Internal error while running "${def.name}": ${errorMessage(error)}`,
        code: "INTERNAL",
        seq: 0,
        timestamp: Date.now(),
      };
      await sink(encoder.encode(chunk), [chunk]);
    }
    return;
  }
  run.close();
  if (open) await sink(encoder.finish(), []);
}

/**
 * Runs a foreign AG-UI agent (a per-request copy) and hands its events to `sink`. Aborting
 * `signal` unsubscribes and calls the agent's `abortRun()`; the run then ends with an
 * `interrupted` CUSTOM event and RUN_FINISHED so every reader sees a complete run.
 */
export function pumpAgUiAgent(
  agent: AbstractAgent,
  input: RunAgentInput,
  sink: EventSink,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let ended = false;
    let started = false;
    let stopped = false;
    let subscription: { unsubscribe(): void } | undefined;
    const finish = (events: BaseEvent[]) => {
      if (stopped) return;
      stopped = true;
      signal?.removeEventListener("abort", onAbort);
      subscription?.unsubscribe();
      const tail: BaseEvent[] = [];
      if (!started && events.length > 0)
        tail.push({ type: EventType.RUN_STARTED, threadId: input.threadId, runId: input.runId } as BaseEvent);
      if (!ended) tail.push(...events);
      void Promise.resolve(tail.length ? sink(tail) : undefined).finally(resolve);
    };
    const onAbort = () => {
      try {
        agent.abortRun();
      } catch {
        // an agent that fails to abort is unsubscribed all the same
      }
      const reason = typeof signal?.reason === "string" ? signal.reason : "aborted";
      finish([
        { type: EventType.CUSTOM, name: "agentstream.interrupted", value: { reason } } as BaseEvent,
        { type: EventType.RUN_FINISHED, threadId: input.threadId, runId: input.runId } as BaseEvent,
      ]);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    subscription = agent.run(input).subscribe({
      next: (event) => {
        if (stopped) return;
        if (event.type === EventType.RUN_STARTED) started = true;
        if (event.type === EventType.RUN_FINISHED || event.type === EventType.RUN_ERROR) ended = true;
        // A push source cannot wait: a sink that refuses more stops the run.
        const handed = sink([event]);
        if (handed === false) finish([]);
      },
      error: (error: unknown) =>
        finish([
          { type: EventType.RUN_ERROR, message: errorMessage(error), code: "AGENT_ERROR" } as BaseEvent,
        ]),
      complete: () =>
        finish([{ type: EventType.RUN_FINISHED, threadId: input.threadId, runId: input.runId } as BaseEvent]),
    });
    if (stopped) subscription.unsubscribe();
  });
}
