/**
 * How much one client may start (issue 25, "Limits"): runs per minute and runs at once, per
 * client key, counted by rate-limiter-flexible — in memory, or in Redis when the server is given a
 * Redis client (`storeClient`, e.g. the Redis runner's connection), so every instance sharing that
 * Redis shares the counters, atomically. Over a limit a run request gets 429 `rate_limited` with
 * `Retry-After`, before anything runs.
 *
 * The client key: `key(request)` when given (e.g. the user your `authorize` knows), else the
 * bearer token (hashed), else the peer's address — behind a trusted proxy the forwarded one.
 *
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { TrustProxy } from "../handler/cors.js";
import { compileTrust } from "../handler/cors.js";
import { HttpError } from "./errors.js";

/** Limits on what one client may start. */
export interface RunLimitsOptions {
  /** Runs one client may start per minute (`AGENTSTREAM_RUNS_PER_MINUTE`). Default: no limit. */
  runsPerMinute?: number;
  /** Runs of one client running at once (`AGENTSTREAM_CONCURRENT_RUNS`). Default: no limit. */
  concurrentRuns?: number;
  /** The client key of a request; default: the bearer token (hashed), else the address. */
  key?: (request: Request, remoteAddress: string) => string | Promise<string>;
  /**
   * An ioredis client: the counters live in Redis, shared by every instance that uses the same
   * Redis (atomic). Default: in this process's memory.
   */
  storeClient?: unknown;
  /** Prefix of the counters' Redis keys. Default `agentstream:limits`. */
  keyPrefix?: string;
}

/** What counts against a limit: a release function for the concurrent-runs slot (call once, when the run ends). */
export type RunAdmission = () => void;

/** Seconds a concurrent-run slot is held at most (a crashed instance's slots expire after this). */
const SLOT_TTL_S = 3600;

function limiter(points: number, duration: number, name: string, options: RunLimitsOptions) {
  const keyPrefix = `${options.keyPrefix ?? "agentstream:limits"}:${name}`;
  return options.storeClient
    ? new RateLimiterRedis({ storeClient: options.storeClient, points, duration, keyPrefix })
    : new RateLimiterMemory({ points, duration, keyPrefix });
}

/** The forwarded client address when the peer is a trusted proxy (`X-Forwarded-For`, right to left). */
function clientAddress(request: Request, peer: string, trusted: (address: string) => boolean): string {
  const forwarded = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  let address = peer;
  while (address !== "" && trusted(address) && forwarded.length > 0) address = forwarded.pop() as string;
  return address;
}

function defaultKey(trustProxy: TrustProxy | undefined) {
  const trusted = compileTrust(trustProxy);
  return (request: Request, remoteAddress: string): string => {
    const auth = request.headers.get("authorization");
    if (auth?.startsWith("Bearer "))
      return `token:${createHash("sha256").update(auth.slice(7)).digest("base64url").slice(0, 22)}`;
    return `addr:${clientAddress(request, remoteAddress, trusted) || "unknown"}`;
  };
}

function tooMany(what: string, limit: number, retryS: number): never {
  throw new HttpError(
    429,
    "rate_limited",
    `Too many runs: ${what} is ${limit}; retry in ${retryS} s`,
    { limit, retryAfterSeconds: retryS },
    { "Retry-After": String(retryS) },
  );
}

/** Seconds until a per-minute limit lets the next run through. */
const retryAfter = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/** The limiter, or `undefined` when no limit is set. */
export interface RunLimiter {
  /** Counts a run request of this client; 429 when over a limit. Returns the release of its concurrent slot. */
  admit(request: Request, remoteAddress: string): Promise<RunAdmission>;
}

/**
 * Which limit refused a run (the `limit` label in `/metrics`): a client's `per_minute` or
 * `concurrent` limit (429), or the instance's `maxRuns` (`instance`, 503).
 */
export type RunLimitName = "per_minute" | "concurrent" | "instance";

/**
 * Builds the run limiter from the options; `undefined` when neither limit is set.
 *
 * @throws TypeError for a limit that is not a positive integer
 */
export function createRunLimiter(
  options: RunLimitsOptions | undefined,
  trustProxy: TrustProxy | undefined,
  onRefused: (limit: RunLimitName) => void = () => {},
): RunLimiter | undefined {
  if (!options || (options.runsPerMinute === undefined && options.concurrentRuns === undefined))
    return undefined;
  for (const name of ["runsPerMinute", "concurrentRuns"] as const) {
    const v = options[name];
    if (v !== undefined && (!Number.isInteger(v) || v < 1))
      throw new TypeError(`limits.${name} must be a positive integer (got ${String(v)})`);
  }
  const key = options.key ?? defaultKey(trustProxy);
  const perMinute =
    options.runsPerMinute === undefined ? undefined : limiter(options.runsPerMinute, 60, "runs", options);
  const concurrent =
    options.concurrentRuns === undefined
      ? undefined
      : limiter(options.concurrentRuns, SLOT_TTL_S, "concurrent", options);
  return {
    async admit(request, remoteAddress) {
      const k = await key(request, remoteAddress);
      if (perMinute)
        await perMinute.consume(k).catch((res: unknown) => {
          if (!(res instanceof RateLimiterRes)) throw res;
          onRefused("per_minute");
          tooMany("the limit per minute", options.runsPerMinute as number, retryAfter(res));
        });
      if (!concurrent) return () => {};
      await concurrent.consume(k).catch(async (res: unknown) => {
        if (!(res instanceof RateLimiterRes)) throw res;
        // A refused consume still counts: give the point back (and the minute's), nothing started.
        await concurrent.reward(k).catch(() => {});
        await perMinute?.reward(k).catch(() => {});
        onRefused("concurrent");
        // A slot frees when one of the client's runs ends: try again soon.
        tooMany("the limit of runs at once", options.concurrentRuns as number, 1);
      });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        void concurrent.reward(k).catch(() => {});
      };
    },
  };
}
