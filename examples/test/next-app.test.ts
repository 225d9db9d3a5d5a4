/**
 * examples/next-app as a user gets it: installed with npm from our packed tarballs, built with
 * `next build` (Turbopack, type check included), started with `next start`, and used in Chromium:
 * the run panel (useAgentStream) and CopilotKit's chat, both on the one route file.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freePort,
  launchBrowser,
  npmInstall,
  openPage,
  prepare,
  printTimings,
  type RunningServer,
  run,
  startServer,
  timed,
  type Workspace,
} from "./harness.js";
import { checkRunPanel } from "./panel.js";

const NAME = "next-app";

describe("examples/next-app", () => {
  let ws: Workspace | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let buildOutput = "";

  beforeAll(async () => {
    ws = await prepare(NAME);
    await npmInstall(NAME, ws);
    const cwd = ws.dir;
    buildOutput = await timed(NAME, "next build", () => run("npm", ["run", "build"], { cwd }));
    const port = await freePort();
    server = await timed(NAME, "start next start", () =>
      startServer(
        process.execPath,
        ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"],
        { cwd, port, readyPath: "/api/agents" },
      ),
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (ws) await timed(NAME, "remove the temporary copy", async () => ws?.remove());
    printTimings(NAME);
  });

  it("builds the one route file as a dynamic Node route and serves every agent from it", async () => {
    expect(buildOutput).toMatch(/ƒ \/api\/\[\.\.\.path\]/);
    const { agents } = (await (await fetch(`${server!.url}/api/agents`)).json()) as {
      agents: { id: string }[];
    };
    expect(agents.map((a) => a.id)).toEqual(
      expect.arrayContaining(["counter", "default", "research", "analyst", "calculator", "team"]),
    );
    // An embedded agent (its knowledge files are read from the installed package) runs to its result.
    const res = await fetch(`${server!.url}/api/agents/research/run`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({
        threadId: "next-research",
        runId: "next-research-1",
        messages: [{ id: "m1", role: "user", content: "What is backpressure?" }],
        tools: [],
        context: [],
        state: {},
        forwardedProps: {},
      }),
    });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('"type":"RUN_FINISHED"');
    expect(body).toMatch(/knowledge\/corpus\.json/);
    // CopilotKit v2 answers on the same route file.
    const info = await fetch(`${server!.url}/api/copilotkit/info`);
    expect(info.status).toBe(200);
    expect(JSON.stringify(await info.json())).toContain("counter");
  });

  it("serves the plain routes on the edge runtime from a second route file (runtime = 'edge'): a run streams, Stop ends it, CopilotKit is refused", async () => {
    const base = `${server!.url}/edge/api`;
    const runBody = (threadId: string) =>
      JSON.stringify({
        threadId,
        runId: `${threadId}-1`,
        messages: [{ id: `${threadId}-m1`, role: "user", content: "go" }],
        tools: [],
        context: [],
        state: {},
        forwardedProps: {},
      });
    const headers = { "content-type": "application/json", accept: "text/event-stream" };
    const whole = await fetch(`${base}/agents/ticker/run`, {
      method: "POST",
      headers,
      body: runBody("edge-1"),
    });
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toContain("text/event-stream");
    const text = await whole.text();
    // The agent itself says where it ran: Next's edge sandbox (the EdgeRuntime global).
    expect(text).toContain("runtime:edge");
    expect(text).toMatch(/^id: 1$/m);
    expect(text).toContain('"delta":"20 "');
    expect(text).toContain('"type":"RUN_FINISHED"');

    // Stop, from a second request, ends a run that is streaming.
    const streaming = await fetch(`${base}/agents/ticker/run`, {
      method: "POST",
      headers,
      body: runBody("edge-2"),
    });
    const reader = streaming.body!.getReader();
    const decoder = new TextDecoder();
    let seen = "";
    while (!seen.includes('"delta":"2 "'))
      seen += decoder.decode((await reader.read()).value, { stream: true });
    const stop = await fetch(`${base}/agents/ticker/threads/edge-2/stop`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-thread-token": streaming.headers.get("x-thread-token") ?? "",
      },
      body: "{}",
    });
    expect(stop.status).toBe(200);
    expect(await stop.json()).toMatchObject({ stopped: true, threadId: "edge-2" });
    for (let step = await reader.read(); !step.done; step = await reader.read())
      seen += decoder.decode(step.value, { stream: true });
    expect(seen).toContain("stopped by user");
    expect(seen).not.toContain('"delta":"20 "');

    const copilot = await fetch(`${base}/copilotkit/info`);
    expect(copilot.status).toBe(404);
    expect(((await copilot.json()) as { error: { message: string } }).error.message).toMatch(
      /needs Node\.js/,
    );
  });

  it("streams a run into the page, reattaches after a reload, stops, and runs again (Chromium)", async () => {
    await timed(NAME, "browser: stream, reload, stop, rerun", () => checkRunPanel(browser!, server!));
  });

  it("streams into CopilotChat on the same route, and its Stop ends the run (Chromium)", async () => {
    await timed(NAME, "browser: CopilotChat run and Stop", async () => {
      const recorded = await openPage(browser!);
      const { page } = recorded;
      try {
        await page.goto(`${server!.url}/chat`);
        const input = page.locator("[data-testid=chat] textarea").first();
        await input.waitFor();
        await page.evaluate(() => {
          type W = typeof window & { __lengths?: number[] };
          const w = window as W;
          const lengths: number[] = [];
          w.__lengths = lengths;
          const read = () => {
            const text = [...document.querySelectorAll("[data-testid=copilot-assistant-message]")]
              .map((m) => m.textContent ?? "")
              .join(" ");
            const n = (text.match(/\b\d+\b/g) ?? []).length;
            if (lengths[lengths.length - 1] !== n) lengths.push(n);
          };
          new MutationObserver(read).observe(document.body, {
            subtree: true,
            childList: true,
            characterData: true,
          });
        });
        await input.fill("30");
        await input.press("Enter");
        await page.waitForFunction(
          () =>
            [...document.querySelectorAll("[data-testid=copilot-assistant-message]")].some((m) =>
              /\b1 2 3\b[\s\S]*\b29 30\b/.test(m.textContent ?? ""),
            ),
          undefined,
          { timeout: 30_000 },
        );
        await page.locator("[data-testid=chat] .as-status[data-state=completed]").first().waitFor();
        const lengths = await page.evaluate(
          () => (window as typeof window & { __lengths?: number[] }).__lengths ?? [],
        );
        expect(
          lengths.filter((n) => n > 0).length,
          `lengths seen: ${lengths.join(", ")}`,
        ).toBeGreaterThanOrEqual(5);

        // The chat's Stop (the send button while a run is on) ends the agent's generator on the server.
        const numbersOfLatest = () =>
          page.evaluate(() => {
            const messages = document.querySelectorAll("[data-testid=copilot-assistant-message]");
            const text = messages[messages.length - 1]?.textContent ?? "";
            return (text.match(/\b\d+\b/g) ?? []).length;
          });
        await input.fill("300");
        await input.press("Enter");
        await page.waitForFunction(
          () => {
            const messages = document.querySelectorAll("[data-testid=copilot-assistant-message]");
            return messages.length >= 2 && /\b1 2 3 4 5 6 7 8 9 10\b/.test(messages[1]?.textContent ?? "");
          },
          undefined,
          { timeout: 30_000 },
        );
        await page.locator("[data-testid=copilot-send-button]").click();
        const closed = await server!.waitForLine(/generator closed after (\d+) of 300/);
        expect(Number(/after (\d+) of/.exec(closed)?.[1])).toBeLessThan(300);
        await page.locator("[data-testid=chat] .as-status[data-state=interrupted]").first().waitFor();
        const atStop = await numbersOfLatest();
        await page.waitForTimeout(600);
        expect(await numbersOfLatest(), "nothing streams after Stop").toBe(atStop);
        expect(atStop).toBeLessThan(300);

        expect(recorded.consoleErrors, "console errors").toEqual([]);
        expect(recorded.externalRequests, "requests leaving this machine").toEqual([]);
      } finally {
        await recorded.close();
      }
    });
  });
});
