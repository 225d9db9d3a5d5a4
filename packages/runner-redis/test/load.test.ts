/**
 * Figures: one 10,000-token run through the plain route, memory runner vs Redis runner (same
 * process, same run); 200 concurrent streams over two instances on Redis vs the memory runner on
 * one instance.
 */
import { randomUUID } from "node:crypto";
import { defineAgent, MemoryRunner } from "@agentstream/runtime";
import { createAgentServer } from "@agentstream/runtime/express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisRunner } from "../src/index.js";
import { type Instance, readSse, run, startInstance } from "./instances.js";
import { startRedis, type TestRedis } from "./redis-server.js";

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const tokens = defineAgent({
  name: "tokens",
  description: "test tokens",
  async *run(input) {
    const { count = 10 } = JSON.parse(input.prompt || "{}") as { count?: number };
    for (let i = 0; i < count; i++) yield `t${i} `;
  },
});

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
const pct = (xs: number[], p: number) =>
  [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] as number;

describe("figures", () => {
  it("one run of 10,000 token events: Redis runner at most 3x the memory runner", async () => {
    const memory = new MemoryRunner();
    const redisRunner = await RedisRunner.open({ url: redis.url, prefix: "bench:" });
    const servers = [
      createAgentServer({ agents: [tokens], runner: memory, logLevel: "silent", paceMs: 0 }),
      createAgentServer({ agents: [tokens], runner: redisRunner, logLevel: "silent", paceMs: 0 }),
    ];
    const urls = await Promise.all(servers.map((s) => s.listen(0)));
    const times: number[][] = [[], []];
    try {
      for (let round = 0; round < 5; round++) {
        for (const k of [0, 1]) {
          const t0 = performance.now();
          const events = await readSse(await run(urls[k] as string, randomUUID(), { count: 10_000 }));
          times[k]?.push(performance.now() - t0);
          expect(events).toHaveLength(10_004);
        }
      }
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await redisRunner.close();
      await memory.close();
    }
    const [mem, red] = [median(times[0] as number[]), median(times[1] as number[])];
    console.log(
      `10k-token run, plain route, median of 5: memory ${mem.toFixed(0)} ms, redis ${red.toFixed(0)} ms, ratio ${(red / mem).toFixed(2)}x`,
    );
    expect(red / mem).toBeLessThanOrEqual(3);
  });

  it("200 concurrent streams: two Redis instances vs the memory runner on one", async () => {
    const STREAMS = 200;
    const COUNT = 200;
    async function load(instances: Instance[]) {
      const ttfe: number[] = [];
      let events = 0;
      let errors = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: STREAMS }, async (_, i) => {
          const instance = instances[i % instances.length] as Instance;
          const start = performance.now();
          try {
            const res = await run(instance.url, randomUUID(), { count: COUNT });
            const got = await readSse(res, undefined, () => ttfe.push(performance.now() - start));
            events += got.length;
            if (got.at(-1)?.event.type !== "RUN_FINISHED") errors++;
          } catch {
            errors++;
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      return { errors, p50: pct(ttfe, 50), p99: pct(ttfe, 99), eventsPerSecond: events / seconds, events };
    }
    const env = { REDIS_URL: redis.url, AGENTSTREAM_REDIS_PREFIX: "load:" };
    const memoryOne = await startInstance({ REDIS_URL: "" });
    const redisTwo = await Promise.all([startInstance(env), startInstance(env)]);
    try {
      const mem = await load([memoryOne]);
      const red = await load(redisTwo);
      const line = (name: string, r: typeof mem) =>
        `${name}: ${r.errors} errors, time to first event p50 ${r.p50.toFixed(0)} ms / p99 ${r.p99.toFixed(0)} ms, ${Math.round(r.eventsPerSecond)} events/s (${r.events} events)`;
      console.log(
        `${STREAMS} streams x ${COUNT} tokens\n${line("memory, 1 instance", mem)}\n${line("redis, 2 instances", red)}`,
      );
      expect(mem.errors).toBe(0);
      expect(red.errors).toBe(0);
      expect(red.events).toBe(STREAMS * (COUNT + 4));
    } finally {
      await Promise.all([memoryOne, ...redisTwo].map((i) => i.kill()));
    }
  }, 120_000);
});
