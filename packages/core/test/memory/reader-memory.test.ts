/**
 * Constant memory of the SSE reader: 1,000,000 frames through `readAgUiEvents` with an abort
 * signal (the path that once raced every read against one long-lived "aborted" promise and held
 * ~70 MB at 200,000 frames). The heap after a full GC at 10% and at 90% of the run must not
 * differ by more than a few MB.
 */
import { describe, expect, it } from "vitest";
import { createRunClient, readAgUiEvents } from "../../src/index.js";
import { heapAfterGc, mb } from "./gc.js";

const N = 1_000_000;
const LIMIT = 8e6;

function frame(i: number): string {
  return `id: ${i}\ndata: {"type":"CUSTOM","name":"tick","value":${i}}\n\n`;
}

async function* frames(n: number): AsyncGenerator<string> {
  for (let i = 1; i <= n; i++) yield frame(i);
}

describe("memory", () => {
  it(`readAgUiEvents with a signal: ${N.toLocaleString("en")} frames, heap flat`, {
    timeout: 60_000,
  }, async () => {
    const ac = new AbortController();
    let n = 0;
    let at10 = 0;
    let at90 = 0;
    for await (const event of readAgUiEvents(frames(N), { signal: ac.signal })) {
      n++;
      if (n === N / 10) at10 = heapAfterGc();
      else if (n === (N * 9) / 10) at90 = heapAfterGc();
      if (event.type !== "CUSTOM") throw new Error("bad event");
    }
    expect(n).toBe(N);
    console.log(`readAgUiEvents: heap at 10% ${mb(at10)}, at 90% ${mb(at90)}, growth ${mb(at90 - at10)}`);
    expect(at90 - at10).toBeLessThan(LIMIT);
  });

  it("the run client: 300,000 frames from a fetch body, heap flat", { timeout: 60_000 }, async () => {
    const M = 300_000;
    const enc = new TextEncoder();
    let i = 0;
    const body = () =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (i === 0)
            controller.enqueue(
              enc.encode(`id: 0\ndata: {"type":"RUN_STARTED","threadId":"t","runId":"r"}\n\n`),
            );
          for (let k = 0; k < 64 && i < M; k++) controller.enqueue(enc.encode(frame(++i)));
          if (i === M) {
            controller.enqueue(
              enc.encode(`id: ${M + 1}\ndata: {"type":"RUN_FINISHED","threadId":"t","runId":"r"}\n\n`),
            );
            controller.close();
          }
        },
      });
    const fakeFetch = (async () =>
      new Response(body(), { headers: { "content-type": "text/event-stream" } })) as typeof fetch;
    const client = createRunClient({ baseUrl: "http://x", fetch: fakeFetch });
    const ac = new AbortController();
    let n = 0;
    let at10 = 0;
    let at90 = 0;
    const run = client.run("a", "go", { signal: ac.signal });
    for await (const _ of run) {
      n++;
      if (n === M / 10) at10 = heapAfterGc();
      else if (n === (M * 9) / 10) at90 = heapAfterGc();
    }
    expect(run.status).toBe("done");
    expect(n).toBe(M + 2);
    console.log(`run client: heap at 10% ${mb(at10)}, at 90% ${mb(at90)}, growth ${mb(at90 - at10)}`);
    expect(at90 - at10).toBeLessThan(LIMIT);
  });
});
