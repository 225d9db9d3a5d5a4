/**
 * The user's path through the run panel that the next-app and vite-react examples share
 * (`RunPanel`: useAgentStream + StreamView + StopButton + AgentStatus): a run streams into the
 * page, a reload attaches to the same run again, Stop ends the agent's generator, a second run
 * completes, and the console stays clean.
 */
import type { Browser } from "playwright-core";
import { expect } from "vitest";
import {
  isCount,
  observePanel,
  openPage,
  panelSamples,
  panelTokens,
  type RunningServer,
  waitForState,
  waitForTokens,
} from "./harness.js";

export async function checkRunPanel(browser: Browser, server: RunningServer): Promise<void> {
  const recorded = await openPage(browser);
  const { page } = recorded;
  try {
    await page.goto(`${server.url}/`);
    const runButton = page.getByRole("button", { name: "Run counter" });
    await runButton.waitFor();
    // The page is interactive once React hydrated it (Next.js renders the button on the server first).
    await page.waitForFunction(() => {
      const button = document.querySelector("form button[type=submit]");
      return button !== null && Object.keys(button).some((key) => key.startsWith("__react"));
    });

    // 1. A run streams into the page: 200 numbers, one every 50 ms.
    await page.getByLabel("Prompt").fill("200");
    await observePanel(page);
    await runButton.click();
    await waitForTokens(page, 15);
    const streaming = await panelSamples(page);
    const lengths = [...new Set(streaming.map((s) => s.tokens).filter((n) => n > 0))];
    expect(lengths.length, `intermediate lengths seen: ${lengths.join(", ")}`).toBeGreaterThanOrEqual(5);
    expect(
      streaming.some((s) => s.tokens > 0 && s.connection === "running"),
      "tokens shown while running",
    ).toBe(true);
    expect(isCount(await panelTokens(page)), "the numbers in order").toBe(true);
    const threadId = new URL(page.url()).searchParams.get("thread");
    expect(threadId, "the thread id in the URL").toBeTruthy();

    // 2. A reload attaches to the same run: what was sent before is replayed, then it goes on live.
    const beforeReload = (await panelTokens(page)).length;
    await page.reload();
    await page.getByText(`thread ${threadId}`).waitFor();
    await observePanel(page);
    await waitForTokens(page, beforeReload + 10);
    await waitForState(page, "connection", "running");
    const replayed = await panelTokens(page);
    expect(isCount(replayed), `after the reload: 1..n, no gap, nothing twice (${replayed.join(" ")})`).toBe(
      true,
    );
    expect(replayed.length).toBeLessThan(200);

    // 3. Stop: the generator ends on the server, the page says so, nothing arrives after it.
    await page.getByRole("button", { name: "Stop" }).click();
    await waitForState(page, "run-status", "interrupted");
    await waitForState(page, "connection", "stopped");
    await page.locator("[data-testid=stream] .as-interrupted").waitFor();
    const closed = await server.waitForLine(
      new RegExp(`generator closed after (\\d+) of 200 \\(thread ${threadId}\\)`),
    );
    const sent = Number(/after (\d+) of/.exec(closed)?.[1]);
    expect(sent).toBeLessThan(200);
    const atStop = (await panelTokens(page)).length;
    await page.waitForTimeout(600);
    const afterStop = await panelTokens(page);
    expect(afterStop.length, "no token after Stop").toBe(atStop);
    expect(afterStop.length).toBeLessThanOrEqual(sent);
    expect(await page.getByRole("button", { name: "Stop" }).isDisabled(), "Stop disabled once stopped").toBe(
      true,
    );

    // 4. A new run on the same page completes.
    await page.getByLabel("Prompt").fill("5");
    await runButton.click();
    await waitForState(page, "run-status", "completed");
    await waitForState(page, "connection", "done");
    expect(await panelTokens(page)).toEqual([1, 2, 3, 4, 5]);
    await page.locator("[data-testid=stream] .as-result").waitFor();

    expect(recorded.consoleErrors, "console errors").toEqual([]);
    expect(recorded.externalRequests, "requests leaving this machine").toEqual([]);
  } finally {
    await recorded.close();
  }
}
