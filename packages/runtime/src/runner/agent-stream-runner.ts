/**
 * The runner interface: where runs live. A run is started once (by the instance that owns it)
 * and read by any number of readers, each from an event id of its choice; both routes (the plain
 * AG-UI routes and CopilotKit's) are readers. The CopilotKit `AgentRunner` contract (`run`,
 * `connect`, `isRunning`, `stop`) is implemented here once, on top of the few primitives each
 * runner provides (`start`, `read`, `history`, `thread`, `stop`), so a memory runner and a Redis
 * runner differ only in where the log lives.
 *
 * @packageDocumentation
 */
import type { AbstractAgent } from "@ag-ui/client";
import type { BaseEvent } from "@ag-ui/core";
import type {
  AgentRunner,
  AgentRunnerConnectRequest,
  AgentRunnerIsRunningRequest,
  AgentRunnerRunRequest,
  AgentRunnerStopRequest,
} from "@copilotkit/runtime/v2";
import { Observable, type Subscriber } from "rxjs";
import type { AnswerResult } from "../agent/asks.js";
import { executorFor, GeneratorAgent } from "../agent/generator-agent.js";
import {
  type AnswerRequest,
  type LoggedEvent,
  type ReadRequest,
  type RequestOrigin,
  RunnerError,
  type RunnerHealth,
  type StartedRun,
  type StartRunRequest,
  type StopRunRequest,
  type ThreadInfo,
} from "./types.js";

/** The RUN_ERROR event that ends a reader's stream when the runner cannot go on with it. */
export function runnerErrorEvent(error: RunnerError): BaseEvent {
  return {
    type: "RUN_ERROR",
    message: error.message,
    code: error.code.toUpperCase(),
    timestamp: Date.now(),
  } as BaseEvent;
}

/**
 * A runner: owns runs, keeps each thread's event log, lets readers replay and follow it.
 * Implementations: {@link MemoryRunner} (one process) and `@agentstream/runner-redis`.
 */
export abstract class AgentStreamRunner implements AgentRunner {
  /**
   * Starts a run on a thread (this instance owns it) and resolves once its RUN_STARTED is
   * logged. Rejects with `RunnerError("busy")` when the thread has a run in progress.
   */
  abstract start(request: StartRunRequest): Promise<StartedRun>;

  /**
   * Replays the thread's events after `request.after` and follows the run live until it ends;
   * events come in batches, in id order, each exactly once. While the iteration is open the
   * reader counts as attached to the run. Throws `RunnerError` `unknown_thread`, `ahead`
   * (`details.newestId`), `gone` (`details.oldestId`) before the first batch, `slow_reader` when
   * it falls behind the retained window while reading.
   */
  abstract read(request: ReadRequest): AsyncIterable<readonly LoggedEvent[]>;

  /** The compacted events of the thread's finished runs (what `connect` replays first). */
  abstract history(threadId: string): Promise<readonly BaseEvent[]>;

  /** The thread, or undefined when unknown. */
  abstract thread(threadId: string): Promise<ThreadInfo | undefined>;

  /** Stops the thread's running run (the generator's `finally` runs); false when nothing ran. */
  abstract stopRun(request: StopRunRequest): Promise<boolean>;

  /**
   * Hands an answer to the generator waiting on question `askId` in the thread's current run
   * (`await ctx.ask(...)`). The value is checked against the question's choices or schema first.
   * `unknown` when the thread's current (or last) run never asked it; `closed` once it was
   * answered, expired or cancelled. A runner whose runs live elsewhere delivers the answer to
   * the owner of the run, as it does stop requests.
   */
  abstract answer(request: AnswerRequest): Promise<AnswerResult>;

  /** Releases timers and connections (the runs it owns are stopped). */
  abstract close(): Promise<void>;

  /** Whether the runner can serve runs now (`/healthz` reports it). Default: ok. */
  health(): RunnerHealth {
    return { status: "ok", runner: "memory" };
  }

  /**
   * A secret every instance sharing this runner's store gets the same, for signing thread tokens
   * and session cookies when the server has no configured secret. Default `undefined`: a runner
   * of one process (the server makes a random secret of its own).
   */
  sharedSecret(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }

  // ---- the CopilotKit AgentRunner contract, on top of the primitives ----

  /** CopilotKit: runs `request.agent` on the thread and streams this run's events. */
  run(request: AgentRunnerRunRequest): Observable<BaseEvent> {
    return new Observable<BaseEvent>((subscriber) => {
      const controller = new AbortController();
      void (async () => {
        const agent = request.agent as AbstractAgent;
        const started = await this.start({
          threadId: request.threadId,
          agentId: agent.agentId ?? "default",
          input: request.input,
          execute: executorFor(agent, request.input),
          eventsPerSecond: agent instanceof GeneratorAgent ? agent.definition.eventsPerSecond : undefined,
        });
        const after = started.firstId - 1;
        const read = this.read({ threadId: request.threadId, after, signal: controller.signal });
        await this.forward(subscriber, read);
      })().catch((error: unknown) => subscriber.error(error));
      return () => controller.abort("client disconnected");
    });
  }

  /**
   * CopilotKit: the thread so far (the compacted finished runs), then the running run from its
   * start, live. Completes at once for an unknown thread.
   */
  connect(request: AgentRunnerConnectRequest): Observable<BaseEvent> {
    return new Observable<BaseEvent>((subscriber) => {
      const controller = new AbortController();
      const read = this.connectRead(request.threadId, controller.signal);
      this.forward(subscriber, read).catch((error: unknown) => subscriber.error(error));
      return () => controller.abort("client disconnected");
    });
  }

  /**
   * What a client that (re)joins a thread needs, as batches: the compacted events of its finished
   * runs (id 0: not in the log), then the running run from its start (or the oldest event kept),
   * live until it ends. Nothing for an unknown thread.
   */
  async *connectRead(
    threadId: string,
    signal?: AbortSignal,
    origin?: RequestOrigin,
  ): AsyncGenerator<readonly LoggedEvent[], void> {
    const thread = await this.thread(threadId);
    if (!thread) return;
    const history = await this.history(threadId);
    if (history.length > 0) yield history.map((event) => ({ id: 0, event }));
    if (!thread.running) return;
    const after = Math.max(thread.runFirstId, thread.oldestId) - 1;
    yield* this.read({ threadId, after, signal, ...(origin ? { origin } : {}) });
  }

  /** CopilotKit: true while the thread has a run in progress. */
  async isRunning(request: AgentRunnerIsRunningRequest): Promise<boolean> {
    return (await this.thread(request.threadId))?.running ?? false;
  }

  /** CopilotKit: stops the thread's run (its Stop button). */
  stop(request: AgentRunnerStopRequest): Promise<boolean | undefined> {
    return this.stopRun({ threadId: request.threadId, runId: request.runId, reason: "stopped by user" });
  }

  /**
   * Hands a read to CopilotKit's Observable. (An Observable cannot push back: the AgentStream
   * handler does not serve its streams this way, it pulls the read itself.)
   */
  private async forward(
    subscriber: Subscriber<BaseEvent>,
    read: AsyncIterable<readonly LoggedEvent[]>,
  ): Promise<void> {
    try {
      for await (const batch of read) {
        for (let i = 0; i < batch.length; i++) {
          if (subscriber.closed) return;
          subscriber.next((batch[i] as LoggedEvent).event);
        }
      }
    } catch (error) {
      // A reader that fell behind, or a run whose owner went away: a terminal event says so.
      if (!(error instanceof RunnerError) || subscriber.closed) throw error;
      subscriber.next(runnerErrorEvent(error));
    }
    subscriber.complete();
  }
}
