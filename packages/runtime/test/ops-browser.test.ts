import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumLaunchOptions, chromiumPath } from "../../../chromium.shared.js";
import { counter } from "./fixtures.js";
import { type Started, startServer } from "./helpers.js";

// A browser's EventSource reads the compressed event streams (it sends Accept-Encoding itself).
describe.skipIf(!existsSync(chromiumPath))("compressed streams in Chromium", () => {
  let s: Started;
  beforeAll(async () => {
    s = await startServer({ agents: [counter] });
  });
  afterAll(async () => {
    await s.close();
  });

  it("EventSource on the seed route: brotli/gzip on the wire, every token read live", async () => {
    const browser = await chromium.launch(chromiumLaunchOptions);
    try {
      const page = await browser.newPage();
      await page.goto(`${s.url}/`);
      const seed = await page.evaluate(
        (url) =>
          new Promise<string[]>((resolve, reject) => {
            const names: string[] = [];
            const es = new EventSource(url);
            for (const name of ["start", "token", "complete", "error", "status"])
              es.addEventListener(name, (e) => {
                names.push(`${name}:${(e as MessageEvent).data.slice(0, 40)}`);
                if (names.filter((n) => n.startsWith("token:")).length === 5) {
                  es.close();
                  resolve(names);
                }
              });
            setTimeout(() => reject(new Error(`timeout: ${names.join(" | ")}`)), 10_000);
          }),
        `${s.url}/api/agents/counter/stream?command=count&messageId=m-1`,
      );
      expect(seed.filter((n) => n.startsWith("token:")).length).toBe(5);
      const m = await (await fetch(`${s.url}/metrics`)).text();
      const encodings = [
        ...m.matchAll(/agentstream_bytes_written_total\{route="stream",encoding="([^"]+)"\}/g),
      ].map((x) => x[1]);
      expect(encodings.some((e) => e === "br" || e === "gzip")).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
