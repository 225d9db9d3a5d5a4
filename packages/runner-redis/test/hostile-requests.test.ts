import { afterAll, beforeAll } from "vitest";
import { hostileRequests } from "../../runtime/test/hostile-requests.js";
import { RedisRunner } from "../src/index.js";
import { startRedis, type TestRedis } from "./redis-server.js";

let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

hostileRequests("redis", () => RedisRunner.open({ url: redis.url, prefix: "hostile:" }));
