/**
 * The demo on a phone (390 × 844, the screen), in Chromium against the built demo and the
 * real server: nothing wider than the screen, the document title whole, the chat one tap away
 * (the view bar at the top), an answer streamed and completed there, the agent panel reachable
 * by keyboard and as wide as the screen at most. Then the dark theme with reduced motion, and
 * the desktop layout, which keeps its columns and never shows the bar.
 */
import type { Locator, Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { chatInput, demoSession, latestAnswer, screenshot, waitForStatus } from "./helpers.js";

const session = demoSession(inject("baseURL"));
const PHONE = { width: 390, height: 844 };

/** What scrolls sideways: the page's width against the viewport's. */
async function overflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
}

/** Where an element is, against the viewport and the view bar's bottom edge. */
async function placement(locator: Locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const bar = document.querySelector("[data-testid=mobile-nav]")?.getBoundingClientRect();
    // What a tap at the element's centre would hit: the element, not the bar over it.
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 20));
    return {
      top: r.top,
      bottom: r.bottom,
      left: r.left,
      right: r.right,
      barBottom: bar?.bottom ?? 0,
      innerWidth: window.innerWidth,
      innerHeight: window.innerHeight,
      onTop: hit !== null && (el === hit || el.contains(hit)),
    };
  });
}

/**
 * True when the element is wholly on screen and a tap reaches it; below the view bar unless it
 * is in the bar.
 */
async function inView(locator: Locator, { inBar = false } = {}): Promise<boolean> {
  const p = await placement(locator);
  return (
    p.onTop &&
    p.left >= 0 &&
    p.right <= p.innerWidth + 0.5 &&
    p.top >= (inBar ? 0 : p.barBottom - 0.5) &&
    p.bottom <= p.innerHeight + 0.5
  );
}

/** Records every length of the chat's answers text (an in-page MutationObserver: none missed). */
async function watchAnswerLengths(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as typeof window & { __lengths?: number[] };
    const lengths: number[] = [];
    w.__lengths = lengths;
    const read = () => {
      const text = [...document.querySelectorAll("#chat [data-testid=copilot-assistant-message]")]
        // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, what the user reads.
        .map((m) => (m.firstElementChild as HTMLElement | null)?.innerText ?? "")
        .join("\n")
        .trim();
      if (lengths.at(-1) !== text.length) lengths.push(text.length);
    };
    new MutationObserver(read).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
}

describe("the demo on a phone (390 × 844)", () => {
  it("fits the screen, shows the whole title, and the chat is one tap away and answers", async () => {
    const { page } = await session.open({ viewport: PHONE });

    // First screen: nothing scrolls sideways.
    const first = await overflow(page);
    expect(first.scrollWidth, JSON.stringify(first)).toBeLessThanOrEqual(first.innerWidth);

    // The title, whole and on screen.
    const title = page.getByLabel("Document title");
    const t = await title.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return {
        scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth,
        left: r.left,
        right: r.right,
        top: r.top,
        bottom: r.bottom,
        value: (el as HTMLInputElement).value,
      };
    });
    expect(t.value).toBe("Launch plan: live agent views");
    expect(t.scrollWidth, `title clipped: ${JSON.stringify(t)}`).toBeLessThanOrEqual(t.clientWidth);
    expect(t.left).toBeGreaterThanOrEqual(0);
    expect(t.right).toBeLessThanOrEqual(PHONE.width);
    expect(t.top).toBeGreaterThanOrEqual(0);
    expect(t.bottom).toBeLessThanOrEqual(PHONE.height);

    // A longer title wraps onto more lines instead of being cut (and Enter adds no line break).
    const long = "Launch plan: live agent views for every team, on every screen, from day one";
    await title.fill(long);
    await title.press("Enter");
    const wrapped = await title.evaluate((el) => ({
      value: (el as HTMLTextAreaElement).value,
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
      scrollHeight: el.scrollHeight,
      clientHeight: el.clientHeight,
      lineHeight: Number.parseFloat(getComputedStyle(el).lineHeight),
    }));
    expect(wrapped.value).toBe(long);
    expect(wrapped.scrollWidth, JSON.stringify(wrapped)).toBeLessThanOrEqual(wrapped.clientWidth);
    expect(wrapped.scrollHeight, JSON.stringify(wrapped)).toBeLessThanOrEqual(wrapped.clientHeight + 2);
    expect(wrapped.clientHeight, JSON.stringify(wrapped)).toBeGreaterThan(1.5 * wrapped.lineHeight);
    await title.fill(t.value);

    // The chat control: on the first screen, named, pointing at the chat; the chat is below the fold.
    const nav = page.getByRole("navigation", { name: "Workspace views" });
    const chatButton = nav.getByRole("button", { name: "Chat" });
    expect(await inView(chatButton, { inBar: true })).toBe(true);
    expect(await chatButton.getAttribute("aria-controls")).toBe("chat");
    expect(await nav.getByRole("button", { name: "Document" }).getAttribute("aria-current")).toBe("true");
    expect(await inView(chatInput(page))).toBe(false);
    await screenshot(page, "mobile-first-screen");

    // One tap: the chat's input is on screen, below the bar, and focus is in the chat.
    await chatButton.click();
    await expect.poll(() => inView(chatInput(page)), { timeout: 5_000 }).toBe(true);
    await expect.poll(() => chatButton.getAttribute("aria-current")).toBe("true");
    expect(await page.evaluate(() => document.getElementById("chat")?.contains(document.activeElement))).toBe(
      true,
    );

    // A suggestion, tapped: the answer streams into the chat and completes.
    const suggestion = page.locator("#chat [data-testid=copilot-suggestion]", { hasText: "Ask a question" });
    await expect.poll(() => inView(suggestion), { timeout: 5_000 }).toBe(true);
    await watchAnswerLengths(page);
    await suggestion.click();
    await waitForStatus(page, "completed");
    await expect.poll(() => latestAnswer(page), { timeout: 10_000 }).toMatch(/backpressure/i);
    const answer = await latestAnswer(page);
    const lengths = await page.evaluate(() => (window as typeof window & { __lengths?: number[] }).__lengths);
    const intermediate = new Set((lengths ?? []).filter((n) => n > 0 && n < answer.length - 5));
    expect(intermediate.size, `lengths seen: ${lengths?.join(", ")}`).toBeGreaterThanOrEqual(3);
    // The chat stayed where the user is, and the answer did not widen the page.
    expect(await inView(chatInput(page))).toBe(true);
    const afterAnswer = await overflow(page);
    expect(afterAnswer.scrollWidth, JSON.stringify(afterAnswer)).toBeLessThanOrEqual(afterAnswer.innerWidth);
    await screenshot(page, "mobile-chat-answered");

    // The agent panel, by keyboard: on screen, no wider than it, and showing the finished run.
    const agentButton = nav.getByRole("button", { name: "Agent run" });
    await agentButton.focus();
    await page.keyboard.press("Enter");
    const panel = page.getByTestId("agent-panel");
    await expect
      .poll(async () => {
        const p = await placement(panel);
        return p.top >= p.barBottom - 0.5 && p.top < p.innerHeight / 3;
      })
      .toBe(true);
    const p = await placement(panel);
    expect(p.left).toBeGreaterThanOrEqual(0);
    expect(p.right).toBeLessThanOrEqual(PHONE.width);
    expect(await panel.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await expect.poll(() => agentButton.getAttribute("aria-current")).toBe("true");
    expect(await page.getByTestId("run-status").getAttribute("data-state")).toBe("completed");
    expect(await inView(page.getByRole("button", { name: "Stop the default agent" }))).toBe(true);
    await screenshot(page, "mobile-agent-panel");

    // And back to the document.
    await nav.getByRole("button", { name: "Document" }).click();
    await expect.poll(() => inView(title), { timeout: 5_000 }).toBe(true);
  });

  it("dark theme and reduced motion: the bar follows the theme, and the jump is instant", async () => {
    const { page } = await session.open({ viewport: PHONE, colorScheme: "dark" });
    await page.emulateMedia({ reducedMotion: "reduce" });
    const o = await overflow(page);
    expect(o.scrollWidth).toBeLessThanOrEqual(o.innerWidth);
    const nav = page.getByRole("navigation", { name: "Workspace views" });
    const look = await nav.evaluate((el) => {
      const item = el.querySelector("button") as HTMLElement;
      return {
        background: getComputedStyle(el).backgroundColor,
        transition: getComputedStyle(item).transitionDuration,
      };
    });
    // A dark bar (its channels well below white), and no transition under reduced motion.
    const channels = (look.background.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
    expect(Math.max(...channels), look.background).toBeLessThan(80);
    expect(look.transition.split(",").every((d) => Number.parseFloat(d) === 0)).toBe(true);
    await screenshot(page, "mobile-dark-first-screen");
    await nav.getByRole("button", { name: "Chat" }).click();
    // No smooth scroll: the chat is in view right away.
    expect(await inView(chatInput(page))).toBe(true);
    await screenshot(page, "mobile-dark-chat");
  });
});

describe("the desktop layout (1600 × 1000) is unchanged", () => {
  it("keeps the chat in its column beside the document and the panel, without the view bar", async () => {
    const { page } = await session.open();
    expect(await page.getByRole("navigation", { name: "Workspace views" }).count()).toBe(0);
    expect(await page.getByTestId("mobile-nav").isVisible()).toBe(false);
    const box = async (selector: string) => {
      const b = await page.locator(selector).first().boundingBox();
      if (!b) throw new Error(`${selector} is not shown`);
      return b;
    };
    const [main, chat, doc, panel] = await Promise.all([
      box("#main"),
      box("#chat"),
      box("[data-testid=document]"),
      box("[data-testid=agent-panel]"),
    ]);
    // The chat to the right of the main area, both from under the header to the bottom.
    expect(chat.x).toBeGreaterThanOrEqual(main.x + main.width - 1);
    expect(Math.abs(chat.y - main.y)).toBeLessThanOrEqual(1);
    expect(chat.y + chat.height).toBeGreaterThanOrEqual(999);
    // The document and the panel side by side.
    expect(panel.x).toBeGreaterThan(doc.x + doc.width - 1);
    expect(Math.abs(panel.y - doc.y)).toBeLessThanOrEqual(1);
    // Everything on one screen: nothing scrolls either way.
    expect(
      await page.evaluate(
        () =>
          document.documentElement.scrollWidth <= innerWidth &&
          document.documentElement.scrollHeight <= innerHeight,
      ),
    ).toBe(true);
    expect(await inView(chatInput(page))).toBe(true);
    await screenshot(page, "desktop-first-screen");
  });
});
