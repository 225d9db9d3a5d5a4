/**
 * The Chromium pages of the workspace's end-to-end tests (the demo's e2e and the examples'):
 * Chromium launched as {@link chromiumLaunchOptions} says, and pages that record their console
 * errors and refuse (and record) every request that would leave this machine.
 */
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from "playwright-core";
import { chromiumLaunchOptions } from "./chromium.shared.js";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ ...chromiumLaunchOptions });
}

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** A page plus what it did that a test must check: console errors and requests leaving localhost. */
export interface RecordedPage {
  page: Page;
  context: BrowserContext;
  consoleErrors: string[];
  externalRequests: string[];
  close(): Promise<void>;
}

const isWeb = (url: URL) => /^(https?|wss?):$/.test(url.protocol);

/** A new context and page in `browser` that record console errors and requests leaving localhost. */
export async function openRecordedPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<RecordedPage> {
  const context = await browser.newContext(options);
  const consoleErrors: string[] = [];
  const externalRequests: string[] = [];
  // Every request goes through here: anything not for this machine is recorded and refused.
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (isWeb(url) && !LOCAL_HOSTS.has(url.hostname)) {
      externalRequests.push(url.href);
      return route.abort("blockedbyclient");
    }
    return route.continue();
  });
  // WebSockets do not go through route(): record them from the request listener too.
  context.on("request", (request) => {
    const url = new URL(request.url());
    if (isWeb(url) && !LOCAL_HOSTS.has(url.hostname) && !externalRequests.includes(url.href))
      externalRequests.push(url.href);
  });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(`pageerror: ${error.message}`));
  return { page, context, consoleErrors, externalRequests, close: () => context.close() };
}
