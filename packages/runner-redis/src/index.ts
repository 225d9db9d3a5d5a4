/**
 * `@agentstream/runner-redis`: the AgentStream runner on Redis. Several server instances share
 * runs (run on one, resume, follow or stop from any) and survive an instance dying.
 *
 * ```ts
 * const runner = new RedisRunner({ url: process.env.REDIS_URL });
 * await runner.ready(); // or: await RedisRunner.open({ url })
 * const server = createAgentServer({ agents: { echo }, runner });
 * ```
 *
 * @packageDocumentation
 */

export { RedisUnavailableError, redactUrl } from "./connection.js";
export { redisRunnerOptionsFromEnv } from "./env.js";
export { REDIS_RUNNER_DEFAULTS, RedisRunner, type RedisRunnerOptions } from "./redis-runner.js";
export { RedisLogStore, type RedisStoreOptions } from "./redis-store.js";
