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
  readable,
  screenshot,
  sendAndObserve,
  serverRunEvents,
  timings,
  waitForStatus,
} from "./helpers.js";
import {
  connectStreamEnd,
  frozenServer,
  liveRunShown,
  loadSamples,
  nextFrames,
  observeFromLoad,
} from "./reattach.js";

const baseURL = inject("baseURL");
const serverPid = inject("serverPid");
const session = demoSession(baseURL, { onDone: printTimings });
const open = session.open;
const BUSY = ["started", "thinking", "acting", "observing"];

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
    await expect.poll(() => chatStatusRows(page), { timeout: 10_000 }).toEqual(["completed"]);
  });

  // Reload at several points of the answer: the answer goes on to its end, no sentence twice.
  for (const [label, share] of [
    ["at its first words", 0],
    ["halfway", 0.45],
    ["near its end", 0.8],
  ] as const) {
    it(`reloading ${label} reattaches: the chat and the panel show the run so far, and the answer ends as the reference`, async () => {
      expect(reference, "the reference run").not.toBe("");
      const { page, context, consoleErrors } = await open();
      const server = await frozenServer(baseURL, serverPid);
      await pickAgent(page, "research");
      await sendAndObserve(page, QUESTION);
      const seen = await answerLongerThan(page, Math.max(1, Math.floor(reference.length * share)));
      const before = await threadOf(page);
      expect(before.thread).not.toBeNull();
      // Every state the reloaded page shows, from its first frame (no polling to miss one).
      await observeFromLoad(context);
      const streamEnd = connectStreamEnd(page);
      const t0 = Date.now();
      if (share === 0) {
        // At the first words the run must still be going when the page has reattached: the
        // server stands still while Chromium reloads (seconds on a loaded machine, longer than the
        // rest of the run) and moves on in steps of a token or two until the page shows the run.
        await server.during(page, async (frozen) => {
          await frozen.reload(page);
          await frozen.until(page, liveRunShown, "the reattached run live");
        });
      } else {
        // Later reloads may find the run over: the page takes about a second to load.
        await page.reload();
      }
      await page.getByTestId("agent-panel").waitFor();
      expect(await threadOf(page)).toEqual(before);
      // The reattached page shows the conversation so far at once (replayed), then the rest live.
      await expect.poll(() => userMessages(page), { timeout: 15_000 }).toEqual([QUESTION]);
      let answer = "";
      await expect
        .poll(async () => (answer = await latestAnswer(page)), { timeout: 60_000 })
        .toBe(reference)
        .catch(() => {}); // checked below, with the sentences shown twice first
      expect(extraSentences(answer, reference), "sentences shown twice").toEqual([]);
      expect(answer).toBe(reference);
      // The agent panel (useAgentRun) reattached too: it follows the run and ends completed with it.
      await waitForStatus(page, "completed", 15_000);
      const panelText = (await page.getByTestId("run-stream").textContent()) ?? "";
      expect(panelText).toContain(reference.slice(0, 40).trim().split("\n")[0]);
      await expect.poll(() => chatStatusRows(page), { timeout: 10_000 }).toEqual(["completed"]);
      const shown = await loadSamples(page);
      const lengths = shown.map((s) => s.length).filter((n, i, all) => n > 0 && n !== all[i - 1]);
      if (share === 0) {
        // Reloaded at the first words: the rest streamed live after the reload (the answer was
        // shown at two lengths at least), and the panel saw the run busy.
        expect(lengths.length, `lengths after reload: ${lengths.join(", ")}`).toBeGreaterThanOrEqual(2);
        expect(
          shown.some((s) => BUSY.includes(s.status)),
          `panel states after reload: ${[...new Set(shown.map((s) => s.status))].join(", ")}`,
        ).toBe(true);
      }
      // Still once after the end: the reattached stream has closed (nothing more can arrive), and
      // what it brought is on screen.
      await streamEnd;
      await nextFrames(page);
      expect(await latestAnswer(page)).toBe(reference);
      expect(consoleErrors).toEqual([]);
      timings.push({
        flow: `reload ${label}`,
        completeMs: Date.now() - t0,
        note: `${seen} chars before the reload, ${lengths[0] ?? 0} first shown after it`,
      });
      if (share === 0.45) await screenshot(page, "reloaded-mid-answer");
    });
  }

  it("Stop works on a reattached run: the panel and the chat's status row say Interrupted, and a reload keeps it so", async () => {
    const { page } = await open();
    const server = await frozenServer(baseURL, serverPid);
    await pickAgent(page, "research");
    // A longer answer (about 5 s). The server stands still from its first words until Stop is
    // pressed, but for the steps the reattaching page needs: the run cannot end first, however
    // slow the reload and the click are on a loaded machine.
    await sendAndObserve(page, LONG_QUESTION);
    await answerLongerThan(page, 0);
    const stop = page.getByRole("button", { name: "Stop the research agent" });
    await server.during(page, async (frozen) => {
      await frozen.reload(page);
      // Reattached to the live run: the panel's Stop is enabled again.
      await frozen.until(page, liveRunShown, "the reattached run live, its Stop enabled");
      expect(await stop.isEnabled()).toBe(true);
      const stopSent = page.waitForRequest((r) =>
        /\/agent\/research\/stop\//.test(new URL(r.url()).pathname),
      );
      await stop.click({ timeout: 5_000 });
      await stopSent; // the server reads it when it goes on
    });
    await waitForStatus(page, "interrupted", 10_000);
    await expect.poll(() => chatStatusRows(page), { timeout: 10_000 }).toEqual(["interrupted"]);
    // What the server sent (its log of the thread, which ends with the run): the run was stopped,
    // and no token came after that.
    const events = await serverRunEvents(page, "research");
    const interruptedAt = events.findIndex(
      (e) => e.type === "CUSTOM" && e.name === "agentstream.interrupted",
    );
    expect(interruptedAt, events.map((e) => e.type).join(" ")).toBeGreaterThan(0);
    expect(events.slice(interruptedAt).filter((e) => e.type === "TEXT_MESSAGE_CONTENT")).toEqual([]);
    const sent = readable(
      events
        .filter((e) => e.type === "TEXT_MESSAGE_CONTENT")
        .map((e) => String(e.delta))
        .join(""),
    );
    expect(sent.length).toBeGreaterThan(0);
    // The chat shows every token that was sent (it may render a frame after the panel's status)…
    await expect.poll(async () => readable(await latestAnswer(page)), { timeout: 5_000 }).toContain(sent);
    const partial = await latestAnswer(page);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial).not.toMatch(/Sources:/); // it did not run to the end
    // …and nothing more: the run is over on the server, and what it sent is on screen.
    await nextFrames(page);
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
