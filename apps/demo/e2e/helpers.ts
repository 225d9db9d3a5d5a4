/**
 * Browser helpers of the e2e tests: Chromium (playwright-core, Debian's /usr/bin/chromium), a page
 * that records console errors and any request leaving this machine, and chat helpers that
 * measure what a user sees (time to first token, intermediate lengths, completion).
 */
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { launchBrowser, openRecordedPage, type RecordedPage } from "../../../browser.shared.js";

export { launchBrowser, type RecordedPage };

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "../../..");
/** Git-ignored screenshots of every run. */
export const screenshotDir = join(repoRoot, "screenshots");
/** The committed screenshot the README shows (written only with UPDATE_DOCS_SCREENSHOT=1). */
export const docsScreenshot = join(repoRoot, "apps/demo/docs/screenshot.png");

export async function openDemo(
  browser: Browser,
  baseURL: string,
  options: { colorScheme?: "light" | "dark"; viewport?: { width: number; height: number } } = {},
): Promise<RecordedPage> {
  const recorded = await openRecordedPage(browser, {
    viewport: options.viewport ?? { width: 1600, height: 1000 },
    deviceScaleFactor: 1,
    colorScheme: options.colorScheme ?? "light",
    reducedMotion: "no-preference",
  });
  const { page } = recorded;
  await page.goto(`${baseURL}/`);
  await page.getByRole("main").waitFor();
  await chatInput(page).waitFor();
  // CopilotKit connects to the runtime before it can run an agent.
  await page.waitForFunction(() => document.querySelector("[data-testid=copilot-chat]") !== null);
  return recorded;
}

export function chatInput(page: Page) {
  return page.locator("#chat textarea").first();
}

/** Picks an agent in the header's picker. */
export async function pickAgent(page: Page, id: string): Promise<void> {
  await page.getByLabel("Agent", { exact: true }).selectOption(id);
  await page.waitForFunction(
    (agent) => document.querySelector("[data-testid=agent-panel] .agent-chip")?.textContent === agent,
    id,
  );
}

/** One observation of the chat's latest answer. */
export interface Sample {
  /** Milliseconds since the message was sent. */
  t: number;
  /** Length of the answer text shown in the chat. */
  length: number;
  /** The agent panel's status. */
  status: string;
  /** The agent panel's main progress bar: "value/max" ("?/max" when indeterminate). */
  progress: string;
}

/**
 * Installs an in-page observer (MutationObserver: no polling, no missed frames) that records
 * every change of the chat's answer to the latest user message and of the panel's status, then
 * sends `text` as a user would (type, Enter).
 */
export async function sendAndObserve(page: Page, text: string): Promise<void> {
  const input = chatInput(page);
  await input.click();
  await input.fill(text);
  await page.evaluate(() => {
    type W = typeof window & { __observer?: MutationObserver; __samples?: Sample[]; __t0?: number };
    const w = window as W;
    w.__observer?.disconnect();
    const samples: Sample[] = [];
    w.__samples = samples;
    const t0 = performance.now();
    w.__t0 = t0;
    const before = document.querySelectorAll("#chat [data-testid=copilot-user-message]").length;
    const read = () => {
      const list = document.querySelector("#chat [data-testid=copilot-message-list]");
      if (!list) return;
      const users = list.querySelectorAll("[data-testid=copilot-user-message]");
      if (users.length <= before) return; // our message is not shown yet
      const lastUser = users[users.length - 1] as Element;
      let length = 0;
      for (const m of list.querySelectorAll("[data-testid=copilot-assistant-message]")) {
        if (lastUser.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING) {
          // innerText: the text as rendered, what the user reads.
          // biome-ignore lint/performance/useDomNodeTextContent: rendered text is the point.
          length += ((m.firstElementChild as HTMLElement | null)?.innerText ?? "").trim().length;
        }
      }
      const status = document.querySelector("[data-testid=run-status]")?.getAttribute("data-state") ?? "";
      const bar = document.querySelector("[data-testid=agent-panel] [role=progressbar]");
      const progress = bar
        ? `${bar.getAttribute("aria-valuenow") ?? "?"}/${bar.getAttribute("aria-valuemax") ?? "?"}`
        : "";
      const last = samples[samples.length - 1];
      if (!last || last.length !== length || last.status !== status || last.progress !== progress) {
        samples.push({ t: Math.round(performance.now() - t0), length, status, progress });
      }
    };
    w.__observer = new MutationObserver(read);
    w.__observer.observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ["data-state", "aria-valuenow"],
    });
  });
  await input.press("Enter");
}

export async function samples(page: Page): Promise<Sample[]> {
  return page.evaluate(() => (window as typeof window & { __samples?: Sample[] }).__samples ?? []);
}

/** Waits until the agent panel's status is `state` (data-state of the AgentStatus badge). */
export async function waitForStatus(page: Page, state: string | RegExp, timeout = 60_000): Promise<void> {
  const source = state instanceof RegExp ? state.source : `^${state}$`;
  await page.waitForFunction(
    (re) =>
      new RegExp(re).test(
        document.querySelector("[data-testid=run-status]")?.getAttribute("data-state") ?? "",
      ),
    source,
    { timeout },
  );
}

/** The text of the chat's answers to the latest user message. */
export async function latestAnswer(page: Page): Promise<string> {
  return page.evaluate(() => {
    const list = document.querySelector("#chat [data-testid=copilot-message-list]");
    if (!list) return "";
    const users = list.querySelectorAll("[data-testid=copilot-user-message]");
    const lastUser = users[users.length - 1];
    if (!lastUser) return "";
    return (
      [...list.querySelectorAll("[data-testid=copilot-assistant-message]")]
        .filter((m) => lastUser.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING)
        // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, what the user reads.
        .map((m) => (m.firstElementChild as HTMLElement | null)?.innerText ?? "")
        .join("\n")
        .trim()
    );
  });
}

/** One AG-UI event as the server logged it (`type` plus its fields). */
export type LoggedEvent = { type: string; [field: string]: unknown };

/**
 * The events of the chat's current run as the server keeps them: the thread named in the page's
 * URL (`?thread=`), read from `GET /api/agents/:agent/threads/:thread/events` (the run's log,
 * replayed; the response ends with the run). What the server sent, to compare what the chat shows.
 */
export async function serverRunEvents(page: Page, agentId: string): Promise<LoggedEvent[]> {
  const threadId = new URL(page.url()).searchParams.get("thread");
  if (!threadId) throw new Error(`serverRunEvents: the page's URL names no thread (${page.url()})`);
  const body = await page.evaluate(async (path) => {
    const res = await fetch(path, { headers: { accept: "text/event-stream" } });
    return `${res.status}\n${await res.text()}`;
  }, `/api/agents/${agentId}/threads/${threadId}/events`);
  const [status, ...lines] = body.split("\n");
  if (status !== "200") throw new Error(`serverRunEvents: ${status} ${lines.join("\n").slice(0, 300)}`);
  return lines
    .filter((line) => line.startsWith("data:"))
    .map((line) => JSON.parse(line.slice(5)) as LoggedEvent);
}

/** Text with its whitespace collapsed and markdown's emphasis marks dropped: what a reader reads. */
export function readable(text: string): string {
  return text
    .replace(/[*_`#>]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Timings a test saw, printed at the end of the run. */
export const timings: { flow: string; firstTokenMs?: number; completeMs?: number; note?: string }[] = [];

export function printTimings(): void {
  if (timings.length === 0) return;
  const lines = timings.map(
    (t) =>
      `  ${t.flow.padEnd(28)} first token ${t.firstTokenMs === undefined ? "—" : `${t.firstTokenMs} ms`}`.padEnd(
        56,
      ) +
      ` completed ${t.completeMs === undefined ? "—" : `${t.completeMs} ms`}${t.note ? `  (${t.note})` : ""}`,
  );
  console.log(`[e2e] timings seen in the browser (from pressing Enter):\n${lines.join("\n")}`);
}

/** What {@link demoSession} gives a test file. */
export interface DemoSession {
  /** Opens the demo in a fresh context; the page is closed and checked after the test. */
  open(options?: Parameters<typeof openDemo>[2]): Promise<RecordedPage>;
  /** Console errors the current test expects (reset after each test). */
  allowErrors(...patterns: RegExp[]): void;
}

/**
 * The e2e lifecycle of a test file: one Chromium for the file; after every test the page it
 * opened is closed and checked (no request leaves this machine, no console error but those the
 * test allowed); `onDone` runs once the browser is closed.
 */
export function demoSession(baseURL: string, options: { onDone?: () => void } = {}): DemoSession {
  let browser: Browser | undefined;
  let current: RecordedPage | undefined;
  let allowed: RegExp[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async () => {
    const recorded = current;
    const expected = allowed;
    current = undefined;
    allowed = [];
    if (!recorded) return;
    await recorded.close();
    expect(recorded.externalRequests, "requests to hosts other than localhost").toEqual([]);
    expect(
      recorded.consoleErrors.filter((e) => !expected.some((re) => re.test(e))),
      "console errors",
    ).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    options.onDone?.();
  });
  return {
    async open(openOptions) {
      if (!browser)
        throw new Error("demoSession: the browser is not launched yet (call open() inside a test)");
      current = await openDemo(browser, baseURL, openOptions);
      return current;
    },
    allowErrors(...patterns) {
      allowed = patterns;
    },
  };
}
