/**
 * How every browser test and benchmark of the workspace launches Chromium: Debian's build (the
 * only browser this network can install; `CHROMIUM_PATH` overrides it), headless, with the
 * background services off (this machine's closed network refuses their connections).
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Flags for a headless Chromium run as root on a closed network. */
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** playwright `launchOptions` with the above. */
export const chromiumLaunchOptions = { executablePath: chromiumPath, args: chromiumArgs };
