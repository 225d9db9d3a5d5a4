import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { type BusyPolicy, defineAgent, serverOptionsFromEnv } from "../src/index.js";
import { actAsOneClient } from "./client-fetch.js";
import { runInput, type Started, startServer, waitFor } from "./helpers.js";

/** One client: every fetch keeps the session cookie of the threads it creates (see client-fetch.ts). */
actAsOneClient();

/** An agent whose "hold" runs stream until stopped or released; it records how each run ended. */
function holdingAgent(busy?: BusyPolicy) {
  const log: string[] = [];
  let release = () => {};
  const agent = defineAgent({
    name: "holder",
    description: "holds the thread",
    ...(busy ? { busy } : {}),
    async *run(input, ctx) {
      log.push(`start ${input.prompt}`);
      try {
        if (input.prompt === "hold") {
          const released = new Promise<void>((resolve) => {
            release = resolve;
          });
          yield "first words ";
          let open = true;
          void released.then(() => {
            open = false;
          });
          while (open && !ctx.signal.aborted) {
            yield ".";
            await new Promise((r) => setTimeout(r, 10));
          }
        }
        yield `done ${input.prompt}`;
      } finally {
        log.push(`end ${input.prompt}${ctx.signal.aborted ? " (stopped)" : ""}`);
      }
    },
  });
  return { agent, log, release: () => release() };
}

let server: Started | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function run(url: string, threadId: string, prompt: string, forwardedProps: Record<string, unknown> = {}) {
  return fetch(`${url}/api/agents/holder/run`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(runInput(prompt, { threadId, forwardedProps })),
  });
}

describe("busy thread policy", () => {
  it("reject (the default): 409 thread_busy, the running run goes on", async () => {
    const { agent, log, release } = holdingAgent();
    server = await startServer({ agents: { holder: agent } });
    const threadId = randomUUID();
    const first = await run(server.url, threadId, "hold");
    expect(await waitFor(() => log.includes("start hold"))).toBe(true);
    const second = await run(server.url, threadId, "next");
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe("thread_busy");
    release();
    expect(await first.text()).toContain("done hold");
    expect(log).toEqual(["start hold", "end hold"]);
  });

  it("interrupt (per request): stops the running run (its finally runs, its partial output stays), then runs", async () => {
    const { agent, log } = holdingAgent();
    server = await startServer({ agents: { holder: agent } });
    const threadId = randomUUID();
    const first = await run(server.url, threadId, "hold");
    const firstText = first.text();
    expect(await waitFor(() => log.includes("start hold"))).toBe(true);
    const second = await run(server.url, threadId, "next", { busy: "interrupt" });
    expect(second.status).toBe(200);
    expect(await second.text()).toContain("done next");
    const firstBody = await firstText;
    expect(firstBody).toContain("first words");
    expect(firstBody).not.toContain("done hold");
    // The thread is free once the stopped run's log has ended; its generator's finally may still be
    // finishing while the next run starts.
    expect(await waitFor(() => log.includes("end hold (stopped)"))).toBe(true);
    expect(log.indexOf("start next")).toBeGreaterThan(log.indexOf("start hold"));
    expect(log).not.toContain("end hold");
    expect(log.filter((l) => l.startsWith("start"))).toEqual(["start hold", "start next"]);
  });

  it("enqueue (per agent): the second run starts when the first ends, and streams", async () => {
    const { agent, log, release } = holdingAgent("enqueue");
    server = await startServer({ agents: { holder: agent } });
    const threadId = randomUUID();
    const first = await run(server.url, threadId, "hold");
    const firstText = first.text();
    expect(await waitFor(() => log.includes("start hold"))).toBe(true);
    const second = run(server.url, threadId, "next");
    await new Promise((r) => setTimeout(r, 100));
    expect(log).toEqual(["start hold"]); // queued, not started
    release();
    const res = await second;
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("done next");
    expect(await firstText).toContain("done hold");
    expect(log).toEqual(["start hold", "end hold", "start next", "end next"]);
  });

  it("refuses a policy it does not know, in a request, an agent or the environment", async () => {
    const { agent } = holdingAgent();
    server = await startServer({ agents: { holder: agent } });
    const res = await run(server.url, randomUUID(), "x", { busy: "later" });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /forwardedProps.busy must be one of reject, interrupt, enqueue/,
    );
    expect(() =>
      defineAgent({ name: "x", description: "", busy: "later" as BusyPolicy, async *run() {} }),
    ).toThrow(/busy must be one of/);
    expect(serverOptionsFromEnv({ AGENTSTREAM_BUSY: "Enqueue" }).busy).toBe("enqueue");
    expect(() => serverOptionsFromEnv({ AGENTSTREAM_BUSY: "later" })).toThrow(/AGENTSTREAM_BUSY/);
  });
});
