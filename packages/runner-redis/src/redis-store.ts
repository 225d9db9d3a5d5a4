/**
 * The Redis log store: threads' logs shared by several server instances (the run engine does the
 * rest).
 *
 * - One Redis Stream per thread; entry id `<eventId>-0`, so the thread's integer ids are the
 *   stream's ids. One Lua script call per appended batch, with the ownership check, the
 *   byte-bounded trim and the wake-up PUBLISH in it.
 * - Reads are one script that returns the entries and the thread's state atomically; readers wait
 *   on a per-thread pub/sub channel, one subscription per thread per instance however many readers.
 * - A run's lease is a key (SET NX PX) renewed by the engine's heartbeat; a run whose lease expired
 *   is ended by whoever notices (a script, so only once).
 * - Control messages (stop, answer, readers) reach an instance on its own channel; an answer's
 *   verdict comes back on a one-off list.
 * - Thread keys expire `threadTtlMs` after the last run ended (or the last heartbeat).
 *
 * @packageDocumentation
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { BaseEvent } from "@ag-ui/core";
import { type AnswerResult, RunnerError, type RunnerHealth } from "@agentstream/runtime";
import type {
  ClaimResult,
  ControlHandler,
  ControlMessage,
  LogEntry,
  LogPage,
  LogSpan,
  LogStore,
  LogTail,
  RunClaim,
  RunEnd,
  SharedLog,
  StoredThread,
} from "@agentstream/runtime/runner";
import type { Redis, RedisOptions } from "ioredis";
import { type Call, type Client, createConnections, RedisUnavailableError, redactUrl } from "./connection.js";

/** What the store needs to know. */
export interface RedisStoreOptions {
  readonly url: string;
  readonly prefix: string;
  readonly leaseMs: number;
  readonly threadTtlMs: number;
  readonly maxThreadBytes: number;
  readonly redis?: RedisOptions;
}

type Keys = [meta: string, log: string, lease: string, history: string, seen: string, readers: string];
/** entries, running, lease exists, oldestId, newestId, meta exists */
type ReadReply = [[string, string[]][], string, number, string, string, number];

/** Wake-ups of one thread's readers on this instance. */
interface Wakeups {
  refs: number;
  version: number;
  subscribed: Promise<void>;
  resolve: (() => void) | undefined;
  promise: Promise<void> | undefined;
}

/** The {@link LogStore} on Redis. See the module documentation. */
export class RedisLogStore implements LogStore, SharedLog {
  readonly name = "redis";
  readonly shared: SharedLog = this;
  readonly instanceId = randomUUID();
  readonly leaseMs: number;
  readonly pollMs: number;
  /** The lease key's expiry: 80% of `leaseMs` (renewed every quarter), so a dead owner is noticed within `leaseMs`. */
  private readonly leaseKeyMs: number;
  private readonly cmd: Client;
  private readonly sub: Redis;
  private readonly wakeups = new Map<string, Wakeups>();
  private controlHandler: ControlHandler = () => {};

  /** The command connection (ioredis), e.g. for counters that should share this Redis (run limits). */
  get client(): Client {
    return this.cmd;
  }
  private disconnectHandler: () => void = () => {};
  private lastError = "";
  private closed = false;

  constructor(private readonly options: RedisStoreOptions) {
    this.leaseMs = options.leaseMs;
    this.leaseKeyMs = Math.max(50, Math.floor(options.leaseMs * 0.8));
    this.pollMs = Math.max(20, Math.min(1000, Math.floor(options.leaseMs / 10)));
    ({ cmd: this.cmd, sub: this.sub } = createConnections(options.url, this.instanceId, options.redis));
    for (const client of [this.cmd, this.sub]) {
      client.on("error", (error: Error) => {
        this.lastError = error.message;
      });
      client.on("close", () => this.onClose());
    }
    this.sub.on("message", (channel: string, message: string) => this.onMessage(channel, message));
  }

  /** Connects to Redis; rejects with {@link RedisUnavailableError} when it cannot be reached. */
  async connect(): Promise<void> {
    try {
      await Promise.all([this.cmd.connect(), this.sub.connect()]);
      await this.sub.subscribe(this.controlChannel(this.instanceId));
      await this.cmd.ping();
    } catch (error) {
      this.cmd.disconnect();
      this.sub.disconnect();
      const message = error instanceof Error ? error.message : String(error);
      const reason = (this.lastError || message || "unreachable").split("\n")[0] as string;
      throw new RedisUnavailableError(
        `cannot connect to Redis at ${redactUrl(this.options.url)}: ${reason}`,
        reason,
      );
    }
  }

  health(): RunnerHealth {
    if (this.cmd.status === "ready" && this.sub.status === "ready") return { status: "ok", runner: "redis" };
    const detail = `Redis ${this.cmd.status}${this.lastError ? `: ${this.lastError}` : ""}`;
    return { status: "degraded", runner: "redis", detail };
  }

  // ---- the log ----

  async claim(claim: RunClaim, lostEvent: BaseEvent): Promise<ClaimResult> {
    const k = this.keys(claim.threadId);
    const { leaseKeyMs, options } = this;
    const args = [
      claim.token,
      claim.runId,
      claim.agentId,
      leaseKeyMs,
      JSON.stringify(lostEvent),
      this.channel(claim.threadId),
      options.threadTtlMs,
      this.instanceId,
      claim.creator ?? "",
    ];
    const reply = (await this.redis(() => this.cmd.asStart(...k, ...args))) as [
      number,
      number | string,
      number?,
      number?,
    ];
    if (Number(reply[0]) === 0) return { claimed: false, runId: String(reply[1]) };
    const lostFirst = Number(reply[2] ?? 0);
    const lost = lostFirst > 0 ? { firstId: lostFirst, lastId: Number(reply[3]) } : undefined;
    return { claimed: true, firstId: Number(reply[1]), lost };
  }

  async append(claim: RunClaim, firstId: number, entries: readonly LogEntry[], end?: RunEnd): Promise<void> {
    const { maxThreadBytes, threadTtlMs } = this.options;
    const seen = end?.seen ?? [];
    const pairs: string[] = [];
    for (const entry of entries) pairs.push(entry.json, end && entry === entries.at(-1) ? "1" : "0");
    const args = [
      claim.token,
      firstId,
      maxThreadBytes,
      this.channel(claim.threadId),
      threadTtlMs,
      end?.historyJson ?? "",
      maxThreadBytes,
      seen.length,
      ...seen,
      ...pairs,
    ];
    const newest = Number(await this.redis(() => this.cmd.asAppend(...this.keys(claim.threadId), ...args)));
    if (newest < 0)
      throw new RunnerError("runner_lost", "This instance lost the run's lease (it was silent too long)");
  }

  async read(threadId: string, fromId: number, max: number): Promise<LogPage> {
    const reply = (await this.redis(() => this.cmd.asRead(...this.keys(threadId), fromId, max))) as ReadReply;
    const [raw, running, lease, , , exists] = reply;
    const entries = raw.map(([id, fields]) => {
      const json = fields[1] as string;
      return { id: Number.parseInt(id, 10), event: JSON.parse(json) as BaseEvent, json };
    });
    return { entries, running: running === "1", leased: Boolean(lease), exists: Boolean(exists) };
  }

  async thread(threadId: string): Promise<StoredThread | undefined> {
    const k = this.keys(threadId);
    const replies = await this.redis(() => this.cmd.multi().hgetall(k[0]).exists(k[2]).exec());
    const meta = replies?.[0]?.[1] as Record<string, string> | undefined;
    if (!meta?.runId) return undefined;
    return {
      threadId,
      agentId: meta.agentId ?? "",
      runId: meta.runId,
      running: meta.running === "1",
      runFirstId: Number(meta.runFirstId),
      oldestId: Number(meta.oldestId),
      newestId: Number(meta.newestId),
      ...(meta.creator ? { creator: meta.creator } : {}),
      owner: meta.owner ?? "",
      leased: Boolean(replies?.[1]?.[1]),
    };
  }

  async history(threadId: string): Promise<readonly BaseEvent[]> {
    const runs = await this.redis(() => this.cmd.lrange(this.keys(threadId)[3], 0, -1));
    return runs.flatMap((json) => JSON.parse(json) as BaseEvent[]);
  }

  async seen(threadId: string, messageIds: readonly string[]): Promise<boolean[]> {
    const key = this.keys(threadId)[4];
    const seen = (await this.redis(() => this.cmd.smismember(key, ...messageIds))) as number[];
    void this.cmd
      .multi()
      .sadd(key, ...messageIds)
      .pexpire(key, this.options.threadTtlMs)
      .exec()
      .catch(() => {});
    return seen.map(Boolean);
  }

  async tail(threadId: string): Promise<LogTail> {
    const channel = this.channel(threadId);
    let w = this.wakeups.get(channel);
    if (!w) {
      // A failed subscription costs a poll per wake-up.
      const subscribed = this.sub.subscribe(channel).then(
        () => undefined,
        () => undefined,
      );
      w = { refs: 0, version: 0, subscribed, resolve: undefined, promise: undefined };
      this.wakeups.set(channel, w);
    }
    const wakeups = w;
    wakeups.refs++;
    await wakeups.subscribed;
    return {
      get version() {
        return wakeups.version;
      },
      changed: (version) => {
        if (wakeups.version !== version) return Promise.resolve();
        wakeups.promise ??= new Promise<void>((resolve) => {
          wakeups.resolve = resolve;
        });
        return wakeups.promise;
      },
      close: () => {
        if (--wakeups.refs > 0 || this.wakeups.get(channel) !== wakeups) return;
        this.wakeups.delete(channel);
        if (!this.closed && this.sub.status === "ready") void this.sub.unsubscribe(channel).catch(() => {});
      },
    };
  }

  // ---- shared between instances ----

  async renew(claims: readonly RunClaim[]): Promise<boolean[]> {
    if (claims.length === 0) return [];
    const pipeline = this.cmd.pipeline() as unknown as Record<"asRenew", Call> & {
      exec(): Promise<[Error | null, unknown][] | null>;
    };
    for (const c of claims)
      pipeline.asRenew(...this.keys(c.threadId), c.token, this.leaseKeyMs, this.options.threadTtlMs);
    const replies = await pipeline.exec();
    return claims.map((_, i) => {
      const [error, renewed] = replies?.[i] ?? [null, 1];
      return Boolean(error) || Number(renewed) !== 0;
    });
  }

  async endLost(threadId: string, event: BaseEvent, token = "", runId = ""): Promise<LogSpan | undefined> {
    const args = [JSON.stringify(event), this.channel(threadId), token, runId];
    const reply = (await this.redis(() => this.cmd.asLost(...this.keys(threadId), ...args))) as number[];
    return Number(reply[0]) === 1 ? { firstId: Number(reply[1]), lastId: Number(reply[2]) } : undefined;
  }

  async range(threadId: string, span: LogSpan): Promise<BaseEvent[]> {
    const entries = await this.cmd.xrange(this.keys(threadId)[1], `${span.firstId}-0`, `${span.lastId}-0`);
    return entries.map(([, fields]) => JSON.parse(fields[1] as string) as BaseEvent);
  }

  async addHistory(threadId: string, history: string): Promise<void> {
    const key = this.keys(threadId)[3];
    await this.cmd.multi().rpush(key, history).pexpire(key, this.options.threadTtlMs).exec();
  }

  async addReaders(
    readers: readonly { threadId: string; member: string }[],
    expiresAt: number,
  ): Promise<void> {
    const pipeline = this.cmd.pipeline();
    for (const r of readers) pipeline.zadd(this.keys(r.threadId)[5], expiresAt, r.member);
    await this.redis(() => pipeline.exec());
  }

  async removeReader(threadId: string, member: string): Promise<void> {
    await this.cmd.zrem(this.keys(threadId)[5], member);
  }

  async readerCount(threadId: string): Promise<number> {
    const key = this.keys(threadId)[5];
    const replies = await this.cmd.multi().zremrangebyscore(key, "-inf", Date.now()).zcard(key).exec();
    return Number(replies?.[1]?.[1] ?? 0);
  }

  async send(owner: string, message: ControlMessage): Promise<void> {
    await this.cmd.publish(this.controlChannel(owner), JSON.stringify(message));
  }

  async request(
    owner: string,
    message: ControlMessage,
    timeoutMs: number,
  ): Promise<AnswerResult | undefined> {
    const replyKey = `${this.options.prefix}answer:${randomUUID()}`;
    const waiter = this.cmd.duplicate({ enableOfflineQueue: true });
    try {
      await this.cmd.publish(this.controlChannel(owner), JSON.stringify({ ...message, replyKey }));
      const reply = await waiter.blpop(replyKey, Math.max(1, Math.ceil(timeoutMs / 1000)));
      return reply ? (JSON.parse(reply[1]) as AnswerResult) : undefined;
    } finally {
      waiter.disconnect();
    }
  }

  onControl(handler: ControlHandler): void {
    this.controlHandler = handler;
  }

  onDisconnect(handler: () => void): void {
    this.disconnectHandler = handler;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.wakeups.values()) this.wake(w);
    await Promise.allSettled([this.sub.quit(), this.cmd.quit()]);
    this.cmd.disconnect();
    this.sub.disconnect();
  }

  // ---- internals ----

  /** The six keys of a thread (one hash slot, thanks to the `{threadId}` tag); see scripts.ts. */
  /** @inheritDoc */
  async secret(): Promise<string> {
    const key = `${this.options.prefix}secret`;
    const mine = randomBytes(32).toString("base64url");
    const [, got] = (await this.redis(() => this.cmd.multi().set(key, mine, "NX").get(key).exec())) ?? [];
    const value = got?.[1];
    if (typeof value !== "string" || value === "")
      throw new RunnerError("unavailable", "Redis did not return the shared secret");
    return value;
  }

  private keys(threadId: string): Keys {
    const base = `${this.options.prefix}t:{${threadId}}:`;
    return [`${base}meta`, `${base}log`, `${base}lease`, `${base}history`, `${base}seen`, `${base}readers`];
  }

  /** The wake-up channel of a thread's readers. */
  private channel(threadId: string): string {
    return `${this.options.prefix}t:{${threadId}}:n`;
  }

  private controlChannel(instanceId: string): string {
    return `${this.options.prefix}i:${instanceId}`;
  }

  /** Runs a Redis call; failures become `RunnerError("unavailable")`. */
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

  private onMessage(channel: string, message: string): void {
    if (channel !== this.controlChannel(this.instanceId)) {
      const w = this.wakeups.get(channel);
      if (w) this.wake(w);
      return;
    }
    let parsed: ControlMessage & { replyKey?: unknown };
    try {
      parsed = JSON.parse(message) as ControlMessage & { replyKey?: unknown };
    } catch {
      return; // not ours
    }
    const replyKey = parsed.replyKey;
    this.controlHandler(parsed, (result) => {
      if (typeof replyKey !== "string") return;
      void this.cmd
        .multi()
        .lpush(replyKey, JSON.stringify(result))
        .pexpire(replyKey, 10_000)
        .exec()
        .catch(() => undefined);
    });
  }

  private wake(w: Wakeups): void {
    w.version++;
    const resolve = w.resolve;
    w.resolve = undefined;
    w.promise = undefined;
    resolve?.();
  }

  /** A connection closed: runs owned here cannot log any more; waiting readers look again. */
  private onClose(): void {
    if (this.closed) return;
    this.disconnectHandler();
    for (const w of this.wakeups.values()) this.wake(w);
  }
}
