/**
 * Reconnect timing: exponential backoff with full jitter, capped, and a retry limit.
 *
 * @packageDocumentation
 */

/** How the run client reconnects after a dropped connection. */
export interface ReconnectOptions {
  /** Reconnect attempts in a row (reset once an event arrives) before giving up. Default 6; 0 never reconnects. */
  retries?: number;
  /** Base delay of the first attempt, in ms. Default 250. */
  minDelayMs?: number;
  /** The longest delay, in ms. Default 8,000. */
  maxDelayMs?: number;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  random?: () => number;
  /**
   * A connection that delivers no byte for this long (not even the server's heartbeat comment)
   * counts as dropped and is replaced by a resume, in ms. Keep it above the server's heartbeat
   * interval (`AGENTSTREAM_HEARTBEAT_MS`, 15 s by default). Default 45,000; 0 never times out.
   */
  idleTimeoutMs?: number;
}

/** {@link ReconnectOptions} with every default filled in. */
export type ReconnectPolicy = Required<ReconnectOptions>;

/** The policy for `options` (`false`: never reconnect). */
export function reconnectPolicy(options: ReconnectOptions | false | undefined): ReconnectPolicy {
  const o = options === false ? { retries: 0 } : (options ?? {});
  return {
    retries: Math.max(0, o.retries ?? 6),
    minDelayMs: Math.max(0, o.minDelayMs ?? 250),
    maxDelayMs: Math.max(0, o.maxDelayMs ?? 8_000),
    random: o.random ?? Math.random,
    idleTimeoutMs: Math.max(0, o.idleTimeoutMs ?? 45_000),
  };
}

/**
 * The delay before reconnect attempt `attempt` (0-based): a random point between half and all of
 * `min(max, min * 2^attempt)`, so clients that lost the same server do not come back in step.
 */
export function backoffDelay(attempt: number, policy: ReconnectPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * policy.random());
}
