import { afterAll, beforeAll, expect, it } from "vitest";
import { defineAgent } from "../../runtime/src/index.js";
import { runInput, type Started, startServer } from "../../runtime/test/helpers.js";
import { RedisRunner } from "../src/index.js";
import { startRedis, type TestRedis } from "./redis-server.js";

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

it("run limits counted in Redis are shared by every instance (atomic across instances)", async () => {
  let started = 0;
  const agent = defineAgent({
    name: "counted",
    description: "counts its runs",
    async *run() {
      started++;
      yield "done";
    },
  });
  const servers: Started[] = [];
  const runners: RedisRunner[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const runner = await RedisRunner.open({ url: redis.url, prefix: "limits-test:" });
      runners.push(runner);
      servers.push(
        await startServer({
          agents: { counted: agent },
          runner,
          limits: { runsPerMinute: 3, storeClient: runner.redis, keyPrefix: "limits-test" },
        }),
      );
    }
    const post = (s: Started) =>
      fetch(`${s.url}/api/agents/counted/run`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(runInput("hi")),
      });
    // Six requests at once, three on each instance: exactly three pass, whichever instance got them.
    const responses = await Promise.all([0, 1, 0, 1, 0, 1].map((i) => post(servers[i] as Started)));
    const statuses = responses.map((r) => r.status).sort();
    await Promise.all(responses.map((r) => r.text()));
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    expect(started).toBe(3);
  } finally {
    for (const s of servers) await s.close();
    for (const r of runners) await r.close();
  }
});
