/**
 * examples/vite-react as a user gets it: installed with npm from our packed tarballs, type-checked,
 * built with Vite, served with its API by `node server.mjs` (node:http + toNodeListener), and used
 * in Chromium.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freePort,
  launchBrowser,
  npmInstall,
  prepare,
  printTimings,
  type RunningServer,
  run,
  startServer,
  timed,
  type Workspace,
} from "./harness.js";
import { checkRunPanel } from "./panel.js";

const NAME = "vite-react";

describe("examples/vite-react", () => {
  let ws: Workspace | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    ws = await prepare(NAME);
    await npmInstall(NAME, ws);
    const cwd = ws.dir;
    await timed(NAME, "typecheck (tsc --noEmit)", () => run("npm", ["run", "typecheck"], { cwd }));
    await timed(NAME, "vite build", () => run("npm", ["run", "build"], { cwd }));
    const port = await freePort();
    server = await timed(NAME, "start node server.mjs", () =>
      startServer(process.execPath, ["server.mjs"], { cwd, port, readyPath: "/healthz" }),
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (ws) await timed(NAME, "remove the temporary copy", async () => ws?.remove());
    printTimings(NAME);
  });

  it("serves the built app and the API from one node:http server", async () => {
    const page = await fetch(`${server!.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toContain('<div id="root">');
    const agents = (await (await fetch(`${server!.url}/api/agents`)).json()) as { agents: { id: string }[] };
    expect(agents.agents.map((a) => a.id)).toEqual(["counter"]);
    const health = await fetch(`${server!.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it("streams a run into the page, reattaches after a reload, stops, and runs again (Chromium)", async () => {
    await timed(NAME, "browser: stream, reload, stop, rerun", () => checkRunPanel(browser!, server!));
  });
});
