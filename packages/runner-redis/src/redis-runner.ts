/**
 * The Redis runner: runs shared by several server instances. A run executes on the instance that
 * started it (its owner); its events go to Redis, and any instance can replay and follow them,
 * resume from an event id, or stop the run.
 *
 * - One Redis Stream per thread; entry id `<eventId>-0`, so the thread's integer ids are the
 *   stream's ids. The owner appends in batches (one Lua script call per batch, with the ownership
 *   check, the byte-bounded trim and the wake-up PUBLISH in it); while a batch is in flight the
 *   next one accumulates, so appends are pipelined without waiting per event.
 * - Readers read with XRANGE (a Lua script that also returns the thread's state atomically) and
 *   wait on a per-thread pub/sub channel; one subscription per thread per instance, however many
 *   readers. A missed wake-up costs at most `pollMs`.
 * - Ownership is a lease key (SET NX PX), renewed by the owner's heartbeat. When the owner dies
 *   the lease expires; the first instance to notice (a waiting reader's poll, a `thread()` or a
 *   `start()`) appends a terminal RUN_ERROR `RUNNER_LOST` (the partial output stays) and the
 *   thread can run again.
 * - Stop requests and reader arrivals/departures reach the owner on its own pub/sub channel.
 * - Readers on other instances than the owner register in a sorted set (expiring entries renewed
 *   by their instance's heartbeat) so the owner applies the detached-run rule across instances.
 * - Thread keys expire `threadTtlMs` after the last run ended (or the last heartbeat).
 *
 * @packageDocumentation
 */
import { randomUUID } from "node:crypto";
import { compactEvents } from "@ag-ui/client";
import type { BaseEvent, RunAgentInput } from "@ag-ui/core";
import {
  type AnswerResult,
  AskBox,
  RunnerError,
  type RunnerHealth,
  type RunnerOptions,
} from "@agentstream/runtime";
import {
  AgentStreamRunner,
  type AnswerRequest,
  executeToEnd,
  isRunEnd,
  type LoggedEvent,
  ReaderPresence,
  type ReadRequest,
  RUNNER_DEFAULTS,
  readCursor,
  runnerErrors,
  type StartedRun,
  type StartRunRequest,
  type StopRunRequest,
  type ThreadInfo,
} from "@agentstream/runtime/runner";
import { Redis, type RedisOptions } from "ioredis";
import { APPEND_SCRIPT, LOST_SCRIPT, READ_SCRIPT, RENEW_SCRIPT, START_SCRIPT } from "./scripts.js";

/** Options of {@link RedisRunner}. */
export interface RedisRunnerOptions extends RunnerOptions {
  /** `redis://…` URL (`REDIS_URL`). Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** Prefix of every key and channel (`AGENTSTREAM_REDIS_PREFIX`). Default `agentstream:`. */
  prefix?: string;
  /**
   * How long a run survives its owner going silent (`AGENTSTREAM_RUN_LEASE_MS`), in ms: after
   * it, readers get a terminal `RUNNER_LOST` error and the thread can run again. Default 10 000.
   */
  leaseMs?: number;
  /** How long a thread's keys live after its last run (ms). Default 24 h. */
  threadTtlMs?: number;
  /** Extra ioredis options (both connections). */
  redis?: RedisOptions;
}

/** Defaults of {@link RedisRunnerOptions}. */
export const REDIS_RUNNER_DEFAULTS = {
  url: "redis://127.0.0.1:6379",
  prefix: "agentstream:",
  leaseMs: 10_000,
  threadTtlMs: 24 * 60 * 60 * 1000,
} as const;

/** Events read per XRANGE, at most. */
const READ_BATCH = 512;
/** Events per APPEND call, at most. */
const APPEND_BATCH = 1000;
/** Buffered events beyond which the sink waits for the flush (backpressure on the generator). */
const HIGH_WATER = 4096;

interface ThreadKeys {
  readonly keys: [string, string, string, string, string, string];
  /** Wake-up channel of the thread's readers. */
  readonly channel: string;
}

/** A run this instance owns. */
interface OwnedRun {
  readonly threadId: string;
  readonly runId: string;
  readonly token: string;
  readonly firstId: number;
  readonly controller: AbortController;
  readonly tk: ThreadKeys;
  /** The run's open questions (`ctx.ask`); answers from other instances arrive by control message. */
  readonly asks: AskBox;
  /** Id the next buffered event gets. */
  nextId: number;
  /** Id of the first buffered (not yet sent) event. */
  bufferFirstId: number;
  /** JSON / end-flag pairs not yet sent. */
  buffer: string[];
  /** Events of the run (for the compacted history at its end). */
  readonly events: BaseEvent[];
  /** Message ids to add to the thread's seen set at the end. */
  readonly seen: Set<string>;
  history: string;
  /** The end event is buffered (nothing more is accepted). */
  ended: boolean;
  /** The log no longer accepts this run's events (taken over, or Redis lost). */
  closed: boolean;
  flushing: Promise<void> | undefined;
  firstFlush: { promise: Promise<void>; resolve(): void; reject(error: unknown): void };
  firstFlushed: boolean;
  /** Its readers (here and on other instances) and the detached-run timer. */
  presence: ReaderPresence;
  done: Promise<void>;
}

/** Per-thread wake-up shared by this instance's readers of the thread. */
interface Tail {
  refs: number;
  version: number;
  subscribed: Promise<void>;
  wakeup: { promise: Promise<void>; resolve(): void } | undefined;
}

type ReadReply = [
  entries: [string, string[]][],
  running: string,
  lease: number,
  oldest: string,
  newest: string,
  meta: number,
];

interface ScriptClient {
  asRead(
    k1: string,
    k2: string,
    k3: string,
    k4: string,
    k5: string,
    k6: string,
    from: number,
    count: number,
  ): Promise<ReadReply>;
  asAppend(...args: (string | number)[]): Promise<number>;
  asStart(...args: (string | number)[]): Promise<[number, number | string, number?, number?]>;
  asLost(...args: (string | number)[]): Promise<[number, number?, number?]>;
  asRenew(...args: (string | number)[]): Promise<number>;
}

type Client = Redis & ScriptClient;

/** The error `ready` rejects with when Redis cannot be reached. */
export class RedisUnavailableError extends Error {
  override readonly name = "RedisUnavailableError";
  constructor(
    message: string,
    /** Why (e.g. `connect ECONNREFUSED 127.0.0.1:6379`). */
    readonly reason: string,
  ) {
    super(message);
  }
}

/** The runner on Redis. See the module documentation. Call {@link ready} before use (or use {@link RedisRunner.open}). */
export class RedisRunner extends AgentStreamRunner {
  /** This instance's id (owner of the runs it starts). */
  readonly instanceId = randomUUID();
  private readonly url: string;
  private readonly prefix: string;
  private readonly leaseMs: number;
  /**
   * The lease key's expiry: 80% of `leaseMs`, renewed every quarter of it, so that a dead owner
   * is noticed (expiry plus one reader poll of leaseMs / 10) within `leaseMs`.
   */
  private readonly leaseKeyMs: number;
  private readonly threadTtlMs: number;
  private readonly detachedRunMs: number;
  private readonly maxThreadBytes: number;
  private readonly pollMs: number;
  private readonly cmd: Client;
  private readonly sub: Redis;
  private readonly owned = new Map<string, OwnedRun>();
  /**
   * The questions of this instance's last finished run per thread (bounded), so a late answer
   * gets "closed" (409) rather than "unknown" (404), as with the memory runner.
   */
  private readonly finishedAsks = new Map<string, AskBox>();
  private readonly tails = new Map<string, Tail>();
  /** Readers on this instance of runs owned elsewhere: presence member → thread. */
  private readonly remoteReaders = new Map<string, { threadId: string; owner: string }>();
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  private lastError = "";
  private readerSeq = 0;

  constructor(options: RedisRunnerOptions = {}) {
    super();
    this.url = options.url ?? REDIS_RUNNER_DEFAULTS.url;
    this.prefix = options.prefix ?? REDIS_RUNNER_DEFAULTS.prefix;
    this.leaseMs = options.leaseMs ?? REDIS_RUNNER_DEFAULTS.leaseMs;
    this.leaseKeyMs = Math.max(50, Math.floor(this.leaseMs * 0.8));
    this.threadTtlMs = options.threadTtlMs ?? REDIS_RUNNER_DEFAULTS.threadTtlMs;
    this.detachedRunMs = options.detachedRunMs ?? RUNNER_DEFAULTS.detachedRunMs;
    this.maxThreadBytes = options.maxThreadBytes ?? RUNNER_DEFAULTS.maxThreadBytes;
    this.pollMs = Math.max(20, Math.min(1000, Math.floor(this.leaseMs / 10)));
    const redisOptions: RedisOptions = {
      lazyConnect: true,
      // Fail fast while Redis is away (streams end with a clear error) and keep reconnecting.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 5_000,
      retryStrategy: (times) => Math.min(100 * times, 1_000),
      ...options.redis,
    };
    this.cmd = new Redis(this.url, {
      ...redisOptions,
      connectionName: `agentstream-cmd-${this.instanceId}`,
    }) as Client;
    this.sub = new Redis(this.url, { ...redisOptions, connectionName: `agentstream-sub-${this.instanceId}` });
    const defs: [string, string][] = [
      ["asRead", READ_SCRIPT],
      ["asAppend", APPEND_SCRIPT],
      ["asStart", START_SCRIPT],
      ["asLost", LOST_SCRIPT],
      ["asRenew", RENEW_SCRIPT],
    ];
    for (const [name, lua] of defs) this.cmd.defineCommand(name, { numberOfKeys: 6, lua });
    for (const client of [this.cmd, this.sub]) {
      client.on("error", (error: Error) => {
        this.lastError = error.message;
      });
      client.on("close", () => this.onConnectionLost());
    }
    this.sub.on("message", (channel: string, message: string) => this.onMessage(channel, message));
  }

  /** A runner, connected (see {@link ready}). */
  static async open(options: RedisRunnerOptions = {}): Promise<RedisRunner> {
    const runner = new RedisRunner(options);
    await runner.ready();
    return runner;
  }

  /**
   * Connects to Redis (call once, before use); rejects with {@link RedisUnavailableError} when
   * Redis cannot be reached. (Not `connect`: that is CopilotKit's.)
   */
  async ready(): Promise<void> {
    try {
      await Promise.all([this.cmd.connect(), this.sub.connect()]);
      await this.sub.subscribe(this.controlChannel(this.instanceId));
      await this.cmd.ping();
    } catch (error) {
      this.cmd.disconnect();
      this.sub.disconnect();
      const message = error instanceof Error ? error.message : String(error);
      const reason = (this.lastError || message || "unreachable").split("\n")[0] as string;
      throw new RedisUnavailableError(`cannot connect to Redis at ${redactUrl(this.url)}: ${reason}`, reason);
    }
    this.heartbeat = setInterval(() => void this.beat(), Math.max(10, Math.floor(this.leaseMs / 4)));
    this.heartbeat.unref?.();
  }

  /** @inheritDoc */
  override health(): RunnerHealth {
    const ok = this.cmd.status === "ready" && this.sub.status === "ready";
    return ok
      ? { status: "ok", runner: "redis" }
      : {
          status: "degraded",
          runner: "redis",
          detail: `Redis ${this.cmd.status}${this.lastError ? `: ${this.lastError}` : ""}`,
        };
  }

  // ---- primitives ----

  /** @inheritDoc */
  async start(request: StartRunRequest): Promise<StartedRun> {
    const { threadId, input } = request;
    const tk = this.threadKeys(threadId);
    const token = `${this.instanceId}|${input.runId}`;
    const reply = await this.redis(() =>
      this.cmd.asStart(
        ...tk.keys,
        token,
        input.runId,
        request.agentId,
        this.leaseKeyMs,
        this.lostJson(),
        tk.channel,
        this.threadTtlMs,
        this.instanceId,
      ),
    );
    if (Number(reply[0]) === 0) throw runnerErrors.busy(threadId, String(reply[1]));
    const firstId = Number(reply[1]);
    if (Number(reply[2] ?? 0) > 0)
      void this.compactLost(tk, Number(reply[2]), Number(reply[3])).catch(() => {});
    // RUN_STARTED carries only the messages the thread has not seen.
    const ids = input.messages.map((m) => m.id);
    let fresh = input.messages;
    if (ids.length > 0) {
      const seen = (await this.redis(() => this.cmd.smismember(tk.keys[4], ...ids))) as number[];
      fresh = input.messages.filter((_, i) => !seen[i]);
      void this.cmd
        .multi()
        .sadd(tk.keys[4], ...ids)
        .pexpire(tk.keys[4], this.threadTtlMs)
        .exec()
        .catch(() => {});
    }
    let resolveFirst!: () => void;
    let rejectFirst!: (error: unknown) => void;
    const firstPromise = new Promise<void>((resolve, reject) => {
      resolveFirst = resolve;
      rejectFirst = reject;
    });
    firstPromise.catch(() => {});
    const run: OwnedRun = {
      threadId,
      runId: input.runId,
      token,
      firstId,
      controller: new AbortController(),
      tk,
      asks: new AskBox(),
      nextId: firstId,
      bufferFirstId: firstId,
      buffer: [],
      events: [],
      seen: new Set(),
      history: "",
      ended: false,
      closed: false,
      flushing: undefined,
      firstFlush: { promise: firstPromise, resolve: resolveFirst, reject: rejectFirst },
      firstFlushed: false,
      presence: new ReaderPresence({
        detachedRunMs: this.detachedRunMs,
        // A reader on another instance needs a round trip to register.
        firstReaderGraceMs: 250,
        remoteReaders: () => this.remoteReaderCount(run),
        ended: () => run.ended || run.closed,
        stop: (reason) => run.controller.abort(reason),
      }),
      done: Promise.resolve(),
    };
    this.owned.set(threadId, run);
    let first = true;
    const sink = (events: readonly BaseEvent[]): boolean | Promise<boolean> => {
      if (run.closed || run.ended) return false;
      for (const event of events) {
        if (first) {
          first = false;
          if (event.type === "RUN_STARTED") {
            const started = event as BaseEvent & { input?: RunAgentInput };
            if (started.input === undefined) started.input = { ...input, messages: fresh };
          }
        }
        const id = (event as { messageId?: unknown }).messageId;
        if (typeof id === "string") run.seen.add(id);
        const end = isRunEnd(event);
        run.events.push(event);
        run.buffer.push(JSON.stringify(event), end ? "1" : "0");
        run.nextId++;
        if (end) {
          run.ended = true;
          run.history = JSON.stringify(compactEvents(run.events));
          break;
        }
      }
      const flushing = this.kick(run);
      if (run.ended || run.buffer.length > HIGH_WATER * 2) return flushing.then(() => !run.closed);
      return true;
    };
    run.done = executeToEnd(
      request.execute,
      sink,
      run.controller.signal,
      { asks: run.asks },
      () => run.ended || run.closed,
    )
      .then(() => run.flushing)
      .finally(() => this.release(run));
    await run.firstFlush.promise;
    return { runId: run.runId, firstId };
  }

  /** @inheritDoc */
  async *read(request: ReadRequest): AsyncGenerator<readonly LoggedEvent[], void, undefined> {
    const { threadId, signal } = request;
    const tk = this.threadKeys(threadId);
    // A reader on the owner counts at once (no round trip before it is attached).
    const local = this.owned.get(threadId);
    local?.presence.attach();
    let member: string | undefined;
    let tail: Tail | undefined;
    try {
      const info = await this.thread(threadId);
      if (!info) throw runnerErrors.unknownThread(threadId);
      // The default read starts at the run's first event, or at the oldest retained one: the owner
      // may have trimmed the run's start in the round trips between start() and this read.
      const defaultRead = !(request.after !== undefined && request.after > 0);
      let yielded = false;
      let cursor = readCursor(threadId, request.after, info);
      if (info.running && !local) {
        const owner = info.owner;
        member = `${this.instanceId}:${++this.readerSeq}`;
        this.remoteReaders.set(member, { threadId, owner });
        await this.redis(() =>
          this.cmd
            .zadd(tk.keys[5], Date.now() + this.leaseMs, member as string)
            .then(() => this.notifyOwner(owner, { type: "readers", threadId })),
        );
      }
      tail = await this.openTail(threadId, tk);
      while (!signal?.aborted) {
        const version = tail.version;
        const reply = await this.redis(() => this.cmd.asRead(...tk.keys, cursor + 1, READ_BATCH));
        const [entries, running, lease, , , metaExists] = reply;
        if (entries.length > 0) {
          const batch: LoggedEvent[] = [];
          let ended = false;
          for (const [rawId, fields] of entries) {
            const id = Number.parseInt(rawId, 10);
            if (id !== cursor + 1 + batch.length) {
              // Trimmed between the thread's state and this read: a default read starts at the
              // oldest retained event; an explicit id is gone.
              if (!yielded && batch.length === 0 && defaultRead) cursor = id - 1;
              else if (!yielded) throw runnerErrors.gone(threadId, cursor, id);
              else throw runnerErrors.slowReader(threadId, this.maxThreadBytes, id);
            }
            const json = fields[1] as string;
            batch.push({ id, event: JSON.parse(json) as BaseEvent, json });
            if (fields[2] === "x") {
              ended = true;
              break;
            }
          }
          cursor = (batch[batch.length - 1] as LoggedEvent).id;
          yielded = true;
          yield batch;
          if (ended) return;
          continue;
        }
        if (!metaExists)
          throw new RunnerError(
            "unavailable",
            `Thread "${threadId}" is gone from Redis (expired, or Redis lost its data)`,
          );
        if (running !== "1") return;
        if (!lease) {
          // The owner went silent past its lease: end the run for everyone, then read the end.
          await this.redis(() => this.cmd.asLost(...tk.keys, this.lostJson(), tk.channel, "", ""));
          continue;
        }
        const woke = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(true), this.pollMs);
          const onAbort = () => {
            clearTimeout(timer);
            resolve(false);
          };
          signal?.addEventListener("abort", onAbort, { once: true });
          this.changed(tail as Tail, version).then(() => {
            clearTimeout(timer);
            signal?.removeEventListener("abort", onAbort);
            resolve(true);
          });
        });
        if (!woke) return;
        if (this.closed) throw new RunnerError("unavailable", "The runner was closed");
      }
    } finally {
      local?.presence.detach();
      if (member) {
        const m = member;
        const entry = this.remoteReaders.get(m);
        this.remoteReaders.delete(m);
        void this.cmd
          .zrem(tk.keys[5], m)
          .then(() => entry && this.notifyOwner(entry.owner, { type: "readers", threadId }))
          .catch(() => {});
      }
      if (tail) this.closeTail(threadId, tail);
    }
  }

  /** @inheritDoc */
  async history(threadId: string): Promise<readonly BaseEvent[]> {
    const tk = this.threadKeys(threadId);
    const runs = await this.redis(() => this.cmd.lrange(tk.keys[3], 0, -1));
    return runs.flatMap((json) => JSON.parse(json) as BaseEvent[]);
  }

  /** @inheritDoc */
  async thread(threadId: string): Promise<(ThreadInfo & { owner: string }) | undefined> {
    const tk = this.threadKeys(threadId);
    for (let attempt = 0; ; attempt++) {
      const [meta, lease] = await this.redis(async () => {
        const replies = await this.cmd.multi().hgetall(tk.keys[0]).exists(tk.keys[2]).exec();
        return [replies?.[0]?.[1] as Record<string, string>, replies?.[1]?.[1] as number] as const;
      });
      if (!meta?.runId) return undefined;
      if (meta.running === "1" && !lease && attempt === 0) {
        const lost = await this.redis(() => this.cmd.asLost(...tk.keys, this.lostJson(), tk.channel, "", ""));
        if (Number(lost[0]) === 1)
          void this.compactLost(tk, Number(lost[1]), Number(lost[2])).catch(() => {});
        continue;
      }
      return {
        threadId,
        agentId: meta.agentId ?? "",
        runId: meta.runId,
        running: meta.running === "1",
        runFirstId: Number(meta.runFirstId),
        oldestId: Number(meta.oldestId),
        newestId: Number(meta.newestId),
        owner: meta.owner ?? "",
      };
    }
  }

  /** @inheritDoc */
  async stopRun(request: StopRunRequest): Promise<boolean> {
    const reason = request.reason ?? "stopped by user";
    const local = this.owned.get(request.threadId);
    if (local && !local.ended && !local.closed && !local.controller.signal.aborted) {
      if (request.runId !== undefined && request.runId !== local.runId) return false;
      local.controller.abort(reason);
      return true;
    }
    const info = await this.thread(request.threadId);
    if (!info?.running) return false;
    if (request.runId !== undefined && request.runId !== info.runId) return false;
    await this.notifyOwner(info.owner, {
      type: "stop",
      threadId: request.threadId,
      runId: info.runId,
      reason,
    });
    return true;
  }

  /**
   * @inheritDoc
   * On another instance's run, the answer goes to the owner as a control message and the
   * owner's verdict comes back on a one-off list (BLPOP on a connection of its own, 2 s at most).
   */
  async answer(request: AnswerRequest): Promise<AnswerResult> {
    const local = this.owned.get(request.threadId)?.asks ?? this.finishedAsks.get(request.threadId);
    const info = await this.thread(request.threadId);
    if (local && (!info?.owner || info.owner === this.instanceId))
      return local.answer(request.askId, request.value);
    // The run (or the last one) belongs to another instance: its owner decides.
    if (!info?.owner) return { status: "unknown" } as AnswerResult;
    const replyKey = `${this.prefix}answer:${randomUUID()}`;
    const waiter = this.cmd.duplicate({ enableOfflineQueue: true });
    try {
      await this.notifyOwner(info.owner, {
        type: "answer",
        threadId: request.threadId,
        askId: request.askId,
        value: request.value,
        replyKey,
      });
      const reply = await waiter.blpop(replyKey, 2);
      return reply ? (JSON.parse(reply[1]) as AnswerResult) : ({ status: "unknown" } as AnswerResult);
    } finally {
      waiter.disconnect();
    }
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
    for (const tail of this.tails.values()) this.wake(tail);
    await Promise.allSettled([this.sub.quit(), this.cmd.quit()]);
    this.cmd.disconnect();
    this.sub.disconnect();
  }

  // ---- internals ----

  private threadKeys(threadId: string): ThreadKeys {
    const base = `${this.prefix}t:{${threadId}}:`;
    return {
      keys: [`${base}meta`, `${base}log`, `${base}lease`, `${base}history`, `${base}seen`, `${base}readers`],
      channel: `${base}n`,
    };
  }

  private controlChannel(instanceId: string): string {
    return `${this.prefix}i:${instanceId}`;
  }

  private lostJson(): string {
    return JSON.stringify({
      type: "RUN_ERROR",
      message: `The server instance running this run went away (no heartbeat for ${this.leaseMs} ms); the output so far is kept`,
      code: "RUNNER_LOST",
      timestamp: Date.now(),
    });
  }

  /** Runs a Redis call; connection failures become `RunnerError("unavailable")`. */
  private async redis<T>(call: () => Promise<T>): Promise<T> {
    if (this.closed) throw new RunnerError("unavailable", "The Redis runner is closed");
    try {
      return await call();
    } catch (error) {
      if (error instanceof RunnerError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new RunnerError("unavailable", `Redis is unavailable (${message})`);
    }
  }

  /** Sends the buffered events (one APPEND call per batch, one batch in flight). */
  private kick(run: OwnedRun): Promise<void> {
    if (run.flushing) return run.flushing;
    const flushing = (async () => {
      while (run.buffer.length > 0 && !run.closed) {
        const pairs =
          run.buffer.length > APPEND_BATCH * 2 ? run.buffer.splice(0, APPEND_BATCH * 2) : run.buffer;
        if (pairs === run.buffer) run.buffer = [];
        const firstId = run.bufferFirstId;
        run.bufferFirstId += pairs.length / 2;
        const last = run.ended && run.buffer.length === 0;
        const seen = last ? [...run.seen] : [];
        let result: number;
        try {
          result = Number(
            await this.cmd.asAppend(
              ...run.tk.keys,
              run.token,
              firstId,
              this.maxThreadBytes,
              run.tk.channel,
              this.threadTtlMs,
              last ? run.history : "",
              this.maxThreadBytes,
              seen.length,
              ...seen,
              ...pairs,
            ),
          );
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.loseRun(
            run,
            new RunnerError("unavailable", `Redis is unavailable (${message})`),
            "Redis unavailable",
          );
          return;
        }
        if (result < 0) {
          this.loseRun(
            run,
            new RunnerError("runner_lost", "This instance lost the run's lease (it was silent too long)"),
            "run taken over",
          );
          return;
        }
        if (!run.firstFlushed) {
          run.firstFlushed = true;
          run.firstFlush.resolve();
        }
      }
    })();
    run.flushing = flushing.then(() => {
      run.flushing = undefined;
      if (run.buffer.length > 0 && !run.closed) return this.kick(run);
    });
    return run.flushing;
  }

  /** The run can no longer write: stop its generator. */
  private loseRun(run: OwnedRun, error: RunnerError, reason: string): void {
    run.closed = true;
    run.buffer = [];
    if (!run.firstFlushed) run.firstFlush.reject(error);
    if (!run.controller.signal.aborted) run.controller.abort(reason);
  }

  private release(run: OwnedRun): void {
    run.presence.cancel();
    if (!run.firstFlushed)
      run.firstFlush.reject(new RunnerError("unavailable", "The run could not be logged"));
    if (this.owned.get(run.threadId) === run) this.owned.delete(run.threadId);
    this.finishedAsks.delete(run.threadId);
    this.finishedAsks.set(run.threadId, run.asks);
    if (this.finishedAsks.size > 1000)
      this.finishedAsks.delete(this.finishedAsks.keys().next().value as string);
    if (run.closed && !run.ended && !this.closed) {
      // Redis went away mid-run: once it is back, end the run in the log (if it is still there).
      void this.finishLater(run);
    }
  }

  /** Ends a run that could not write its end, once Redis answers again (or gives up after the lease). */
  private async finishLater(run: OwnedRun): Promise<void> {
    const until = Date.now() + this.leaseMs;
    while (Date.now() < until && !this.closed) {
      await new Promise((r) => setTimeout(r, Math.min(500, this.pollMs * 5)));
      if (this.cmd.status !== "ready") continue;
      const json = JSON.stringify({
        type: "RUN_ERROR",
        message: "Redis was unavailable while the run was going on; the output so far is kept",
        code: "UNAVAILABLE",
        timestamp: Date.now(),
      });
      try {
        const lost = await this.cmd.asLost(...run.tk.keys, json, run.tk.channel, run.token, run.runId);
        if (Number(lost[0]) === 1) await this.compactLost(run.tk, Number(lost[1]), Number(lost[2]));
      } catch {
        continue;
      }
      return;
    }
  }

  /** Adds the compacted events of a run ended by someone else (owner lost) to the history. */
  private async compactLost(tk: ThreadKeys, firstId: number, lastId: number): Promise<void> {
    const entries = await this.cmd.xrange(tk.keys[1], `${firstId}-0`, `${lastId}-0`);
    const events = entries.map(([, fields]) => JSON.parse(fields[1] as string) as BaseEvent);
    if (events.length === 0) return;
    await this.cmd
      .multi()
      .rpush(tk.keys[3], JSON.stringify(compactEvents(events)))
      .pexpire(tk.keys[3], this.threadTtlMs)
      .exec();
  }

  private async remoteReaderCount(run: OwnedRun): Promise<number> {
    const key = run.tk.keys[5];
    const replies = await this.cmd.multi().zremrangebyscore(key, "-inf", Date.now()).zcard(key).exec();
    return Number(replies?.[1]?.[1] ?? 0);
  }

  private async notifyOwner(owner: string, message: Record<string, unknown>): Promise<void> {
    if (owner === this.instanceId) {
      this.onControl(message);
      return;
    }
    await this.cmd.publish(this.controlChannel(owner), JSON.stringify(message));
  }

  private onMessage(channel: string, message: string): void {
    if (channel === this.controlChannel(this.instanceId)) {
      try {
        this.onControl(JSON.parse(message) as Record<string, unknown>);
      } catch {
        // not ours
      }
      return;
    }
    const tail = this.tails.get(channel);
    if (tail) this.wake(tail);
  }

  private onControl(message: Record<string, unknown>): void {
    const run = this.owned.get(String(message.threadId));
    if (!run) {
      const asks = this.finishedAsks.get(String(message.threadId));
      if (message.type === "answer" && asks)
        this.reply(message, asks.answer(String(message.askId), message.value));
      return;
    }
    if (message.type === "stop") {
      if (message.runId !== undefined && message.runId !== run.runId) return;
      if (!run.ended && !run.controller.signal.aborted)
        run.controller.abort(typeof message.reason === "string" ? message.reason : "stopped by user");
    } else if (message.type === "readers") void run.presence.check();
    else if (message.type === "answer")
      this.reply(message, run.asks.answer(String(message.askId), message.value));
  }

  /** Sends an answer's verdict back to the instance that asked (on the message's reply list). */
  private reply(message: Record<string, unknown>, result: AnswerResult): void {
    if (typeof message.replyKey !== "string") return;
    void this.cmd
      .multi()
      .lpush(message.replyKey, JSON.stringify(result))
      .pexpire(message.replyKey, 10_000)
      .exec()
      .catch(() => undefined);
  }

  private async openTail(threadId: string, tk: ThreadKeys): Promise<Tail> {
    let tail = this.tails.get(tk.channel);
    if (!tail) {
      const created: Tail = { refs: 0, version: 0, subscribed: Promise.resolve(), wakeup: undefined };
      created.subscribed = this.sub.subscribe(tk.channel).then(
        () => undefined,
        () => undefined, // a lost wake-up costs one poll
      );
      this.tails.set(tk.channel, created);
      tail = created;
    }
    void threadId;
    tail.refs++;
    await tail.subscribed;
    return tail;
  }

  private closeTail(_threadId: string, tail: Tail): void {
    tail.refs--;
    if (tail.refs > 0) return;
    for (const [channel, t] of this.tails) {
      if (t !== tail) continue;
      this.tails.delete(channel);
      if (!this.closed && this.sub.status === "ready") void this.sub.unsubscribe(channel).catch(() => {});
    }
  }

  private changed(tail: Tail, version: number): Promise<void> {
    if (tail.version !== version) return Promise.resolve();
    if (!tail.wakeup) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      tail.wakeup = { promise, resolve };
    }
    return tail.wakeup.promise;
  }

  private wake(tail: Tail): void {
    tail.version++;
    const wakeup = tail.wakeup;
    tail.wakeup = undefined;
    wakeup?.resolve();
  }

  /** Redis went away: the runs this instance owns cannot log any more; readers learn it on their next read. */
  private onConnectionLost(): void {
    if (this.closed) return;
    for (const run of this.owned.values()) {
      if (!run.ended && !run.closed)
        this.loseRun(
          run,
          new RunnerError("unavailable", "Redis is unavailable (connection lost)"),
          "Redis unavailable",
        );
    }
    for (const tail of this.tails.values()) this.wake(tail);
  }

  /** Renews the leases of the runs owned here and the presence of the readers here. */
  private async beat(): Promise<void> {
    if (this.closed || this.cmd.status !== "ready") return;
    const pipeline = this.cmd.pipeline();
    const runs = [...this.owned.values()].filter((r) => !r.ended && !r.closed);
    for (const run of runs)
      (pipeline as unknown as ScriptClient).asRenew(
        ...run.tk.keys,
        run.token,
        this.leaseKeyMs,
        this.threadTtlMs,
      );
    const expiry = Date.now() + this.leaseMs;
    for (const [member, { threadId }] of this.remoteReaders)
      pipeline.zadd(this.threadKeys(threadId).keys[5], expiry, member);
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await pipeline.exec();
    } catch {
      return;
    }
    runs.forEach((run, i) => {
      const [error, renewed] = replies?.[i] ?? [null, 1];
      if (!error && Number(renewed) === 0)
        this.loseRun(
          run,
          new RunnerError("runner_lost", "This instance lost the run's lease"),
          "run taken over",
        );
      else void run.presence.check();
    });
  }
}

/** The URL without its password (for messages). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}
