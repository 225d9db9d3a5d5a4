/**
 * The memory runner: the default runner, in one process, nothing to install. Each thread keeps a
 * byte-bounded event log (resume by id), the compacted events of its finished runs (what
 * CopilotKit's `connect` replays), and its current run. Finished threads are evicted least
 * recently used first.
 *
 * @packageDocumentation
 */
import { compactEvents } from "@ag-ui/client";
import type { BaseEvent, RunAgentInput } from "@ag-ui/core";
import { ABORTED, raceAbort } from "@agentstream/core";
import { type AnswerResult, AskBox } from "../agent/asks.js";
import { AgentStreamRunner } from "./agent-stream-runner.js";
import { EventLog } from "./event-log.js";
import { executeToEnd } from "./execute.js";
import { ReaderPresence } from "./reader-presence.js";
import {
  type AnswerRequest,
  isRunEnd,
  type LoggedEvent,
  type ReadRequest,
  RUNNER_DEFAULTS,
  type RunnerOptions,
  readCursor,
  runnerErrors,
  type StartedRun,
  type StartRunRequest,
  type StopRunRequest,
  type ThreadInfo,
} from "./types.js";

/** Events handed to a reader at once, at most. */
const MAX_BATCH = 512;

interface MemoryRun {
  readonly runId: string;
  readonly firstId: number;
  readonly controller: AbortController;
  /** The run's questions (`ctx.ask`); kept after the run so a late answer gets 409, not 404. */
  readonly asks: AskBox;
  running: boolean;
  /** Its readers and the detached-run timer. */
  presence: ReaderPresence;
  /** Settles when the executor has returned (the generator closed). */
  done: Promise<void>;
}

interface MemoryThread {
  readonly threadId: string;
  agentId: string;
  readonly log: EventLog;
  run: MemoryRun | undefined;
  /** Compacted events of finished runs, oldest first (one array per run). */
  history: BaseEvent[][];
  historyBytes: number;
  /** Message ids the thread has seen (so RUN_STARTED carries only the run's new messages). */
  readonly seenMessageIds: Set<string>;
}

/** Options of {@link MemoryRunner}. */
export type MemoryRunnerOptions = RunnerOptions;

/** The in-process runner (the default). See the module documentation. */
export class MemoryRunner extends AgentStreamRunner {
  private readonly threads = new Map<string, MemoryThread>();
  private readonly detachedRunMs: number;
  private readonly maxThreadBytes: number;
  private readonly maxThreads: number;
  private readonly maxTotalBytes: number;

  constructor(options: MemoryRunnerOptions = {}) {
    super();
    this.detachedRunMs = options.detachedRunMs ?? RUNNER_DEFAULTS.detachedRunMs;
    this.maxThreadBytes = options.maxThreadBytes ?? RUNNER_DEFAULTS.maxThreadBytes;
    this.maxThreads = options.maxThreads ?? RUNNER_DEFAULTS.maxThreads;
    this.maxTotalBytes = options.maxTotalBytes ?? RUNNER_DEFAULTS.maxTotalBytes;
  }

  /** Threads held now. */
  get threadCount(): number {
    return this.threads.size;
  }

  /** Bytes retained over all threads (logs and compacted histories). */
  get retainedBytes(): number {
    let total = 0;
    for (const t of this.threads.values()) total += t.log.bytes + t.historyBytes;
    return total;
  }

  /** @inheritDoc */
  async start(request: StartRunRequest): Promise<StartedRun> {
    const { threadId, input } = request;
    let thread = this.touch(threadId);
    if (thread?.run?.running) throw runnerErrors.busy(threadId, thread.run.runId);
    if (!thread) {
      thread = {
        threadId,
        agentId: request.agentId,
        log: new EventLog(this.maxThreadBytes),
        run: undefined,
        history: [],
        historyBytes: 0,
        seenMessageIds: new Set(),
      };
      this.threads.set(threadId, thread);
    }
    thread.agentId = request.agentId;
    const t = thread;
    const controller = new AbortController();
    const run: MemoryRun = {
      runId: input.runId,
      firstId: t.log.upcomingId,
      controller,
      asks: new AskBox(),
      running: true,
      presence: new ReaderPresence({
        detachedRunMs: this.detachedRunMs,
        ended: () => !run.running,
        stop: (reason) => controller.abort(reason),
      }),
      done: Promise.resolve(),
    };
    t.run = run;
    let first = true;
    const sink = (events: readonly BaseEvent[]): true => {
      if (!run.running) return true;
      for (const event of events) {
        if (first) {
          first = false;
          this.withInput(t, event, input);
        }
        t.log.append(event);
        if (isRunEnd(event)) {
          this.finish(t, run);
          break;
        }
      }
      t.log.notify();
      return true;
    };
    run.done = executeToEnd(
      request.execute,
      sink,
      run.controller.signal,
      { asks: run.asks },
      () => !run.running,
    );
    return { runId: run.runId, firstId: run.firstId };
  }

  /** @inheritDoc */
  async *read(request: ReadRequest): AsyncGenerator<readonly LoggedEvent[], void, undefined> {
    const { threadId, signal } = request;
    const thread = this.touch(threadId);
    if (!thread) throw runnerErrors.unknownThread(threadId);
    const log = thread.log;
    let cursor = readCursor(threadId, request.after, {
      runFirstId: thread.run ? thread.run.firstId : log.newestId + 1,
      oldestId: log.oldestId,
      newestId: log.newestId,
    });
    const run = thread.run?.running ? thread.run : undefined;
    run?.presence.attach();
    try {
      while (!signal?.aborted) {
        if (cursor < log.newestId) {
          if (cursor + 1 < log.oldestId)
            throw runnerErrors.slowReader(threadId, this.maxThreadBytes, log.oldestId);
          const batch = log.slice(cursor, MAX_BATCH);
          const end = batch.findIndex((e) => isRunEnd(e.event));
          if (end >= 0) {
            yield end === batch.length - 1 ? batch : batch.slice(0, end + 1);
            return;
          }
          cursor = (batch[batch.length - 1] as LoggedEvent).id;
          yield batch;
          continue;
        }
        if (!thread.run?.running) return;
        if ((await raceAbort(signal, [log.changed()])) === ABORTED) return;
      }
    } finally {
      run?.presence.detach();
    }
  }

  /** @inheritDoc */
  async history(threadId: string): Promise<readonly BaseEvent[]> {
    const thread = this.threads.get(threadId);
    return thread ? thread.history.flat() : [];
  }

  /** @inheritDoc */
  async thread(threadId: string): Promise<ThreadInfo | undefined> {
    const t = this.threads.get(threadId);
    if (!t?.run) return undefined;
    return {
      threadId,
      agentId: t.agentId,
      runId: t.run.runId,
      running: t.run.running,
      runFirstId: t.run.firstId,
      oldestId: t.log.oldestId,
      newestId: t.log.newestId,
    };
  }

  /** @inheritDoc */
  async stopRun(request: StopRunRequest): Promise<boolean> {
    const run = this.threads.get(request.threadId)?.run;
    if (!run?.running) return false;
    if (request.runId !== undefined && request.runId !== run.runId) return false;
    run.controller.abort(request.reason ?? "stopped by user");
    return true;
  }

  /** @inheritDoc */
  async answer(request: AnswerRequest): Promise<AnswerResult> {
    const run = this.threads.get(request.threadId)?.run;
    if (!run) return { status: "unknown" };
    return run.asks.answer(request.askId, request.value);
  }

  /** Settles when the thread's current run has fully ended (its generator closed). For tests and shutdown. */
  async settled(threadId: string): Promise<void> {
    await this.threads.get(threadId)?.run?.done;
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    const done: Promise<void>[] = [];
    for (const t of this.threads.values()) {
      const run = t.run;
      if (!run) continue;
      run.presence.cancel();
      if (run.running) run.controller.abort("server closed");
      done.push(run.done);
    }
    await Promise.all(done);
  }

  // ---- internals ----

  private touch(threadId: string): MemoryThread | undefined {
    const thread = this.threads.get(threadId);
    if (thread) {
      this.threads.delete(threadId);
      this.threads.set(threadId, thread);
    }
    return thread;
  }

  /** RUN_STARTED carries the run's input with only the messages the thread has not seen (for connect). */
  private withInput(thread: MemoryThread, event: BaseEvent, input: RunAgentInput): void {
    if (event.type !== "RUN_STARTED") return;
    const started = event as BaseEvent & { input?: RunAgentInput };
    if (started.input === undefined) {
      const seen = thread.seenMessageIds;
      started.input = { ...input, messages: input.messages.filter((m) => !seen.has(m.id)) };
    }
    for (const m of input.messages) thread.seenMessageIds.add(m.id);
  }

  private finish(thread: MemoryThread, run: MemoryRun): void {
    run.running = false;
    run.presence.cancel();
    const events = thread.log.eventsFrom(run.firstId);
    for (const event of events) {
      const id = (event as { messageId?: unknown }).messageId;
      if (typeof id === "string") thread.seenMessageIds.add(id);
    }
    const compacted = compactEvents(events);
    thread.history.push(compacted);
    thread.historyBytes += JSON.stringify(compacted).length;
    // Keep the newest runs within the thread's byte budget.
    while (thread.historyBytes > this.maxThreadBytes && thread.history.length > 1) {
      const dropped = thread.history.shift() as BaseEvent[];
      thread.historyBytes -= JSON.stringify(dropped).length;
    }
    this.evict(thread.threadId);
  }

  private evict(protect: string): void {
    let total = this.retainedBytes;
    for (const [id, t] of this.threads) {
      if (this.threads.size <= this.maxThreads && total <= this.maxTotalBytes) break;
      if (id === protect || t.run?.running) continue;
      total -= t.log.bytes + t.historyBytes;
      this.threads.delete(id);
    }
  }
}
