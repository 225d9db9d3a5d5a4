/**
 * An in-process AG-UI agent that replays a prebuilt event array: what `@ag-ui/client` (and so
 * CopilotKit's client, which runs `AbstractAgent`s) does with a stream, minus the network.
 *
 * @packageDocumentation
 */
import { AbstractAgent } from "@ag-ui/client";
import type { BaseEvent, RunAgentInput } from "@ag-ui/core";
import { Observable } from "rxjs";

/** Emits `events` (all at once, as fast as the subscriber takes them) on every run. */
export class ReplayAgent extends AbstractAgent {
  declare events: readonly BaseEvent[];

  constructor(events: readonly BaseEvent[], threadId = "bench-thread") {
    super({ agentId: "replay", description: "replays a prebuilt event array", threadId });
    this.events = events;
  }

  run(_input: RunAgentInput): Observable<BaseEvent> {
    const events = this.events;
    return new Observable<BaseEvent>((subscriber) => {
      for (const event of events) {
        if (subscriber.closed) return;
        subscriber.next(event);
      }
      subscriber.complete();
    });
  }
}
