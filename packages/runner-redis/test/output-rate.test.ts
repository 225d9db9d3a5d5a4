import { afterAll, beforeAll } from "vitest";
import { actAsOneClient } from "../../runtime/test/client-fetch.js";
import { outputRateCases } from "../../runtime/test/output-rate-cases.js";
import { RedisRunner } from "../src/index.js";
import { startRedis, type TestRedis } from "./redis-server.js";

/** One client: every fetch keeps the session cookie of the threads it creates. */
actAsOneClient();

let redis: TestRedis;
let n = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

outputRateCases("redis", async () => {
  const runner = await RedisRunner.open({ url: redis.url, prefix: `rate${++n}:` });
  return { runner, close: () => runner.close() };
});
