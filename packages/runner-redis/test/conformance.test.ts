import { afterAll, beforeAll } from "vitest";
import { runnerConformance } from "../../runtime/test/runner-conformance.js";
import { RedisRunner } from "../src/index.js";
import { startRedis, type TestRedis } from "./redis-server.js";

let redis: TestRedis;
let n = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

runnerConformance("redis", async (options) => {
  // A fresh key prefix per case: one Redis, independent runners.
  const runner = await RedisRunner.open({ url: redis.url, prefix: `conf${++n}:`, ...options });
  return { runner, close: () => runner.close() };
});
