/**
 * One status on every surface (issue 26), in Chromium against the built demo and the real server.
 * "Draft a section about backpressure": the default agent's run (CopilotKit route) hands the
 * `draftSection` app action over to the page, which streams the research agent over the plain
 * route into the document. Stopped mid-answer, every surface says so, in neutral styling: the
 * chat's status row of the run, the chat's tool card, its steps and bar, the panel's header, its
 * badges, its tool card and the action's record; nothing still spins. The same after a reload.
 * A completed run leaves nothing busy behind either (no "Observing", every bar at its end).
 */
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import {
  demoSession,
  latestAnswer,
  pickAgent,
  samples,
  screenshot,
  sendAndObserve,
  waitForStatus,
} from "./helpers.js";

const session = demoSession(inject("baseURL"));
const open = session.open;

const DRAFT = "Draft a section about backpressure";
/** Statuses and labels that say something still runs (or, for a stopped turn, that it completed). */
const BUSY_STATES = ["started", "thinking", "acting", "observing"];
const LIVE_LABELS = /\b(Running|Preparing|Started|Thinking|Acting|Observing|In progress)\b/;

/** What every surface of the page says, read in one go. */
interface Surfaces {
  /** The chat's status rows (one per run). */
  chatRows: string[];
  /** The chat's tool cards: state, data-run-state, badge text. */
  chatCards: { state: string; runState: string; badge: string }[];
  /** The panel's header badge. */
  header: { state: string; label: string };
  /** Every status badge in the panel (header, timeline, lanes, the action's record). */
  panelBadges: string[];
  /** The tool cards inside the panel. */
  panelCards: { state: string; badge: string }[];
  /** Every step, in the chat and in the panel, with whether it is drawn in the error colour. */
  steps: { where: string; state: string; icon: string; errorColour: boolean }[];
  /** Every progress bar: where and its data-state. */
  bars: { where: string; state: string; label: string }[];
  /** The visible labels of every status badge and tool badge (steps are checked by state). */
  labels: string[];
  /** Elements with a running animation. */
  animated: string[];
  /** Elements that say they are busy (aria-busy=true, or a status badge's data-busy). */
  busy: string[];
}

async function surfaces(page: Page): Promise<Surfaces> {
  return page.evaluate(() => {
    const all = (sel: string) => [...document.querySelectorAll<HTMLElement>(sel)];
    const text = (el: Element | null) => (el?.textContent ?? "").replace(/\s+/g, " ").trim();
    const where = (el: Element) =>
      el.closest("#chat") ? "chat" : el.closest("[data-testid=agent-panel]") ? "panel" : "page";
    // The computed error colour, to tell a stopped step from a failed one by how it looks.
    const probe = document.createElement("span");
    probe.style.color = "var(--as-color-danger)";
    document.body.append(probe);
    const danger = getComputedStyle(probe).color;
    probe.remove();
    const describe = (el: Element) =>
      `${where(el)}: ${el.tagName.toLowerCase()}.${String((el as HTMLElement).className)}`;
    return {
      chatRows: all('#chat [data-activity="agentstream.status"] .as-status').map(
        (e) => e.dataset.state ?? "",
      ),
      chatCards: all("#chat article.as-tool").map((e) => ({
        state: e.dataset.state ?? "",
        runState: e.dataset.runState ?? "",
        badge: text(e.querySelector(".as-tool__badge")),
      })),
      header: {
        state: document.querySelector<HTMLElement>("[data-testid=run-status]")?.dataset.state ?? "",
        label: text(document.querySelector("[data-testid=run-status] .as-status__label")),
      },
      panelBadges: all("[data-testid=agent-panel] .as-status").map((e) => e.dataset.state ?? ""),
      panelCards: all("[data-testid=agent-panel] article.as-tool").map((e) => ({
        state: e.dataset.state ?? "",
        badge: text(e.querySelector(".as-tool__badge")),
      })),
      steps: all(".as-step").map((e) => ({
        where: where(e),
        state: e.dataset.state ?? "",
        icon: text(e.querySelector(".as-step__icon")),
        errorColour: getComputedStyle(e).color === danger,
      })),
      bars: all("[role=progressbar]").map((e) => ({
        where: where(e),
        state: e.dataset.state ?? "",
        label: e.getAttribute("aria-label") ?? "",
      })),
      labels: [...all(".as-status .as-status__label").map(text), ...all(".as-tool__badge").map(text)],
      // Keyframe animations that run (a pulse, a bouncing dot, an indeterminate bar); a bar's short
      // transition to its final width is not one.
      animated: document
        .getAnimations()
        .filter((a) => a.playState === "running" && !(a instanceof CSSTransition))
        .map((a) => {
          const target = (a.effect as KeyframeEffect | null)?.target;
          const name = a instanceof CSSAnimation ? a.animationName : a.constructor.name;
          return `${target ? describe(target) : "?"} (${name})`;
        }),
      busy: [...all("[aria-busy=true]"), ...all(".as-status[data-busy]")].map(describe),
    };
  });
}

/** Waits for the draft to be under way: the chat's card runs and its "Write" step is active. */
async function draftUnderWay(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelector("#chat article.as-tool[data-state=called]") !== null &&
      [...document.querySelectorAll("#chat .as-step[data-state=active]")].some((s) =>
        s.textContent?.includes("Write"),
      ),
    undefined,
    { timeout: 30_000 },
  );
}

/** Waits until CopilotKit's chat says its agent is not running (its own loading cursor gone). */
async function chatAtRest(page: Page): Promise<void> {
  await page.waitForFunction(
    () => document.querySelector("[data-copilot-running]")?.getAttribute("data-copilot-running") === "false",
    undefined,
    { timeout: 15_000 },
  );
}

/** Nothing on the page still looks live: no busy badge, no running animation, no live step or bar. */
function expectNothingLive(s: Surfaces): void {
  expect(s.animated, "running animations").toEqual([]);
  expect(s.busy, "busy elements").toEqual([]);
  expect(
    s.labels.filter((l) => LIVE_LABELS.test(l)),
    "labels saying something runs",
  ).toEqual([]);
  expect(s.steps.filter((x) => x.state === "active" || x.state === "pending")).toEqual([]);
  expect(s.bars.filter((b) => b.state === "indeterminate" || b.state === "loading")).toEqual([]);
  expect(s.panelBadges.filter((b) => BUSY_STATES.includes(b))).toEqual([]);
  expect(s.chatRows.filter((b) => BUSY_STATES.includes(b))).toEqual([]);
}

/** A stopped step is drawn as stopped (■, neutral), never as a failure (✕ in the error colour). */
function expectStoppedSteps(s: Surfaces, where: "chat" | "panel"): void {
  const steps = s.steps.filter((x) => x.where === where);
  expect(steps.map((x) => x.state)).toEqual(["done", "stopped"]);
  const stopped = steps.find((x) => x.state === "stopped");
  expect(stopped?.icon).toBe("■");
  expect(stopped?.errorColour, "the stopped step is not in the error colour").toBe(false);
  expect(s.steps.filter((x) => x.state === "failed")).toEqual([]);
}

/** The turn was stopped: every surface says interrupted, nothing says completed or running. */
function expectTurnStopped(s: Surfaces, { afterReload }: { afterReload: boolean }): void {
  expect(s.chatRows).toEqual(["interrupted"]);
  expect(s.chatCards).toEqual([{ state: "interrupted", runState: "interrupted", badge: "■ Stopped" }]);
  expect(s.header).toEqual({ state: "interrupted", label: "Interrupted" });
  expect(s.panelCards).toEqual([{ state: "interrupted", badge: "■ Stopped" }]);
  expect(
    s.panelBadges.every((b) => b === "interrupted"),
    `panel badges: ${s.panelBadges.join(", ")}`,
  ).toBe(true);
  expect(
    s.labels.filter((l) => /Completed|Done/.test(l)),
    "labels saying it completed",
  ).toEqual([]);
  // The bars of the ended turn are frozen where they stopped (neutral), not full, not animated.
  expect(s.bars.length).toBeGreaterThan(0);
  expect(
    s.bars.filter((b) => b.state !== "stopped"),
    "bars not at 'stopped'",
  ).toEqual([]);
  if (!afterReload) {
    // The card's and the action's steps (the handler's run, kept by this page).
    expectStoppedSteps(s, "chat");
    expectStoppedSteps(s, "panel");
  }
  expectNothingLive(s);
}

describe("one status on every surface: Stop mid-answer", () => {
  it("Stop (CopilotKit's stopAgent: the chat's Stop, here the panel's) mid draft: every surface says interrupted, nothing spins; the same after a reload", async () => {
    const { page } = await open();
    await sendAndObserve(page, DRAFT);
    await draftUnderWay(page);
    await page.waitForTimeout(300);
    // Mid-answer, the surfaces agree the turn is busy.
    const mid = await surfaces(page);
    expect(mid.chatRows).toEqual(["acting"]);
    expect(mid.chatCards.map((c) => c.state)).toEqual(["called"]);
    expect(BUSY_STATES).toContain(mid.header.state);
    const stop = page.getByRole("button", { name: "Stop the default agent" });
    expect(await stop.isEnabled()).toBe(true);
    const before = (await samples(page)).length;
    await stop.click();

    await waitForStatus(page, "interrupted", 10_000);
    await expect
      .poll(async () => (await surfaces(page)).chatRows, { timeout: 10_000 })
      .toEqual(["interrupted"]);
    // Until Stop was pressed, nothing said the turn had ended (no flash of "interrupted" or "completed").
    const seen = (await samples(page)).slice(0, before).map((x) => x.status);
    expect(
      seen.filter((x) => x === "interrupted" || x === "completed"),
      `statuses: ${seen.join(", ")}`,
    ).toEqual([]);
    // Nothing more happens: no follow-up run, the states hold.
    await page.waitForTimeout(800);
    await chatAtRest(page);
    const stopped = await surfaces(page);
    expectTurnStopped(stopped, { afterReload: false });
    expect(await stop.isDisabled()).toBe(true);
    expect(await latestAnswer(page)).not.toMatch(/I ran draftSection/);
    const record = page.locator('[data-testid=action-run][data-action="draftSection"]');
    expect(await record.getAttribute("data-state")).toBe("interrupted");
    await screenshot(page, "stop-surfaces-stopped");

    // After a reload the page no longer has the action's run; the thread says how it ended.
    await page.reload();
    await page.getByTestId("agent-panel").waitFor();
    await waitForStatus(page, "interrupted", 15_000);
    await expect
      .poll(async () => (await surfaces(page)).chatCards.map((c) => c.state), { timeout: 15_000 })
      .toEqual(["interrupted"]);
    await chatAtRest(page);
    await page.waitForTimeout(500);
    expectTurnStopped(await surfaces(page), { afterReload: true });
    await screenshot(page, "stop-surfaces-reloaded");
  });

  it("the chat card's 'Stop action' stops the action alone: it says stopped everywhere, the agent answers, nothing spins; the same after a reload", async () => {
    const { page } = await open();
    await sendAndObserve(page, DRAFT);
    await draftUnderWay(page);
    await page.waitForTimeout(300);
    await page.locator("#chat article.as-tool").getByRole("button", { name: "Stop action" }).click();
    // The agent hears the action was interrupted and says so (its follow-up run).
    await expect
      .poll(() => latestAnswer(page), { timeout: 20_000 })
      .toMatch(/I ran draftSection[\s\S]*Interrupted/);
    await waitForStatus(page, "completed");
    await chatAtRest(page);
    await page.waitForTimeout(500);
    const s = await surfaces(page);
    // The run that handed the action over ended with it stopped; the agent's answer completed.
    expect(s.chatRows).toEqual(["interrupted", "completed"]);
    expect(s.chatCards).toEqual([{ state: "interrupted", runState: "interrupted", badge: "■ Stopped" }]);
    const record = page.locator('[data-testid=action-run][data-action="draftSection"]');
    expect(await record.getAttribute("data-state")).toBe("interrupted");
    expect(await record.locator(".as-status").getAttribute("data-state")).toBe("interrupted");
    expectStoppedSteps(s, "chat");
    expectStoppedSteps(s, "panel");
    expect(s.bars.filter((b) => b.label === "Write").map((b) => b.state)).toEqual(["stopped", "stopped"]);
    expectNothingLive(s);

    await page.reload();
    await page.getByTestId("agent-panel").waitFor();
    await waitForStatus(page, "completed", 15_000);
    await expect
      .poll(async () => (await surfaces(page)).chatRows, { timeout: 15_000 })
      .toEqual(["interrupted", "completed"]);
    await chatAtRest(page);
    const reloaded = await surfaces(page);
    expect(reloaded.chatCards.map((c) => [c.state, c.badge])).toEqual([["interrupted", "■ Stopped"]]);
    expectNothingLive(reloaded);
  });
});

describe("one status on every surface: runs that complete", () => {
  it("a completed run leaves no busy badge ('Observing') and every bar at its end", async () => {
    const { page } = await open();
    await pickAgent(page, "research");
    await sendAndObserve(page, "What is backpressure in streaming?");
    await waitForStatus(page, "completed");
    await expect.poll(() => latestAnswer(page), { timeout: 10_000 }).toMatch(/Sources:/);
    await chatAtRest(page);
    await page.waitForTimeout(300);
    let s = await surfaces(page);
    expect(s.panelBadges.filter((b) => b === "observing")).toEqual([]);
    expect(s.bars.length).toBeGreaterThan(0);
    expect(
      s.bars.filter((b) => b.state !== "complete"),
      "bars not complete",
    ).toEqual([]);
    expect(s.panelCards.filter((c) => c.state !== "complete")).toEqual([]);
    expectNothingLive(s);

    // The draft: the agent's run, the handed-over action (its steps and bars), the answer.
    await pickAgent(page, "default");
    await sendAndObserve(page, DRAFT);
    await expect.poll(() => latestAnswer(page), { timeout: 40_000 }).toMatch(/I ran draftSection/);
    await waitForStatus(page, "completed");
    await chatAtRest(page);
    await page.waitForTimeout(300);
    s = await surfaces(page);
    expect(s.chatRows).toEqual(["completed", "completed"]);
    expect(s.chatCards.map((c) => c.state)).toEqual(["complete"]);
    expect(s.steps.length).toBeGreaterThan(0);
    expect(s.steps.filter((x) => x.state !== "done")).toEqual([]);
    expect(
      s.bars.filter((b) => b.state !== "complete"),
      "bars not complete",
    ).toEqual([]);
    expectNothingLive(s);
  });
});

describe("a question appears once to answer", () => {
  it("the panel shows the analyst's question read-only and leads to the chat's card, which answers it", async () => {
    const { page } = await open();
    await pickAgent(page, "analyst");
    await sendAndObserve(
      page,
      ["Analyze this CSV:", "city,population,area", "Oslo,709000,454", "Bergen,291000,465"].join("\n"),
    );
    const chatCard = page.locator('#chat [data-activity="agentstream.ask"] .as-ask');
    await chatCard.waitFor({ timeout: 20_000 });
    const panelCard = page.getByTestId("panel-question");
    await panelCard.waitFor({ timeout: 10_000 });
    // The chat's card answers (buttons, focus, announcement); the panel's copy is read-only and says where to answer.
    expect(await panelCard.getAttribute("data-read-only")).toBe("true");
    expect(await panelCard.getByRole("button", { name: "population" }).isDisabled()).toBe(true);
    expect(await panelCard.locator("[aria-live=polite]").textContent()).toBe("");
    expect(await chatCard.locator("[aria-live=polite]").textContent()).toBe(
      "Question: Which column should I summarise?",
    );
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest("#chat .as-ask") !== null))
      .toBe(true);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await panelCard.getByRole("button", { name: "Answer in the chat" }).click();
    await expect
      .poll(() =>
        page.evaluate(
          () => document.activeElement?.matches('#chat [data-activity="agentstream.ask"] .as-ask') ?? false,
        ),
      )
      .toBe(true);
    await chatCard.getByRole("button", { name: "area" }).click();
    await expect.poll(() => chatCard.getAttribute("data-state"), { timeout: 10_000 }).toBe("answered");
    await expect.poll(() => panelCard.getAttribute("data-state"), { timeout: 10_000 }).toBe("answered");
    expect(await panelCard.getByRole("button", { name: "Answer in the chat" }).count()).toBe(0);
    await waitForStatus(page, "completed", 30_000);
  });
});
