/**
 * True outside production builds. Bundlers replace `process.env.NODE_ENV`; where nothing defines
 * `process` (a browser without a bundler) this is false, so the kit stays silent.
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
