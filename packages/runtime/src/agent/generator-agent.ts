/**
 * An AG-UI `AbstractAgent` backed by an agent definition, for CopilotKit's runtime (or any AG-UI
 * host that runs `AbstractAgent`s).
 *
 * CopilotKit clones agents per request with `Object.create(prototype)` and copies a fixed list of
 * fields; class field initialisers do not run on the copy. So the definition and options are
 * copied in {@link GeneratorAgent.clone}, and per-run state (the abort controller) is created
 * inside `run()`.
 *
 * @packageDocumentation
 */
import { AbstractAgent } from "@ag-ui/client";
import type { BaseEvent, RunAgentInput } from "@ag-ui/core";
import { Observable } from "rxjs";
import type { AskBox } from "./asks.js";
import type { AgentDefinition } from "./define.js";
import { type EventSink, pumpAgent, pumpAgUiAgent } from "./pump.js";
import type { StreamRegistry } from "./registry.js";
/** Options of {@link GeneratorAgent}. */
export interface GeneratorAgentOptions {
  /** Milliseconds `ctx.pace()` waits. Default 0. */
  paceMs?: number;
  /** Where runs are counted while in flight. */
  registry?: StreamRegistry;
}

/**
 * Serves an {@link AgentDefinition} as an AG-UI agent. `run()` returns an Observable of the
 * events of core's ChunkEncoder. Unsubscribing (CopilotKit detaching the run) or `abortRun()`
 * (CopilotKit's Stop) aborts the run: the generator's `return()` is called and its `finally`
 * blocks run.
 */
export class GeneratorAgent extends AbstractAgent {
  declare definition: AgentDefinition;
  declare options: GeneratorAgentOptions;
  /** The abort controller of the run in flight on this instance (set inside `run()`). */
  declare private activeRun: AbortController | undefined;

  constructor(definition: AgentDefinition, options: GeneratorAgentOptions = {}) {
    super({ agentId: definition.name, description: definition.description });
    this.definition = definition;
    this.options = options;
    this.activeRun = undefined;
  }

  /** @inheritDoc */
  run(input: RunAgentInput): Observable<BaseEvent> {
    const definition = this.definition;
    const options = this.options ?? {};
    return new Observable<BaseEvent>((subscriber) => {
      const controller = new AbortController();
      this.activeRun = controller;
      /** Hands `events` over; false once the subscriber has gone (the run then stops). */
      const sink = (events: readonly BaseEvent[]): boolean => {
        for (let i = 0; i < events.length; i++) {
          if (subscriber.closed) return false;
          subscriber.next(events[i] as BaseEvent);
        }
        return !subscriber.closed;
      };
      // RUN_STARTED a microtask after subscribing (never inside subscribe()).
      void Promise.resolve()
        .then(() =>
          pumpAgent(definition, input, sink, {
            signal: controller.signal,
            paceMs: options.paceMs,
            registry: options.registry,
          }),
        )
        .then(
          () => subscriber.complete(),
          (error: unknown) => subscriber.error(error),
        )
        .finally(() => {
          if (this.activeRun === controller) this.activeRun = undefined;
        });
      return () => {
        if (!controller.signal.aborted) controller.abort("client disconnected");
      };
    });
  }

  /**
   * Stops the run in flight (CopilotKit's Stop calls this on the per-request copy). The run is
   * aborted: the generator's `return()` is called (its `finally` blocks run) and the stream ends
   * at once with an `interrupted` chunk (CUSTOM `agentstream.interrupted`, then RUN_FINISHED), so
   * the host sees a complete, valid run. Should the stream still be open after 250 ms, the run
   * is detached (`detachActiveRun()`), which tears it down on the host's side.
   */
  override abortRun(): void {
    const run = this.activeRun;
    if (!run) return;
    run.abort("stopped by user");
    setTimeout(() => {
      if (this.activeRun === run) void this.detachActiveRun();
    }, 250).unref();
  }

  /** A copy for one request: same definition and options, no run in flight. */
  override clone(): GeneratorAgent {
    const copy = super.clone() as GeneratorAgent;
    copy.definition = this.definition;
    copy.options = this.options;
    copy.activeRun = undefined;
    return copy;
  }
}

/**
 * How to run `agent` for `input`: a generator agent through the pump (with its pace and
 * registry), any other AG-UI agent through its Observable. Used by the runners.
 */
export function executorFor(
  agent: AbstractAgent,
  input: RunAgentInput,
): (sink: EventSink, signal: AbortSignal, hooks?: { asks: AskBox }) => Promise<void> {
  if (agent instanceof GeneratorAgent) {
    const definition = agent.definition;
    const options = agent.options ?? {};
    return (sink, signal, hooks) =>
      pumpAgent(definition, input, sink, {
        signal,
        paceMs: options.paceMs,
        registry: options.registry,
        asks: hooks?.asks,
      });
  }
  return (sink, signal) => pumpAgUiAgent(agent, input, sink, signal);
}
