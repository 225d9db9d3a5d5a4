/**
 * Redis runner options from the environment.
 *
 * @packageDocumentation
 */
import type { RedisRunnerOptions } from "./redis-runner.js";

function int(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name} must be an integer >= ${min} (got ${JSON.stringify(value)})`);
  return n;
}

/**
 * Reads `REDIS_URL`, `AGENTSTREAM_REDIS_PREFIX` (default `agentstream:`), `AGENTSTREAM_RUN_LEASE_MS`
 * (default 10 000), `AGENTSTREAM_REDIS_THREAD_TTL_MS` (default 24 h) and
 * `AGENTSTREAM_DETACHED_RUN_MS`. Undefined when `REDIS_URL` is not set (the memory runner then).
 *
 * @throws on malformed numbers, naming the variable
 */
export function redisRunnerOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): RedisRunnerOptions | undefined {
  const url = env.REDIS_URL?.trim();
  if (!url) return undefined;
  const options: RedisRunnerOptions = {
    url,
    prefix: env.AGENTSTREAM_REDIS_PREFIX?.trim() || undefined,
    leaseMs: int(env.AGENTSTREAM_RUN_LEASE_MS, "AGENTSTREAM_RUN_LEASE_MS", 100),
    threadTtlMs: int(env.AGENTSTREAM_REDIS_THREAD_TTL_MS, "AGENTSTREAM_REDIS_THREAD_TTL_MS", 1000),
    detachedRunMs: int(env.AGENTSTREAM_DETACHED_RUN_MS, "AGENTSTREAM_DETACHED_RUN_MS", 0),
  };
  for (const key of Object.keys(options) as (keyof RedisRunnerOptions)[]) {
    if (options[key] === undefined) delete options[key];
  }
  return options;
}
