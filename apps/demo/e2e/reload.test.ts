/**
 * Reloading the demo mid-answer, and switching agents mid-run, in Chromium against the built
 * demo and the real server (memory runner). The demo keeps its chat thread in the URL
 * (`?agent=…&thread=…`); a reloaded page hands it to CopilotKit's chat, which calls `/connect`:
 * the server replays the thread and follows the live run. A dropped connection only detaches
 * from the run, so the answer goes on while the page reloads.
 */
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import {
  demoSession,
  latestAnswer,
  pickAgent,
  printTimings,
  screenshot,
  sendAndObserve,
  timings,
  waitForStatus,
} from "./helpers.js";

const session = demoSession(inject("baseURL"), { onDone: printTimings });
const open = session.open;

const QUESTION = "How do server-sent events reconnect after a dropped connection?";
const LONG_QUESTION = "What is backpressure in streaming?";

/** The `?agent=…&thread=…` of the page. */
async function threadOf(page: Page): Promise<{ agent: string | null; thread: string | null }> {
  const url = new URL(page.url());
  return { agent: url.searchParams.get("agent"), thread: url.searchParams.get("thread") };
}

/** The states of the status rows in the chat (one per run: CopilotKit activity messages). */
async function chatStatusRows(page: Page): Promise<string[]> {
  return page.$$eval('#chat [data-activity="agentstream.status"] .as-status', (els) =>
    els.map((e) => e.getAttribute("data-state") ?? ""),
  );
}

/** The user messages shown in the chat. */
async function userMessages(page: Page): Promise<string[]> {
  return page.$$eval("#chat [data-testid=copilot-user-message]", (els) =>
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered.
    els.map((e) => (e as HTMLElement).innerText.trim()),
  );
}

/** Sentences that appear more often in `text` than in `reference`. */
function extraSentences(text: string, reference: string): string[] {
  const count = (s: string) => {
    const m = new Map<string, number>();
    for (const x of s.split(/(?<=[.!?])\s+|\n+/).map((t) => t.trim())) if (x) m.set(x, (m.get(x) ?? 0) + 1);
    return m;
  };
  const ref = count(reference);
  return [...count(text)].filter(([s, n]) => n > (ref.get(s) ?? 0)).map(([s]) => s);
}

/** Waits until the chat's answer has at least `chars` characters. */
async function answerLongerThan(page: Page, chars: number): Promise<number> {
  await expect
    .poll(async () => (await latestAnswer(page)).length, { timeout: 30_000, interval: 20 })
    .toBeGreaterThan(chars);
  return (await latestAnswer(page)).length;
}

/** An uninterrupted run of QUESTION with the research agent: its final chat text. */
let reference = "";

describe("the demo keeps its thread in the URL", () => {
  it("an uninterrupted run (the reference), its thread in the URL, and the chat's status row ends Completed", async () => {
    const { page } = await open();
    // A fresh page names no thread: the chat shows its welcome screen.
    expect((await threadOf(page)).thread).toBeNull();
    await pickAgent(page, "research");
    await sendAndObserve(page, QUESTION);
    await waitForStatus(page, "completed");
    await expect.poll(() => latestAnswer(page), { timeout: 10_000 }).toMatch(/Sources:/);
    reference = await latestAnswer(page);
    expect(reference.length).toBeGreaterThan(200);
    const { agent, thread } = await threadOf(page);
    expect(agent).toBe("research");
    expect(thread).toMatch(/^[\w-]{8,}$/);
    // The chat's status row says how the run ended.
    await expect.poll(() => chatStatusRows(page)).toEqual(["completed"]);
    // A reload after the end shows the same conversation (replayed by /connect).
    await page.reload();
    await page.getByTestId("agent-panel").waitFor();
    await expect.poll(() => latestAnswer(page), { timeout: 15_000 }).toBe(reference);
    expect(await userMessages(page)).toEqual([QUESTION]);
    expect(await threadOf(page)).toEqual({ agent, thread });
    await waitForStatus(page, "completed", 15_000);
    expect(await chatStatusRows(page)).toEqual(["completed"]);
  });

  // Reload at several points of the answer: the answer goes on to its end, no sentence twice.
  for (const [label, share] of [
    ["at its first words", 0],
    ["halfway", 0.45],
    ["near its end", 0.8],
  ] as const) {
    it(`reloading ${label} reattaches: the chat and the panel show the run so far, and the answer ends as the reference`, async () => {
      expect(reference, "the reference run").not.toBe("");
      const { page, consoleErrors } = await open();
      await pickAgent(page, "research");
      await sendAndObserve(page, QUESTION);
      const seen = await answerLongerThan(page, Math.max(1, Math.floor(reference.length * share)));
      const before = await threadOf(page);
      expect(before.thread).not.toBeNull();
      const t0 = Date.now();
      await page.reload();
      await page.getByTestId("agent-panel").waitFor();
      expect(await threadOf(page)).toEqual(before);
      // The reattached page shows the conversation so far at once (replayed), then the rest live.
      await expect.poll(() => userMessages(page), { timeout: 15_000 }).toEqual([QUESTION]);
      const lengths: number[] = [];
      const panelStates = new Set<string>();
      const deadline = Date.now() + 60_000;
      let answer = "";
      for (;;) {
        answer = await latestAnswer(page);
        if (lengths.at(-1) !== answer.length) lengths.push(answer.length);
        panelStates.add(
          (await page
            .getByTestId("run-status")
            .getAttribute("data-state")
            .catch(() => null)) ?? "",
        );
        if (answer === reference || Date.now() > deadline) break;
        await page.waitForTimeout(30);
      }
      expect(extraSentences(answer, reference), "sentences shown twice").toEqual([]);
      expect(answer).toBe(reference);
      // The agent panel (useAgentRun) reattached too: it follows the run and ends completed with it.
      await waitForStatus(page, "completed", 15_000);
      const panelText = (await page.getByTestId("run-stream").textContent()) ?? "";
      expect(panelText).toContain(reference.slice(0, 40).trim().split("\n")[0]);
      expect(await chatStatusRows(page)).toEqual(["completed"]);
      if (share === 0) {
        // Reloaded at the first words: the rest streamed live after the reload, and the panel saw
        // the run busy. (Later reloads may find the run over: the page takes about a second to load.)
        expect(lengths.length, `lengths after reload: ${lengths.join(", ")}`).toBeGreaterThanOrEqual(2);
        expect([...panelStates].some((s) => ["started", "thinking", "acting", "observing"].includes(s))).toBe(
          true,
        );
      }
      // Still once after the end, and after a moment.
      await page.waitForTimeout(500);
      expect(await latestAnswer(page)).toBe(reference);
      expect(consoleErrors).toEqual([]);
      timings.push({
        flow: `reload ${label}`,
        completeMs: Date.now() - t0,
        note: `${seen} chars before the reload`,
      });
      if (share === 0.45) await screenshot(page, "reloaded-mid-answer");
    });
  }

  it("Stop works on a reattached run: the panel and the chat's status row say Interrupted, and a reload keeps it so", async () => {
    const { page } = await open();
    await pickAgent(page, "research");
    // A longer answer (about 5 s), so that the run is still going after the reload.
    await sendAndObserve(page, LONG_QUESTION);
    await answerLongerThan(page, 0);
    await page.reload();
    await page.getByTestId("agent-panel").waitFor();
    // Reattached to the live run: the panel's Stop is enabled again.
    const stop = page.getByRole("button", { name: "Stop the research agent" });
    await expect.poll(() => stop.isEnabled(), { timeout: 15_000 }).toBe(true);
    await stop.click({ timeout: 5_000 });
    await waitForStatus(page, "interrupted", 10_000);
    await expect.poll(() => chatStatusRows(page), { timeout: 10_000 }).toEqual(["interrupted"]);
    const partial = await latestAnswer(page);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial).not.toMatch(/Sources:/); // it did not run to the end
    await page.waitForTimeout(800);
    expect(await latestAnswer(page)).toBe(partial);
    // The thread remembers how it ended.
    await page.reload();
    await page.getByTestId("agent-panel").waitFor();
    await expect.poll(() => latestAnswer(page), { timeout: 15_000 }).toBe(partial);
    await expect.poll(() => chatStatusRows(page), { timeout: 10_000 }).toEqual(["interrupted"]);
    await waitForStatus(page, "interrupted", 10_000);
  });

  it("switching agents mid-run: the panel shows only the new agent's run; back again, the first run went on", async () => {
    const { page } = await open();
    await pickAgent(page, "research");
    await sendAndObserve(page, QUESTION);
    await answerLongerThan(page, 60);
    const research = await threadOf(page);

    await pickAgent(page, "calculator");
    // A new agent, a new thread: nothing of the research run in the panel or the chat.
    expect((await threadOf(page)).agent).toBe("calculator");
    expect((await threadOf(page)).thread).toBeNull();
    await waitForStatus(page, "idle", 5_000);
    expect(await page.getByTestId("run-stream").getAttribute("data-source")).toBe("agent");
    expect(await page.locator("[data-testid=run-stream] .empty-state").count()).toBe(1);
    // The research run streams on on the server meanwhile: none of it reaches this page's panel.
    await page.waitForTimeout(800);
    await waitForStatus(page, "idle", 1_000);
    expect(await page.locator("[data-testid=run-stream] .empty-state").count()).toBe(1);

    await sendAndObserve(page, "2 * (3 + 4) ^ 2 / 7");
    await waitForStatus(page, "completed");
    const calc = (await page.getByTestId("run-stream").textContent()) ?? "";
    const calcAnswer = await latestAnswer(page);
    expect(calc).toMatch(/14/);
    expect(calc.toLowerCase()).not.toContain("server-sent");
    expect(await userMessages(page)).toEqual(["2 * (3 + 4) ^ 2 / 7"]);
    const calculator = await threadOf(page);
    expect(calculator.thread).not.toBeNull();
    expect(calculator.thread).not.toBe(research.thread);

    // Back to research: its thread again, replayed; the run finished while nobody watched.
    await pickAgent(page, "research");
    expect(await threadOf(page)).toEqual(research);
    await expect.poll(() => latestAnswer(page), { timeout: 30_000 }).toBe(reference);
    expect(await userMessages(page)).toEqual([QUESTION]);
    await waitForStatus(page, "completed", 15_000);
    // The panel shows the research run again, and nothing of the calculator's.
    const panel = (await page.getByTestId("run-stream").textContent()) ?? "";
    expect(panel).toContain("server-sent");
    expect(calcAnswer.length).toBeGreaterThan(0);
    expect(panel).not.toContain(calcAnswer.slice(0, 30));
  });
});
