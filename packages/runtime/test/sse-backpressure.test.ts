/**
 * A slow client of a compressed event stream: every write that has to wait for 'drain' (which
 * then comes from the zlib stream, not the socket) must leave no listener behind. A leak shows
 * as Node's MaxListenersExceededWarning after 10 waits, and as memory that grows per wait.
 */
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { createGunzip } from "node:zlib";
import { describe, expect, it } from "vitest";
import { defineAgent } from "../src/index.js";
import { plainRunUrl, runInput, startServer } from "./helpers.js";

/**
 * 600 tokens of 16 KiB that do not compress, a millisecond apart: each is written on its own, and
 * the gzip stream fills as fast as the socket.
 */
const noise = defineAgent({
  name: "noise",
  description: "Incompressible tokens, no pace.",
  async *run() {
    for (let i = 0; i < 600; i++) {
      yield randomBytes(12 * 1024).toString("base64");
      await new Promise((r) => setTimeout(r, 1));
    }
    return { count: 600 };
  },
});

/** POSTs a run asking for gzip and reads it slowly: 64 KiB, then a pause, until the end. */
function slowGzipRead(url: string): Promise<{ text: string; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream", "Accept-Encoding": "gzip" },
    });
    req.on("response", (res) => {
      const encoding = res.headers["content-encoding"] as string | undefined;
      let text = "";
      let sincePause = 0;
      res.on("data", (b: Buffer) => {
        sincePause += b.length;
        if (sincePause > 64 * 1024) {
          sincePause = 0;
          res.pause();
          setTimeout(() => res.resume(), 40);
        }
      });
      const plain = res.pipe(createGunzip());
      plain.setEncoding("utf8");
      plain.on("data", (s: string) => {
        text += s;
      });
      plain.on("end", () => resolve({ text, encoding }));
      plain.on("error", reject);
    });
    req.on("error", reject);
    req.end(JSON.stringify(runInput("go")));
  });
}

describe("SSE backpressure under compression", () => {
  it("a slow gzip client gets every event and no 'drain' listener piles up", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    const s = await startServer({ agents: [noise], compression: true });
    try {
      const { text, encoding } = await slowGzipRead(plainRunUrl(s.url, "noise"));
      expect(encoding).toBe("gzip");
      expect(text.split("TEXT_MESSAGE_CONTENT").length - 1).toBe(600);
      expect(text).toContain("RUN_FINISHED");
      // Warnings are emitted on the next tick.
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => /MaxListeners/.test(w))).toEqual([]);
    } finally {
      process.off("warning", onWarning);
      await s.close();
    }
  });
});
