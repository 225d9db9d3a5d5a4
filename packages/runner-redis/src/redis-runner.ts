/**
 * The Redis runner: runs shared by several server instances. The run engine over the Redis log
 * store: a run executes on the instance that started it (its owner); its events go to Redis, and
 * any instance can replay and follow them, resume from an event id, stop the run or answer its
 * questions. When the owner dies its lease expires and the first instance to notice ends the run
 * (`RUNNER_LOST`, the partial output kept); the thread can run again.
 *
 * @packageDocumentation
 */
import type { RunnerOptions } from "@agentstream/runtime";
import { RUNNER_DEFAULTS, RunEngine } from "@agentstream/runtime/runner";
import type { RedisOptions } from "ioredis";
import { RedisLogStore } from "./redis-store.js";

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

/** The runner on Redis. See the module documentation. Call {@link ready} before use (or use {@link RedisRunner.open}). */
export class RedisRunner extends RunEngine {
  private readonly redisStore: RedisLogStore;

  constructor(options: RedisRunnerOptions = {}) {
    const store = new RedisLogStore({
      url: options.url ?? REDIS_RUNNER_DEFAULTS.url,
      prefix: options.prefix ?? REDIS_RUNNER_DEFAULTS.prefix,
      leaseMs: options.leaseMs ?? REDIS_RUNNER_DEFAULTS.leaseMs,
      threadTtlMs: options.threadTtlMs ?? REDIS_RUNNER_DEFAULTS.threadTtlMs,
      maxThreadBytes: options.maxThreadBytes ?? RUNNER_DEFAULTS.maxThreadBytes,
      redis: options.redis,
    });
    super(store, options);
    this.redisStore = store;
  }

  /**
   * The runner's command connection (ioredis): pass it as `limits.storeClient` so the run limits
   * are counted in the same Redis, shared by every instance.
   */
  get redis(): RedisLogStore["client"] {
    return this.redisStore.client;
  }

  /** A runner, connected (see {@link ready}). */
  static async open(options: RedisRunnerOptions = {}): Promise<RedisRunner> {
    const runner = new RedisRunner(options);
    await runner.ready();
    return runner;
  }

  /**
   * Connects to Redis (call once, before use); rejects with `RedisUnavailableError` when Redis
   * cannot be reached. (Not `connect`: that is CopilotKit's.)
   */
  ready(): Promise<void> {
    return this.redisStore.connect();
  }
}
