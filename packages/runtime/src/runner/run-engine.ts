/**
 * The run engine: the lifecycle of a run, once, over any {@link LogStore}. It starts runs
 * (refusing a busy thread), drives the agent into the log, counts readers and stops a run nobody
 * reads (the detached-run rule), stops runs and delivers answers (on the owner, wherever the
 * request arrived), replays and follows a thread for its readers (resume ids, the retained
 * window, slow readers), and ends runs whose owner went away. The memory runner and the Redis
 * runner are this engine over their store.
 *
 * @packageDocumentation
 */
import { compactEvents } from "@ag-ui/client";
import type { BaseEvent } from "@ag-ui/core";
import { ABORTED, raceAbort } from "@agentstream/core";
import type { Span } from "@opentelemetry/api";
import type { AnswerResult, AskBox } from "../agent/asks.js";
import { AgentStreamRunner } from "./agent-stream-runner.js";
import { executeToEnd } from "./execute.js";
import type { ControlMessage, LogSpan, LogStore, LogTail, SharedLog, StoredThread } from "./log-store.js";
import { checkEventsPerSecond } from "./output-rate.js";
import { OwnedRun } from "./owned-run.js";
import { ReaderPresence } from "./reader-presence.js";
import { endRunnerSpan, runnerSpan } from "./spans.js";
import {
  type AnswerRequest,
  isRunEnd,
  type LoggedEvent,
  type ReadRequest,
  RUNNER_DEFAULTS,
  RunnerError,
  type RunnerHealth,
  type RunnerOptions,
  readCursor,
  runnerErrors,
  type StartedRun,
  type StartRunRequest,
  type StopRunRequest,
} from "./types.js";

/** Events handed to a reader at once, at most. */
const READ_BATCH = 512;
/** Finished runs whose questions are kept (so a late answer gets "closed", not "unknown"). */
const FINISHED_ASKS = 1000;
/** How long an answer for another instance's run waits for its verdict (ms). */
const ANSWER_TIMEOUT_MS = 2000;
/** A reader on another instance than the owner needs a round trip to register (ms). */
const REMOTE_READER_GRACE_MS = 250;

const runError = (message: string, code: string): BaseEvent =>
  ({ type: "RUN_ERROR", message, code, timestamp: Date.now() }) as BaseEvent;

/** See the module documentation. */
export class RunEngine extends AgentStreamRunner {
  /** This instance's id (the owner of the runs it starts). */
  readonly instanceId: string;
  private readonly shared: SharedLog | undefined;
  private readonly detachedRunMs: number;
  private readonly maxThreadBytes: number;
  private readonly owned = new Map<string, OwnedRun>();
  private readonly finishedAsks = new Map<string, AskBox>();
  /** Readers on this instance of runs owned elsewhere: member → thread. */
  private readonly remoteReaders = new Map<string, { threadId: string; owner: string }>();
  private readerSeq = 0;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private closed = false;

  constructor(
    protected readonly store: LogStore,
    options: RunnerOptions = {},
  ) {
    super();
    this.shared = store.shared;
    this.instanceId = this.shared?.instanceId ?? "local";
    this.detachedRunMs = options.detachedRunMs ?? RUNNER_DEFAULTS.detachedRunMs;
    this.maxThreadBytes = options.maxThreadBytes ?? RUNNER_DEFAULTS.maxThreadBytes;
    if (this.shared) {
      this.shared.onControl((message, reply) => this.onControl(message, reply));
      this.shared.onDisconnect(() => this.onDisconnect());
      this.heartbeat = setInterval(() => void this.beat(), Math.max(10, Math.floor(this.shared.leaseMs / 4)));
      this.heartbeat.unref?.();
    }
  }

  /** @inheritDoc */
  override health(): RunnerHealth {
    return this.store.health();
  }

  /** @inheritDoc */
  override sharedSecret(): Promise<string | undefined> {
    return this.shared ? this.shared.secret() : Promise.resolve(undefined);
  }

  /** @inheritDoc */
  async start(request: StartRunRequest): Promise<StartedRun> {
    const { threadId, input } = request;
    const eventsPerSecond = checkEventsPerSecond(request.eventsPerSecond, "eventsPerSecond");
    const startTime = Date.now();
    const claim = {
      threadId,
      agentId: request.agentId,
      runId: input.runId,
      token: `${this.instanceId}|${input.runId}`,
      ...(request.creator === undefined ? {} : { creator: request.creator }),
    };
    // A store that answers synchronously (memory) is not awaited: the run is registered before
    // anything else can run, so a stop right after the start finds it.
    const claiming = this.store.claim(claim, this.lostEvent());
    const claimed = claiming instanceof Promise ? await claiming : claiming;
    if (!claimed.claimed)
      throw request.creator === undefined
        ? runnerErrors.busy(threadId, claimed.runId)
        : runnerErrors.taken(threadId);
    if (claimed.lost) void this.addLostHistory(threadId, claimed.lost).catch(() => {});
    const ids = input.messages.map((m) => m.id);
    const seeing = ids.length > 0 ? this.store.seen(threadId, ids) : [];
    const seen = seeing instanceof Promise ? await seeing : seeing;
    const fresh = input.messages.filter((_, i) => !seen[i]);
    const run = new OwnedRun(claim, claimed.firstId, this.store, this.maxThreadBytes, {
      eventsPerSecond,
      onCoalesced: request.onCoalesced,
    });
    const shared = this.shared;
    run.presence = new ReaderPresence({
      detachedRunMs: this.detachedRunMs,
      firstReaderGraceMs: shared ? REMOTE_READER_GRACE_MS : 0,
      remoteReaders: shared ? () => shared.readerCount(threadId) : undefined,
      ended: () => run.ended || run.closed,
      stop: (reason) => this.stopOwned(run, reason, false),
    });
    this.owned.set(threadId, run);
    run.done = executeToEnd(
      request.execute,
      run.sink(input, fresh),
      run.controller.signal,
      { asks: run.asks },
      () => run.ended || run.closed,
    )
      .then(() => run.settle())
      .finally(() => this.release(run));
    // The claim, the thread's seen messages and the first append: a child of the run's span
    // (started just now, with the executor).
    const attributes = { "agentstream.runner": this.store.name, "agentstream.first_id": run.firstId };
    const span = runnerSpan("agentstream.runner.start", threadId, attributes, {
      runId: run.runId,
      startTime,
    });
    try {
      await run.firstEventLogged();
    } catch (error) {
      endRunnerSpan(span, undefined, error);
      throw error;
    }
    endRunnerSpan(span);
    return { runId: run.runId, firstId: run.firstId };
  }

  /** @inheritDoc */
  async *read(request: ReadRequest): AsyncGenerator<readonly LoggedEvent[], void, undefined> {
    const { threadId, signal } = request;
    // A reader on the owner counts at once (no round trip before it is attached).
    const local = this.owned.get(threadId);
    local?.presence.attach();
    let member: string | undefined;
    let tail: LogTail | undefined;
    // A reader attaching to a running run: a child span of the run's until its first batch.
    const startTime = Date.now();
    let span: Span | undefined;
    try {
      const info = await this.thread(threadId);
      if (!info) throw runnerErrors.unknownThread(threadId);
      if (info.running) {
        const attributes = { "agentstream.after": request.after ?? 0, "agentstream.remote": !local };
        span = runnerSpan("agentstream.runner.read", threadId, attributes, { runId: info.runId, startTime });
      }
      // The default read starts at the run's first event, or at the oldest one kept: the log may
      // have been trimmed between the thread's state and the first read.
      const defaultRead = !(request.after !== undefined && request.after > 0);
      let yielded = false;
      let cursor = readCursor(threadId, request.after, info);
      if (info.running && !local && this.shared) member = await this.addRemoteReader(threadId, info.owner);
      tail = await this.store.tail(threadId);
      while (!signal?.aborted) {
        const version = tail.version;
        const page = await this.store.read(threadId, cursor + 1, READ_BATCH);
        const firstId = page.entries[0]?.id;
        if (firstId !== undefined) {
          if (firstId !== cursor + 1) {
            if (yielded) throw runnerErrors.slowReader(threadId, this.maxThreadBytes, firstId);
            if (!defaultRead) throw runnerErrors.gone(threadId, cursor, firstId);
          }
          const end = page.entries.findIndex((e) => isRunEnd(e.event));
          const batch =
            end < 0 || end === page.entries.length - 1 ? page.entries : page.entries.slice(0, end + 1);
          cursor = (batch[batch.length - 1] as LoggedEvent).id;
          yielded = true;
          if (span) {
            endRunnerSpan(span, { "agentstream.first_batch": batch.length });
            span = undefined;
          }
          yield batch;
          if (end >= 0) return;
          continue;
        }
        if (!page.exists)
          throw new RunnerError(
            "unavailable",
            `Thread "${threadId}" is gone from the ${this.store.name} store (expired or evicted)`,
          );
        if (!page.running) return;
        if (!page.leased) {
          // The owner went silent past its lease: end the run for everyone, then read the end.
          await this.endLost(threadId);
          continue;
        }
        if (!(await this.waitForMore(tail, version, signal))) return;
        if (this.closed) throw new RunnerError("unavailable", "The runner was closed");
      }
    } catch (error) {
      endRunnerSpan(span, undefined, error);
      span = undefined;
      throw error;
    } finally {
      endRunnerSpan(span);
      local?.presence.detach();
      if (member) this.removeRemoteReader(threadId, member);
      tail?.close();
    }
  }

  /** @inheritDoc */
  history(threadId: string): Promise<readonly BaseEvent[]> {
    return this.store.history(threadId);
  }

  /** @inheritDoc A run whose owner is gone is ended (`RUNNER_LOST`) before it is reported. */
  async thread(threadId: string): Promise<StoredThread | undefined> {
    const info = await this.store.thread(threadId);
    if (!info?.running || info.leased || !this.shared) return info;
    await this.endLost(threadId);
    return this.store.thread(threadId);
  }

  /** @inheritDoc */
  async stopRun(request: StopRunRequest): Promise<boolean> {
    const reason = request.reason ?? "stopped by user";
    const local = this.owned.get(request.threadId);
    if (local && !local.ended && !local.closed) {
      if (request.runId !== undefined && request.runId !== local.runId) return false;
      this.stopOwned(local, reason, false);
      return true;
    }
    if (!this.shared) return false;
    const info = await this.thread(request.threadId);
    if (!info?.running) return false;
    if (request.runId !== undefined && request.runId !== info.runId) return false;
    // The owner traces it (a child of the run's span there).
    await this.toOwner(info.owner, { type: "stop", threadId: request.threadId, runId: info.runId, reason });
    return true;
  }

  /**
   * Stops a run this instance owns; its span (a child of the run's) lasts until the run has
   * ended. `remote`: the stop came from another instance.
   */
  private stopOwned(run: OwnedRun, reason: string, remote: boolean): void {
    if (run.controller.signal.aborted) return;
    const attributes = { "agentstream.stop_reason": reason, "agentstream.remote": remote };
    run.stopSpan = runnerSpan("agentstream.runner.stop", run.threadId, attributes, { runId: run.runId });
    run.controller.abort(reason);
  }

  /**
   * @inheritDoc
   * On another instance's run, the answer goes to its owner and the owner's verdict comes back
   * (within 2 s).
   */
  async answer(request: AnswerRequest): Promise<AnswerResult> {
    const unknown = { status: "unknown" } as AnswerResult;
    const run = this.owned.get(request.threadId);
    const local = run?.asks ?? this.finishedAsks.get(request.threadId);
    if (!this.shared) return local ? this.deliver(local, run?.runId, request, false) : unknown;
    const info = await this.thread(request.threadId);
    if (local && (!info?.owner || info.owner === this.instanceId))
      return this.deliver(local, run?.runId, request, false);
    if (!info?.owner || info.owner === this.instanceId) return unknown;
    // The owner traces its delivery (a child of the run's span there).
    const message: ControlMessage = { type: "answer", ...request };
    return (await this.shared.request(info.owner, message, ANSWER_TIMEOUT_MS)) ?? unknown;
  }

  /** Hands an answer to the question of a run of this instance (a child span of the run's). */
  private deliver(
    asks: AskBox,
    runId: string | undefined,
    request: Pick<AnswerRequest, "threadId" | "askId" | "value">,
    remote: boolean,
  ): AnswerResult {
    const span = runnerSpan(
      "agentstream.runner.answer",
      request.threadId,
      { "agentstream.ask_id": request.askId, "agentstream.remote": remote },
      { runId },
    );
    const result = asks.answer(request.askId, request.value);
    endRunnerSpan(span, { "agentstream.answer_status": result.status });
    return result;
  }

  /** Settles when this instance's run on the thread has fully ended (its generator closed). */
  async settled(threadId: string): Promise<void> {
    await this.owned.get(threadId)?.done;
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.heartbeat) clearInterval(this.heartbeat);
    const done: Promise<void>[] = [];
    for (const run of this.owned.values()) {
      run.presence.cancel();
      if (!run.ended) run.controller.abort("server closed");
      done.push(run.done);
    }
    await Promise.all(done);
    this.closed = true;
    await this.store.close();
  }

  // ---- internals ----

  private lostEvent(): BaseEvent {
    const leaseMs = this.shared?.leaseMs ?? 0;
    return runError(
      `The server instance running this run went away (no heartbeat for ${leaseMs} ms); the output so far is kept`,
      "RUNNER_LOST",
    );
  }

  /** Ends the thread's run whose owner is gone, and adds it to the history. */
  private async endLost(threadId: string): Promise<void> {
    const startTime = Date.now();
    const span = await this.shared?.endLost(threadId, this.lostEvent());
    if (!span) return;
    this.lostSpan(threadId, span, "owner lost", startTime);
    void this.addLostHistory(threadId, span).catch(() => {});
  }

  /** The span of a run this instance ended for a lost owner (its own trace: nobody else reports it). */
  private lostSpan(threadId: string, log: LogSpan, reason: string, startTime: number): void {
    const attributes = {
      "agentstream.runner": this.store.name,
      "agentstream.lost_reason": reason,
      "agentstream.lease_ms": this.shared?.leaseMs ?? 0,
      "agentstream.events": log.lastId - log.firstId + 1,
    };
    endRunnerSpan(runnerSpan("agentstream.runner.lost", threadId, attributes, { root: true, startTime }));
  }

  /** Adds the compacted events of a run ended for a lost owner to the thread's history. */
  private async addLostHistory(threadId: string, span: LogSpan): Promise<void> {
    const events = (await this.shared?.range(threadId, span)) ?? [];
    if (events.length > 0) await this.shared?.addHistory(threadId, JSON.stringify(compactEvents(events)));
  }

  /** Waits for the next wake-up (or, on a shared store, one poll); false when the reader left. */
  private async waitForMore(
    tail: LogTail,
    version: number,
    signal: AbortSignal | undefined,
  ): Promise<boolean> {
    const pollMs = this.shared?.pollMs;
    if (pollMs === undefined) return (await raceAbort(signal, [tail.changed(version)])) !== ABORTED;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, pollMs);
    });
    try {
      return (await raceAbort(signal, [tail.changed(version), poll])) !== ABORTED;
    } finally {
      clearTimeout(timer);
    }
  }

  private async addRemoteReader(threadId: string, owner: string): Promise<string> {
    const member = `${this.instanceId}:${++this.readerSeq}`;
    this.remoteReaders.set(member, { threadId, owner });
    await this.shared?.addReaders([{ threadId, member }], Date.now() + (this.shared?.leaseMs ?? 0));
    await this.toOwner(owner, { type: "readers", threadId });
    return member;
  }

  private removeRemoteReader(threadId: string, member: string): void {
    const entry = this.remoteReaders.get(member);
    this.remoteReaders.delete(member);
    void this.shared
      ?.removeReader(threadId, member)
      .then(() => entry && this.toOwner(entry.owner, { type: "readers", threadId }))
      .catch(() => {});
  }

  private async toOwner(owner: string, message: ControlMessage): Promise<void> {
    if (owner === this.instanceId) this.onControl(message, () => {});
    else await this.shared?.send(owner, message);
  }

  private onControl(message: ControlMessage, reply: (result: AnswerResult) => void): void {
    const run = this.owned.get(message.threadId);
    if (message.type === "answer") {
      const asks = run?.asks ?? this.finishedAsks.get(message.threadId);
      if (asks) reply(this.deliver(asks, run?.runId, message, true));
    } else if (!run) {
      // not a run of this instance (any more)
    } else if (message.type === "readers") void run.presence.check();
    else if (message.runId === undefined || message.runId === run.runId) {
      if (!run.ended) this.stopOwned(run, message.reason, true);
    }
  }

  private release(run: OwnedRun): void {
    run.presence.cancel();
    if (this.owned.get(run.threadId) === run) this.owned.delete(run.threadId);
    this.finishedAsks.delete(run.threadId);
    this.finishedAsks.set(run.threadId, run.asks);
    if (this.finishedAsks.size > FINISHED_ASKS)
      this.finishedAsks.delete(this.finishedAsks.keys().next().value as string);
    // The store went away mid-run: once it is back, end the run in the log (if it is still there).
    if (run.closed && !run.ended && !this.closed) void this.finishLater(run);
  }

  /** Ends a run that could not write its end, once the store answers again (or gives up after the lease). */
  private async finishLater(run: OwnedRun): Promise<void> {
    const shared = this.shared;
    if (!shared) return;
    const until = Date.now() + shared.leaseMs;
    while (Date.now() < until && !this.closed) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(500, shared.pollMs * 5)));
      if (this.store.health().status !== "ok") continue;
      const end = runError(
        `The ${this.store.name} store was unavailable while the run was going on; the output so far is kept`,
        "UNAVAILABLE",
      );
      try {
        const startTime = Date.now();
        const span = await shared.endLost(run.threadId, end, run.claim.token, run.runId);
        if (span) this.lostSpan(run.threadId, span, "store unavailable", startTime);
        if (span) await this.addLostHistory(run.threadId, span);
      } catch {
        continue;
      }
      return;
    }
  }

  /** The store's connection is gone: the runs owned here cannot log any more. */
  private onDisconnect(): void {
    if (this.closed) return;
    const error = new RunnerError(
      "unavailable",
      `The ${this.store.name} store is unavailable (connection lost)`,
    );
    for (const run of this.owned.values())
      if (!run.ended && !run.closed) run.lose(error, "store unavailable");
  }

  /** Renews the leases of the runs owned here and the registrations of the readers here. */
  private async beat(): Promise<void> {
    const shared = this.shared;
    if (!shared || this.closed || this.store.health().status !== "ok") return;
    const runs = [...this.owned.values()].filter((r) => !r.ended && !r.closed);
    const readers = [...this.remoteReaders].map(([member, { threadId }]) => ({ threadId, member }));
    let renewed: boolean[];
    try {
      [renewed] = await Promise.all([
        shared.renew(runs.map((r) => r.claim)),
        readers.length > 0 ? shared.addReaders(readers, Date.now() + shared.leaseMs) : undefined,
      ]);
    } catch {
      return;
    }
    runs.forEach((run, i) => {
      if (renewed[i] === false)
        run.lose(new RunnerError("runner_lost", "This instance lost the run's lease"), "run taken over");
      else void run.presence.check();
    });
  }
}
