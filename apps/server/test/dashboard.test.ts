/**
 * The live dashboard in real Chromium against the real server: `node apps/server/dist/main.js`
 * (the built kit's dashboard page, the memory runner, the embedded agents at their usual pace),
 * protected by a metrics token that the browser sends as Basic credentials. The test opens
 * /dashboard, starts a run over the plain route, watches it appear in the list as running and
 * finish as completed, replays it into StreamView, and checks keyboard use, the dark theme and
 * that nothing was logged to the console. Build first: `pnpm exec turbo run build`.
 *
 * With UPDATE_DOCS_SCREENSHOT=1 it also writes docs/dashboard.png.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openRecordedPage, type RecordedPage } from "../../../browser.shared.js";

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
const serverMain = join(root, "apps/server/dist/main.js");
const TOKEN = "ops-secret";

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => ok(port));
    });
  });
}

let child: ChildProcess | undefined;
let url = "";
let browser: Browser;
let recorded: RecordedPage;
let log = "";

beforeAll(async () => {
  if (!existsSync(serverMain))
    throw new Error("apps/server/dist missing: run `pnpm exec turbo run build` first");
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [serverMain], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      AGENTSTREAM_LOG_LEVEL: "warn",
      AGENTSTREAM_METRICS_TOKEN: TOKEN,
      AGENTSTREAM_PACE_MS: "30",
      COPILOTKIT_TELEMETRY_DISABLED: "true",
      DO_NOT_TRACK: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (data: Buffer) => {
    log = (log + data.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${log}`);
    if (Date.now() > deadline) throw new Error(`server not healthy in 30 s:\n${log}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await recorded?.close();
  await browser?.close();
  const proc = child;
  if (proc && proc.exitCode === null) {
    const exited = new Promise<void>((r) => proc.once("exit", () => r()));
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
}, 30_000);

/** Starts a run of `agentId` over the plain route and reads it to the end (as any client would). */
async function startRun(
  agentId: string,
  prompt: string,
): Promise<{ threadId: string; done: Promise<string> }> {
  const threadId = `dash-${crypto.randomUUID()}`;
  const res = await fetch(`${url}/api/agents/${agentId}/run`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify({
      threadId,
      runId: crypto.randomUUID(),
      messages: [{ id: crypto.randomUUID(), role: "user", content: prompt }],
      tools: [],
      context: [],
      state: {},
      forwardedProps: {},
    }),
  });
  expect(res.status).toBe(200);
  return { threadId, done: res.text() };
}

describe("GET /dashboard in Chromium", () => {
  it("refuses the page without credentials (401, Basic challenge)", async () => {
    const res = await fetch(`${url}/dashboard`);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic /);
  });

  it("shows a run appear as running, then finish, and replays it into StreamView", async () => {
    recorded = await openRecordedPage(browser, {
      viewport: { width: 1440, height: 1100 },
      deviceScaleFactor: 1,
      colorScheme: "light",
      httpCredentials: { username: "operator", password: TOKEN },
    });
    const { page } = recorded;
    const response = await page.goto(`${url}/dashboard`);
    expect(response?.status()).toBe(200);
    await page.getByRole("heading", { name: "AgentStream runs" }).waitFor();
    await page.locator('[data-feed="live"]').waitFor({ timeout: 10_000 });
    await page.getByRole("table", { name: /Recent runs/ }).waitFor();
    // Six labelled charts, each with its text alternative.
    const charts = page.getByRole("figure");
    expect(await charts.count()).toBe(6);
    expect(
      await page.getByRole("figure", { name: "Tokens per second" }).getAttribute("aria-describedby"),
    ).toBeTruthy();

    const { threadId, done } = await startRun("research", "Compare SSE and WebSockets for agent streams");
    const row = page.locator("tr", { has: page.locator(`td[title="${threadId}"]`) });
    await row.waitFor({ timeout: 10_000 });
    await expect
      .poll(() => row.locator(".as-dash-status").textContent(), { timeout: 10_000 })
      .toBe("running");
    await expect
      .poll(() => page.locator('[data-figure="Active streams"]').textContent(), { timeout: 10_000 })
      .not.toBe("0");
    await done;
    await expect
      .poll(() => row.locator(".as-dash-status").textContent(), { timeout: 15_000 })
      .toBe("completed");
    expect(Number(await row.locator("td").nth(6).textContent())).toBeGreaterThan(10); // tokens
    await expect
      .poll(() => page.locator('[data-figure="Active streams"]').textContent(), { timeout: 10_000 })
      .toBe("0");
    // The connection that read it: plain transport, bytes counted.
    const connection = page
      .getByRole("table", { name: /Connections/ })
      .locator("tbody tr")
      .first();
    expect(await connection.locator("th").textContent()).toBe("plain");
    await expect
      .poll(() => connection.locator("td").nth(5).textContent(), { timeout: 10_000 })
      .toMatch(/^[1-9][\d.]* k?B$/);

    // Keyboard: the run's button takes focus, Enter replays it into StreamView, Escape closes.
    const button = row.getByRole("button");
    await button.focus();
    await page.keyboard.press("Enter");
    const replay = page.getByRole("region", { name: /Replay: research/ });
    await replay.waitFor();
    await expect
      .poll(() => replay.locator("[data-replay-state]").getAttribute("data-replay-state"), {
        timeout: 10_000,
      })
      .toBe("done");
    expect((await replay.locator(".as-stream").textContent())?.length ?? 0).toBeGreaterThan(100);
    await page.keyboard.press("Escape");
    await replay.waitFor({ state: "detached" });
    // The replay's own read (from the log's start) is listed, and is no reconnect.
    const replayRead = page
      .getByRole("table", { name: /Connections/ })
      .locator("tbody tr")
      .first();
    await expect
      .poll(() => replayRead.locator("td").nth(1).textContent(), { timeout: 5_000 })
      .toMatch(/^Chrome/);
    expect(await replayRead.locator("td").nth(6).textContent()).not.toContain("reconnect");

    // A second run: arrow keys move between the rows' buttons.
    const second = await startRun("calculator", "What is 6 * 7?");
    await second.done;
    await page.locator(`td[title="${second.threadId}"]`).waitFor({ timeout: 10_000 });
    const buttons = page.locator("button[data-run]");
    await buttons.first().focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-run"))).toBe(
      await buttons.nth(1).getAttribute("data-run"),
    );

    if (process.env.UPDATE_DOCS_SCREENSHOT === "1") {
      await buttons.nth(1).click();
      await page
        .getByRole("region", { name: /Replay/ })
        .locator('[data-replay-state="done"]')
        .waitFor();
      await page.waitForTimeout(2_500); // the next series push: the summary and the last bytes
      await page.screenshot({ path: join(root, "docs/dashboard.png"), fullPage: true });
    }
    expect(recorded.consoleErrors).toEqual([]);
    expect(recorded.externalRequests).toEqual([]);
  }, 90_000);

  it("switches to the dark theme and keeps it", async () => {
    const { page } = recorded;
    await page.getByLabel("Theme").selectOption("dark");
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe("rgb(13, 17, 23)");
    await page.reload();
    await page.locator('[data-feed="live"]').waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    if (process.env.UPDATE_DOCS_SCREENSHOT === "1")
      await page.screenshot({ path: join(root, "docs/dashboard-dark.png"), fullPage: false });
    expect(recorded.consoleErrors).toEqual([]);
  }, 30_000);
});
