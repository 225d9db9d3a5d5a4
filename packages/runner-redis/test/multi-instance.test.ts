/**
 * Several server processes on one real Redis: run on A, follow/stop/resume on B; kill -9 of the
 * owner; Redis restarted mid-run.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actAsOneClient } from "../../runtime/test/client-fetch.js";
import { follow, type Instance, readSse, run, type SseEvent, startInstance, stop } from "./instances.js";
import { startRedis, type TestRedis } from "./redis-server.js";

/**
 * One client, as a browser on one host: its session cookie from A is sent to B too (instances
 * share the signing secret through Redis).
 */
actAsOneClient();

const LEASE_MS = 1500;
let redis: TestRedis;
let a: Instance;
let b: Instance;
const extra: Instance[] = [];

function env(): Record<string, string> {
  return {
    REDIS_URL: redis.url,
    AGENTSTREAM_REDIS_PREFIX: "multi:",
    AGENTSTREAM_RUN_LEASE_MS: String(LEASE_MS),
    AGENTSTREAM_DETACHED_RUN_MS: "30000",
  };
}

beforeAll(async () => {
  redis = await startRedis();
  [a, b] = await Promise.all([startInstance(env()), startInstance(env())]);
});
afterAll(async () => {
  await Promise.all([a, b, ...extra].map((i) => i?.kill()));
  await redis?.stop();
});

const ids = (events: SseEvent[]) => events.map((e) => e.id);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("two instances on one Redis", () => {
  it("thread capabilities hold across instances: A's token opens the thread on B, a stranger gets 404", async () => {
    const threadId = randomUUID();
    const res = await run(a.url, threadId, { count: 100_000, paceMs: 5 });
    const token = res.headers.get("x-thread-token") ?? "";
    await res.body?.cancel();
    const events = `${b.url}/api/agents/tokens/threads/${threadId}/events`;
    expect((await globalThis.fetch(events, { headers: { cookie: "" } })).status).toBe(404);
    const withToken = await globalThis.fetch(events, { headers: { "x-thread-token": token, cookie: "" } });
    expect(withToken.status).toBe(200);
    await withToken.body?.cancel();
    expect((await stop(b.url, threadId)).status).toBe(200);
  });

  it("run on A, connect on B: replay plus live, identical to A's stream", async () => {
    const threadId = randomUUID();
    const onA = readSse(await run(a.url, threadId, { count: 150, paceMs: 5 }));
    await sleep(200);
    const onB = readSse(await follow(b.url, threadId));
    const [ea, eb] = await Promise.all([onA, onB]);
    expect(ea.at(-1)?.event.type).toBe("RUN_FINISHED");
    expect(ids(ea)).toEqual(Array.from({ length: ea.length }, (_, i) => i + 1));
    expect(eb).toEqual(ea);
  });

  it("stop on B: A's generator finally runs within 250 ms; both streams end the run", async () => {
    const threadId = randomUUID();
    const runId = randomUUID();
    const onA = readSse(await run(a.url, threadId, { count: 100_000, paceMs: 5 }, runId));
    const onB = readSse(await follow(b.url, threadId));
    await sleep(200);
    const stoppedAt = Date.now();
    const res = await stop(b.url, threadId);
    expect(res.status).toBe(200);
    const [ea, eb] = await Promise.all([onA, onB]);
    expect(a.finallyAt.has(runId)).toBe(true);
    const latency = (a.finallyAt.get(runId) ?? Infinity) - stoppedAt;
    console.log(`stop on B -> finally on A: ${latency} ms`);
    expect(latency).toBeLessThan(250);
    for (const events of [ea, eb]) {
      expect(events.at(-1)?.event.type).toBe("RUN_FINISHED");
      const interrupted = events.find((e) => e.event.type === "CUSTOM");
      expect((interrupted?.event.value as { reason?: string } | undefined)?.reason).toBe("stopped by user");
    }
    expect(eb).toEqual(ea.slice(ea.length - eb.length));
  });

  it("resume on B from cuts made on A: 20 random cut points, 0 lost, 0 duplicated", async () => {
    const threadId = randomUUID();
    const reference = readSse(await run(a.url, threadId, { count: 400, paceMs: 4 }));
    let lost = 0;
    let duplicated = 0;
    const cuts = Array.from({ length: 20 }, () => 1 + Math.floor(Math.random() * 380));
    const results = await Promise.all(
      cuts.map(async (cut, k) => {
        // Some cuts start late (replay then live), some early (live only).
        await sleep(k * 60 * Math.random());
        const head = await readSse(
          await follow(a.url, threadId),
          (events) => (events.at(-1)?.id ?? 0) >= cut,
        );
        const last = head.at(-1)?.id ?? 0;
        const tail = await readSse(await follow(b.url, threadId, last));
        return [...head, ...tail];
      }),
    );
    const all = await reference;
    expect(all.at(-1)?.event.type).toBe("RUN_FINISHED");
    for (const joined of results) {
      const seen = new Set<number | undefined>();
      for (const e of joined) {
        if (seen.has(e.id)) duplicated++;
        seen.add(e.id);
      }
      lost += all.filter((e) => !seen.has(e.id)).length;
      expect(joined).toEqual(all);
    }
    console.log(`20 cuts (${cuts.join(",")}): lost ${lost}, duplicated ${duplicated}`);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
  });

  it("kill -9 of the owner mid-run: B's reader ends with RUNNER_LOST within the lease; the thread runs again", async () => {
    const victim = await startInstance(env());
    extra.push(victim);
    const threadId = randomUUID();
    const onVictim = readSse(await run(victim.url, threadId, { count: 100_000, paceMs: 5 })).catch(() => []);
    await sleep(100);
    const onB = readSse(await follow(b.url, threadId));
    await sleep(300);
    const killedAt = Date.now();
    await victim.kill("SIGKILL");
    const eb = await onB;
    const endedAfter = Date.now() - killedAt;
    await onVictim;
    console.log(`owner SIGKILL -> RUNNER_LOST on B after ${endedAfter} ms (lease ${LEASE_MS} ms)`);
    const last = eb.at(-1);
    expect(last?.event.type).toBe("RUN_ERROR");
    expect(last?.event.code).toBe("RUNNER_LOST");
    expect(eb.filter((e) => e.event.type === "TEXT_MESSAGE_CONTENT").length).toBeGreaterThan(5);
    expect(endedAfter).toBeLessThanOrEqual(LEASE_MS);
    // The log is whole: ids without gaps up to the terminal error.
    expect(ids(eb)).toEqual(Array.from({ length: eb.length }, (_, i) => (eb[0]?.id ?? 1) + i));
    const again = await readSse(await run(a.url, threadId, { count: 5 }));
    expect(again[0]?.id).toBe((last?.id ?? 0) + 1);
    expect(again.at(-1)?.event.type).toBe("RUN_FINISHED");
  });

  it("Redis restarted mid-run: streams end with a clear error, /healthz says degraded, the servers recover", async () => {
    const threadId = randomUUID();
    const onA = readSse(await run(a.url, threadId, { count: 100_000, paceMs: 5 }));
    const onB = readSse(await follow(b.url, threadId));
    await sleep(300);
    await redis.kill();
    const [ea, eb] = await Promise.all([onA, onB]);
    for (const events of [ea, eb]) {
      const last = events.at(-1);
      expect(last?.event.type).toBe("RUN_ERROR");
      expect(last?.event.code).toBe("UNAVAILABLE");
      expect(String(last?.event.message)).toMatch(/Redis/);
    }
    const health = (await (await fetch(`${a.url}/healthz`)).json()) as {
      status: string;
      runner: { status: string };
    };
    expect(health.status).toBe("degraded");
    expect(health.runner.status).toBe("degraded");
    await redis.restart();
    for (const instance of [a, b]) {
      const t0 = Date.now();
      while (Date.now() - t0 < 10_000) {
        const h = (await (await fetch(`${instance.url}/healthz`)).json()) as { status: string };
        if (h.status === "ok") break;
        await sleep(100);
      }
      const events = await readSse(await run(instance.url, randomUUID(), { count: 20 }));
      expect(events.at(-1)?.event.type).toBe("RUN_FINISHED");
    }
  });
});
