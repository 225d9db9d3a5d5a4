/**
 * True outside production builds. Bundlers replace `process.env.NODE_ENV`; where nothing defines
 * `process` (a browser without a bundler) this is false, so the kit stays silent.
 *
 * A bundler cannot see through this call: a development-only branch is written
 * `isDev() && process.env.NODE_ENV !== "production" && …`, so a production build drops it (its
 * messages included), and without `process` the first test stops it before `process` is read.
 */
export function isDev(): boolean {
  try {
    return process.env.NODE_ENV !== "production";
  } catch {
    return false;
  }
}

/** Logs a development-time error about invalid props (like Radix). Silent in production. */
export function devError(message: string): void {
  if (isDev()) console.error(`[@agentstream/react] ${message}`);
}
