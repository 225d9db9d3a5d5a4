/**
 * The Redis runner's two connections (commands, and subscriptions) with its Lua scripts defined,
 * and how a failure to reach Redis is reported.
 *
 * @packageDocumentation
 */
import { Redis, type RedisOptions } from "ioredis";
import { APPEND_SCRIPT, LOST_SCRIPT, READ_SCRIPT, RENEW_SCRIPT, START_SCRIPT } from "./scripts.js";

/** A script call: the six keys of a thread, then its arguments. */
export type Call = (...args: (string | number)[]) => Promise<unknown>;
/** The command connection, with the scripts as commands. */
export type Client = Redis & Record<"asRead" | "asAppend" | "asStart" | "asLost" | "asRenew", Call>;

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

/** The command and subscriber connections (not connected yet), named after the instance. */
export function createConnections(
  url: string,
  instanceId: string,
  extra: RedisOptions | undefined,
): { cmd: Client; sub: Redis } {
  const options = (role: string): RedisOptions => ({
    lazyConnect: true,
    // Fail fast while Redis is away (streams end with a clear error) and keep reconnecting.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(100 * times, 1_000),
    ...extra,
    connectionName: `agentstream-${role}-${instanceId}`,
  });
  const cmd = new Redis(url, options("cmd")) as Client;
  const scripts = {
    asRead: READ_SCRIPT,
    asAppend: APPEND_SCRIPT,
    asStart: START_SCRIPT,
    asLost: LOST_SCRIPT,
    asRenew: RENEW_SCRIPT,
  };
  for (const [command, lua] of Object.entries(scripts)) cmd.defineCommand(command, { numberOfKeys: 6, lua });
  return { cmd, sub: new Redis(url, options("sub")) };
}
