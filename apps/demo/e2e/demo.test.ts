/**
 * The demo as a user meets it: the built app served by the real server, driven through
 * CopilotKit's chat in Chromium. No API key; the embedded agents do the work.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, inject, it } from "vitest";
import {
  demoSession,
  docsScreenshot,
  latestAnswer,
  pickAgent,
  printTimings,
  readable,
  samples,
  screenshot,
  sendAndObserve,
  serverRunEvents,
  timings,
  waitForStatus,
} from "./helpers.js";

const baseURL = inject("baseURL");
const session = demoSession(baseURL, { onDone: printTimings });
const open = session.open;

describe("the demo, through CopilotKit's chat", () => {
  it("analyzes the document with a streaming app action, and the agent answers from its result", async () => {
    const { page } = await open();
    const sections = await page.getByTestId("doc-section").count();
    expect(sections).toBeGreaterThanOrEqual(4);

    await sendAndObserve(page, "Analyze the document");
    // While the action runs, the panel's bar is the action's: it must pass through several
    // values, not jump to the end.
    const panel = page.getByTestId("agent-panel");
    const bar = panel.getByRole("progressbar").first();
    await page.waitForFunction(
      () =>
        document.querySelector("[data-testid=run-status] .as-status__agent")?.textContent ===
        "analyzeDocument",
      undefined,
      { timeout: 20_000 },
    );
    // The bar's values come from the page's MutationObserver (sendAndObserve): every value the bar
    // showed is recorded, however briefly and however loaded the machine (no polling to miss one).
    const progressSeen = async () =>
      new Set(
        (await samples(page))
          .map((s) => s.progress)
          .filter((p) => p.endsWith(`/${sections}`))
          .map((p) => p.slice(0, p.indexOf("/"))),
      );
    let midRunShot: string | undefined;
    await expect
      .poll(
        async () => {
          const seen = await progressSeen();
          const state = await bar.getAttribute("data-state");
          if (!midRunShot && [...seen].some((v) => Number(v) >= 3) && state === "loading") {
            await page.waitForTimeout(250); // let the editor's scroll to the active section settle
            midRunShot = await screenshot(page, "analyze-mid-run");
            if (process.env.UPDATE_DOCS_SCREENSHOT === "1") {
              mkdirSync(dirname(docsScreenshot), { recursive: true });
              copyFileSync(midRunShot, docsScreenshot);
            }
          }
          return seen.has(String(sections));
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    const seen = await progressSeen();
    expect(seen.size, `progress values seen: ${[...seen].join(", ")}`).toBeGreaterThanOrEqual(3);

    // The agent's follow-up run answers with the action's result, and completes.
    await expect.poll(() => latestAnswer(page), { timeout: 20_000 }).toMatch(/I ran analyzeDocument/);
    await waitForStatus(page, "completed");
    await expect.poll(() => bar.getAttribute("data-state")).toBe("complete");

    // The action's record in the panel and its card in the chat: progress complete.
    const action = page.locator('[data-testid=action-run][data-action="analyzeDocument"]');
    expect(await action.getAttribute("data-state")).toBe("completed");
    expect(await action.getByRole("progressbar").getAttribute("data-state")).toBe("complete");
    expect(await action.getByRole("progressbar").getAttribute("aria-valuenow")).toBe(String(sections));
    expect(await page.locator("#chat [role=progressbar][data-state=complete]").count()).toBeGreaterThan(0);

    // The findings are in the page: a review under every section and a summary.
    await expect.poll(() => page.getByTestId("section-review").count()).toBe(sections);
    const summary = page.getByTestId("review-summary");
    expect(await summary.getAttribute("data-state")).toBe("done");
    const figures = ((await page.getByTestId("review-figures").textContent()) ?? "").trim();
    const [, issues, words] = /(\d+) issues · (\d+) words/.exec(figures) ?? [];
    expect(issues, figures).toBeDefined();
    const answer = await latestAnswer(page);
    expect(answer).toContain(`words: ${words}`);
    expect(answer).toContain(`issues: ${issues}`);
    expect(answer).toContain(`sections: ${sections}`);

    const s = await samples(page);
    const firstProgress = s.find((x) => x.progress.endsWith(`/${sections}`));
    const firstAnswer = s.find((x) => x.length > 0);
    const done = s.find((x) => x.status === "completed" && x.length > 0);
    timings.push({
      flow: "analyze: first progress",
      firstTokenMs: firstProgress?.t,
      completeMs: s.find((x) => x.progress === `${sections}/${sections}`)?.t,
      note: `${seen.size} values on the bar; findings: ${figures}`,
    });
    timings.push({ flow: "analyze: agent's answer", firstTokenMs: firstAnswer?.t, completeMs: done?.t });
    await screenshot(page, "analyze-complete");
  });

  it("streams a research answer with a citation", async () => {
    const { page } = await open();
    await pickAgent(page, "research");
    await sendAndObserve(page, "What is backpressure in streaming?");
    await waitForStatus(page, "completed");
    await expect.poll(() => latestAnswer(page), { timeout: 10_000 }).toMatch(/Sources:/);
    const answer = await latestAnswer(page);
    expect(answer).toMatch(/\[\d+\]/);
    // The first sentence answers what was asked.
    expect(answer).toMatch(/^Backpressure (means|is)\b/);
    // The sources are a list (one item per cited passage), not one run-on line.
    const message = page.locator("#chat [data-testid=copilot-assistant-message]").last();
    const items = await message.locator("li").allInnerTexts();
    const cited = new Set(answer.split("Sources:")[0]?.match(/\[\d+\]/g) ?? []);
    expect(items.length, items.join(" | ")).toBe(cited.size);
    for (const item of items) expect(item).toMatch(/^\[\d+\] .+/);

    const s = await samples(page);
    const finalLength = answer.length;
    const intermediate = new Set(s.map((x) => x.length).filter((n) => n > 0 && n < finalLength - 5));
    expect(intermediate.size, `lengths seen: ${s.map((x) => x.length).join(", ")}`).toBeGreaterThanOrEqual(3);
    const first = s.find((x) => x.length > 0);
    const done = s.find((x) => x.status === "completed");
    expect(first).toBeDefined();
    timings.push({
      flow: "research: answer",
      firstTokenMs: first?.t,
      completeMs: done?.t,
      note: `${intermediate.size} intermediate lengths, ${finalLength} chars`,
    });
    // The panel shows the same run: figures filled in.
    expect(await page.locator('[data-testid=run-metrics] [data-metric="ttft"] dd').textContent()).not.toBe(
      "—",
    );
    await screenshot(page, "research-complete");
  });

  it("stops a run mid-stream and keeps the partial answer", async () => {
    const { page } = await open();
    await pickAgent(page, "research");
    await sendAndObserve(page, "What is backpressure and how do streams handle it?");
    await expect
      .poll(async () => (await latestAnswer(page)).length, { timeout: 30_000, interval: 25 })
      .toBeGreaterThan(40);
    const stop = page.getByRole("button", { name: "Stop the research agent" });
    expect(await stop.isEnabled()).toBe(true);
    await stop.click();
    const stoppedAt = (await samples(page)).at(-1)?.t;
    await waitForStatus(page, "interrupted", 10_000);

    // What the server sent: no token after the run was reported interrupted.
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
    expect(sent.length).toBeGreaterThan(40);
    // The chat shows every token that was sent (it may render a frame after the panel's status).
    await expect.poll(async () => readable(await latestAnswer(page)), { timeout: 5_000 }).toContain(sent);
    const partial = await latestAnswer(page);
    expect(partial).not.toMatch(/Sources:/); // it did not run to the end

    // Nothing more arrives, and nothing is taken away.
    await page.waitForTimeout(1500);
    const later = await latestAnswer(page);
    expect(later).toBe(partial);
    expect((await page.getByTestId("run-stream").textContent()) ?? "").toContain(partial.slice(0, 30));
    expect((await page.getByTestId("run-stream").textContent()) ?? "").toMatch(/Interrupted/);
    expect(await stop.isDisabled()).toBe(true);
    // The chat's status row (the run's agentstream.status activity) says so too, not "Observing".
    const chatStatus = page.locator('#chat [data-activity="agentstream.status"] .as-status').last();
    expect(await chatStatus.getAttribute("data-state")).toBe("interrupted");
    expect(await chatStatus.locator(".as-status__label").textContent()).toBe("Interrupted");
    const s = await samples(page);
    timings.push({
      flow: "research: stopped",
      firstTokenMs: s.find((x) => x.length > 0)?.t,
      completeMs: s.find((x) => x.status === "interrupted")?.t,
      note: `stop pressed at ${stoppedAt} ms, ${partial.length} chars kept`,
    });
    await screenshot(page, "stopped");
  });

  it("shows the team run as one lane per agent", async () => {
    const { page } = await open();
    await pickAgent(page, "team");
    await sendAndObserve(page, "Research and analyze how server-sent events handle backpressure");
    const lanes = page.locator("[data-testid=run-stream] .as-lane");
    await expect.poll(() => lanes.count(), { timeout: 20_000 }).toBe(2);
    await screenshot(page, "team-mid-run");
    await waitForStatus(page, "completed");
    const agents = await lanes.evaluateAll((els) => els.map((e) => e.getAttribute("data-agent")));
    expect(agents.sort()).toEqual(["analyst", "research"]);
    for (const lane of await lanes.all()) {
      expect(await lane.getAttribute("data-state")).toBe("completed");
      expect(((await lane.textContent()) ?? "").length).toBeGreaterThan(40);
    }
    await expect.poll(() => latestAnswer(page)).toMatch(/All 2 agents finished/);
    const s = await samples(page);
    timings.push({
      flow: "team (2 lanes)",
      firstTokenMs: s.find((x) => x.length > 0)?.t,
      completeMs: s.find((x) => x.status === "completed")?.t,
    });
    await screenshot(page, "team-complete");
  });

  it("streams a drafted section into the document", async () => {
    const { page } = await open();
    const before = await page.getByTestId("doc-section").count();
    const sentAt = Date.now();
    await sendAndObserve(page, "Draft a section about backpressure");
    await expect.poll(() => page.getByTestId("doc-section").count(), { timeout: 20_000 }).toBe(before + 1);
    const body = page.getByTestId("section-body").nth(before);
    const lengths = new Set<number>();
    let firstTextMs: number | undefined;
    let writtenMs: number | undefined;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const length = (await body.inputValue()).length;
      lengths.add(length);
      if (length > 0 && firstTextMs === undefined) firstTextMs = Date.now() - sentAt;
      const state = await page.evaluate(
        () =>
          document
            .querySelector('[data-testid=action-run][data-action="draftSection"]')
            ?.getAttribute("data-state") ?? null,
      );
      if (state === "completed") {
        writtenMs = Date.now() - sentAt;
        break;
      }
      await page.waitForTimeout(40);
    }
    const text = await body.inputValue();
    expect(text.toLowerCase()).toContain("backpressure");
    expect(text).toMatch(/\[\d+\]/);
    expect([...lengths].filter((n) => n > 0 && n < text.length).length).toBeGreaterThanOrEqual(3);
    await expect.poll(() => latestAnswer(page), { timeout: 20_000 }).toMatch(/I ran draftSection/);
    await waitForStatus(page, "completed");
    const s = await samples(page);
    timings.push({
      flow: "draft: text into document",
      firstTokenMs: firstTextMs,
      completeMs: writtenMs,
      note: `${text.length} chars, ${lengths.size} lengths seen (polled)`,
    });
    timings.push({
      flow: "draft: agent's answer",
      firstTokenMs: s.find((x) => x.length > 0)?.t,
      completeMs: s.find((x) => x.status === "completed" && x.length > 0)?.t,
    });
    await screenshot(page, "draft-complete");
  });

  it("keeps the partial output of an action that fails midway", async () => {
    session.allowErrors(/tool_handler_failed|simulated outage/);
    const { page } = await open();
    await sendAndObserve(page, "Publish the document");
    // publishDocument asks first (e2e/ask.test.ts covers Cancel): publish.
    await page.locator("#chat .as-ask").getByRole("button", { name: "Publish" }).click({ timeout: 20_000 });
    const action = page.locator('[data-testid=action-run][data-action="publishDocument"]');
    await expect.poll(() => action.getAttribute("data-state"), { timeout: 20_000 }).toBe("error");
    expect((await page.getByTestId("action-error").textContent()) ?? "").toMatch(/simulated outage/);
    const output = (await page.getByTestId("action-output").textContent()) ?? "";
    expect(output).toMatch(/Uploaded “Overview”/);
    expect(output).toMatch(/Uploaded “Goals”/);
    // The chat's card shows the failure and the same partial output.
    const card = page.locator('#chat [data-run-state="error"]');
    await card.waitFor();
    expect((await card.textContent()) ?? "").toMatch(/Uploaded “Overview”/);
    await screenshot(page, "publish-failed");
  });

  it("switches themes, and its controls have names and work from the keyboard", async () => {
    const { page } = await open();
    const html = page.locator("html");
    expect(await html.getAttribute("data-theme")).toBe("light");
    const toggle = page.getByRole("switch", { name: "Dark theme" });
    await toggle.focus();
    await page.keyboard.press("Space");
    // React applies the theme when it has handled the key (a commit, then an effect).
    await expect.poll(() => html.getAttribute("data-theme"), { timeout: 5_000 }).toBe("dark");
    await expect.poll(() => html.getAttribute("class"), { timeout: 5_000 }).toContain("dark");
    await expect.poll(() => toggle.getAttribute("aria-checked"), { timeout: 5_000 }).toBe("true");
    await screenshot(page, "dark-idle");

    // Landmarks and names.
    expect(await page.getByRole("banner").count()).toBe(1);
    expect(await page.getByRole("main").count()).toBe(1);
    expect(await page.getByRole("complementary", { name: "Copilot chat" }).count()).toBe(1);
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll(".app input, .app textarea, .app select, .app button")]
        .filter((el) => !el.closest("[data-copilotkit]"))
        .filter((el) => {
          const e = el as HTMLElement;
          const labelled = e.getAttribute("aria-label") || e.getAttribute("aria-labelledby");
          const label = (e as HTMLInputElement).labels?.length;
          return !labelled && !label && !(e.textContent ?? "").trim();
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unnamed).toEqual([]);

    // The agent picker lists the agents the server offers, and works with the keyboard.
    const picker = page.getByLabel("Agent", { exact: true });
    const served = (await (await page.request.get(`${baseURL}/api/agents`)).json()) as {
      agents: { id: string }[];
    };
    // The picker shows the embedded agents until the page's GET /api/agents has answered.
    await expect
      .poll(async () => (await picker.locator("option").allTextContents()).sort(), { timeout: 10_000 })
      .toEqual(served.agents.map((a) => a.id).sort());
    const options = await picker.locator("option").allTextContents();
    for (const id of ["default", "research", "analyst", "calculator", "team"]) expect(options).toContain(id);

    // Dark theme, mid-run.
    await pickAgent(page, "calculator");
    await sendAndObserve(page, "5 km to mile");
    await waitForStatus(page, "completed");
    // The chat renders the answer on its own, up to a few hundred ms after the panel says
    // Completed on a loaded machine (the panel's store and CopilotKit's chat are two views).
    await expect.poll(() => latestAnswer(page), { timeout: 10_000 }).toMatch(/3\.10/);
    await screenshot(page, "dark-calculator");
  });
});
