/**
 * Questions (`ask`) in the demo, through CopilotKit's chat in Chromium against the built demo
 * and the real server: the analyst asks which numeric column to summarise (`await ctx.ask`, an
 * `agentstream.ask` activity rendered by the kit's provider, answered through the answer
 * route), and the publishDocument action asks for confirmation (`yield ask(...)` in a browser
 * generator action, answered in its tool card). Stop while a question is open, and a reload
 * while it is open.
 */
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import {
  demoSession,
  latestAnswer,
  pickAgent,
  screenshot,
  sendAndObserve,
  waitForStatus,
} from "./helpers.js";

const session = demoSession(inject("baseURL"));
const open = session.open;

/** A table with two numeric columns: the analyst asks which one to summarise. */
const CSV = [
  "Analyze this CSV:",
  "city,population,area",
  "Oslo,709000,454",
  "Bergen,291000,465",
  "Trondheim,212000,342",
  "Stavanger,146000,71",
].join("\n");

/** The analyst's question in the chat (the `agentstream.ask` activity's card). */
function chatQuestion(page: Page) {
  return page.locator('#chat [data-activity="agentstream.ask"] .as-ask');
}

/** The chat's status rows (one per run). */
async function chatStatusRows(page: Page): Promise<string[]> {
  return page.$$eval('#chat [data-activity="agentstream.status"] .as-status', (els) =>
    els.map((e) => e.getAttribute("data-state") ?? ""),
  );
}

describe("questions in the demo, through CopilotKit's chat", () => {
  it("the analyst asks which column to summarise; clicking a choice resumes the same run", async () => {
    const { page } = await open();
    await pickAgent(page, "analyst");
    await sendAndObserve(page, CSV);
    const card = chatQuestion(page);
    await card.waitFor({ timeout: 20_000 });
    // The question: a group named by the prompt, one button per numeric column, focus on it.
    const group = page.locator("#chat").getByRole("group", { name: "Which column should I summarise?" });
    expect(await group.count()).toBe(1);
    expect(await card.getAttribute("data-state")).toBe("open");
    expect(await card.getByRole("button").allTextContents()).toEqual(["population", "area"]);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.classList.contains("as-ask") ?? false))
      .toBe(true);
    expect(await card.locator("[aria-live=polite]").textContent()).toBe(
      "Question: Which column should I summarise?",
    );
    // The run waits, still running: nothing of the summary yet.
    await waitForStatus(page, /acting|started|thinking/);
    expect(await latestAnswer(page)).not.toMatch(/from \d+ to \d+/);
    await screenshot(page, "ask-analyst-open");

    await card.getByRole("button", { name: "area" }).click();
    await expect.poll(() => card.getAttribute("data-state"), { timeout: 10_000 }).toBe("answered");
    expect(await card.locator(".as-ask__answer").textContent()).toBe("Answered: area");
    expect(await card.getByRole("button", { name: "area" }).getAttribute("aria-pressed")).toBe("true");
    expect(await card.getByRole("button", { name: "population" }).getAttribute("aria-pressed")).toBe("false");
    // The same run goes on with the chosen column and completes.
    await waitForStatus(page, "completed", 30_000);
    await expect.poll(() => latestAnswer(page), { timeout: 10_000 }).toMatch(/area: from 71 to 465/);
    expect(await chatStatusRows(page)).toEqual(["completed"]);
    // One question, one card.
    expect(await chatQuestion(page).count()).toBe(1);
    await screenshot(page, "ask-analyst-answered");
  });

  it("Stop while the question is open: the question is cancelled and the run ends interrupted", async () => {
    const { page } = await open();
    await pickAgent(page, "analyst");
    await sendAndObserve(page, CSV);
    const card = chatQuestion(page);
    await card.waitFor({ timeout: 20_000 });
    const stop = page.getByRole("button", { name: "Stop the analyst agent" });
    await expect.poll(() => stop.isEnabled()).toBe(true);
    await stop.click();
    await waitForStatus(page, "interrupted", 10_000);
    await expect.poll(() => card.getAttribute("data-state"), { timeout: 10_000 }).toBe("cancelled");
    expect(await card.textContent()).toContain("The run ended before an answer.");
    expect(await card.getByRole("button").count()).toBe(0);
    await expect.poll(() => chatStatusRows(page), { timeout: 10_000 }).toEqual(["interrupted"]);
    // A reload shows the question as it ended: cancelled, not open.
    await page.reload();
    await page.getByTestId("agent-panel").waitFor();
    await expect
      .poll(() => chatQuestion(page).getAttribute("data-state"), { timeout: 15_000 })
      .toBe("cancelled");
    await waitForStatus(page, "interrupted", 10_000);
  });

  it("a reload while the question is open shows it open again; answering after the reload resumes the run", async () => {
    const { page } = await open();
    await pickAgent(page, "analyst");
    await sendAndObserve(page, CSV);
    await chatQuestion(page).waitFor({ timeout: 20_000 });
    const thread = new URL(page.url()).searchParams.get("thread");
    expect(thread).not.toBeNull();
    await page.reload();
    await page.getByTestId("agent-panel").waitFor();
    expect(new URL(page.url()).searchParams.get("thread")).toBe(thread);
    const card = chatQuestion(page);
    await card.waitFor({ timeout: 15_000 });
    expect(await card.getAttribute("data-state")).toBe("open");
    expect(await chatQuestion(page).count()).toBe(1);
    await card.getByRole("button", { name: "population" }).click();
    await expect.poll(() => card.getAttribute("data-state"), { timeout: 10_000 }).toBe("answered");
    await waitForStatus(page, "completed", 30_000);
    await expect
      .poll(() => latestAnswer(page), { timeout: 10_000 })
      .toMatch(/population: from 146000 to 709000/);
    await expect.poll(() => chatStatusRows(page)).toEqual(["completed"]);
  });

  it("publish: Cancel from the keyboard publishes nothing and the agent says so", async () => {
    const { page } = await open();
    const sections = await page.getByTestId("doc-section").count();
    await sendAndObserve(page, "Publish the document");
    const action = page.locator('#chat article.as-tool:has(.as-tool__name:text-is("publishDocument"))');
    const card = action.locator(".as-ask");
    await card.waitFor({ timeout: 20_000 });
    expect(await card.locator(".as-ask__prompt").textContent()).toBe(`Publish ${sections} sections?`);
    expect(
      await page
        .locator("#chat")
        .getByRole("group", { name: `Publish ${sections} sections?` })
        .count(),
    ).toBe(1);
    // Focus moved to the card: Tab to "Publish", Tab to "Cancel", Enter.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.classList.contains("as-ask") ?? false))
      .toBe(true);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Publish");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
    await page.keyboard.press("Enter");
    await expect.poll(() => card.getAttribute("data-state"), { timeout: 10_000 }).toBe("answered");
    expect(await card.locator(".as-ask__answer").textContent()).toBe("Answered: Cancel");
    await expect.poll(() => action.getAttribute("data-run-state"), { timeout: 10_000 }).toBe("completed");
    expect(await action.textContent()).toContain("Publishing cancelled");
    // The agent's follow-up run answers with the action's result: nothing was published.
    await expect
      .poll(() => latestAnswer(page), { timeout: 20_000 })
      .toMatch(/I ran publishDocument[\s\S]*cancelled/);
    await waitForStatus(page, "completed");
    await screenshot(page, "ask-publish-cancelled");
  });

  it("publish: Publish goes on (and fails midway, as the demo's wiki is down)", async () => {
    session.allowErrors(/tool_handler_failed|simulated outage/);
    const { page } = await open();
    await sendAndObserve(page, "Publish the document");
    const action = page.locator('#chat article.as-tool:has(.as-tool__name:text-is("publishDocument"))');
    const card = action.locator(".as-ask");
    await card.waitFor({ timeout: 20_000 });
    await card.getByRole("button", { name: "Publish" }).click();
    await expect.poll(() => card.getAttribute("data-state"), { timeout: 10_000 }).toBe("answered");
    expect(await card.locator(".as-ask__answer").textContent()).toBe("Answered: Publish");
    const record = page.locator('[data-testid=action-run][data-action="publishDocument"]');
    await expect.poll(() => record.getAttribute("data-state"), { timeout: 20_000 }).toBe("error");
    expect((await page.getByTestId("action-output").textContent()) ?? "").toMatch(/Uploaded “Overview”/);
    await expect.poll(() => action.getAttribute("data-run-state"), { timeout: 10_000 }).toBe("error");
  });
});
