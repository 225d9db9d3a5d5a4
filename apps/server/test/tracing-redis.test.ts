/**
 * Runner spans on the Redis runner, against a real redis-server and the local OTLP receiver: a
 * stop and an answer sent to another instance are traced where they take effect, on the run's
 * owner, as children of its run span; a run whose owner died (kill -9 of a server process) is
 * ended by the instance that notices, and that ending is a span of its own.
 */
import { randomUUID } from "node:crypto";
import { RedisRunner } from "@agentstream/runner-redis";
import { defineAgent, silentLogger } from "@agentstream/runtime";
import { type AgentServer, createAgentServer } from "@agentstream/runtime/express";
import { afterAll, beforeAll, expect, it } from "vitest";
import { follow, readSse, run, startInstance } from "../../../packages/runner-redis/test/instances.js";
import { startRedis, type TestRedis } from "../../../packages/runner-redis/test/redis-server.js";
import { actAsOneClient } from "../../../packages/runtime/test/client-fetch.js";
import { attr, collect, isAsk, post, type Receiver, runBody, startReceiver, until } from "./otlp-receiver.js";

/** One client: every fetch keeps the session cookie of the threads it creates. */
actAsOneClient();

const PREFIX = "trace:";
const LEASE_MS = 1000;

const steered = defineAgent({
  name: "steered",
  description: "asks, then ticks until stopped",
  async *run(_input, ctx) {
    const way = await ctx.ask<string>({ prompt: "Which way?", choices: ["Left", "Right"] });
    for (let i = 0; i < 1000; i++) {
      yield `${way} ${i} `;
      await ctx.sleep(10);
    }
  },
});

/** The agent of the server processes (`packages/runner-redis/test/fixtures/server.ts`), so this instance can follow their threads. */
const tokens = defineAgent({ name: "tokens", description: "test tokens", async *run() {} });

let r: Receiver;
let redis: TestRedis;
const runners: RedisRunner[] = [];
const servers: AgentServer[] = [];
const urls: string[] = [];

beforeAll(async () => {
  r = await startReceiver();
  redis = await startRedis();
  for (let i = 0; i < 2; i++) {
    const runner = await RedisRunner.open({ url: redis.url, prefix: PREFIX, leaseMs: LEASE_MS });
    const server = createAgentServer({
      agents: { steered, tokens },
      runner,
      logger: silentLogger,
      paceMs: 0,
    });
    runners.push(runner);
    servers.push(server);
    urls.push(await server.listen(0, "127.0.0.1"));
  }
});

afterAll(async () => {
  for (const s of servers) await s.close();
  for (const runner of runners) await runner.close();
  await redis?.stop();
  await r?.close();
});

it("an answer and a stop sent to another instance: spans on the owner, children of its run span", async () => {
  const [a, b] = urls as [string, string];
  const threadId = randomUUID();
  const onA = collect(post(`${a}/api/agents/steered/run`, runBody(threadId)));
  await until(() => onA.events.some(isAsk));
  const ask = onA.events.find(isAsk)?.content as { id: string };
  const answered = await post(
    `${b}/api/agents/steered/threads/${threadId}/answer`,
    JSON.stringify({ askId: ask.id, value: "Left" }),
  );
  expect(answered.status).toBe(200);
  await until(() => onA.events.filter((e) => e.type === "TEXT_MESSAGE_CONTENT").length >= 3);
  expect((await post(`${b}/api/agents/steered/threads/${threadId}/stop`, "{}")).status).toBe(200);
  await onA.done;
  expect(onA.events.at(-1)?.type).toBe("RUN_FINISHED");

  const { run: span, child } = await r.spansOf(threadId);
  expect(attr(span, "agentstream.outcome")).toBe("interrupted");
  const [delivered] = child("agentstream.runner.answer");
  expect(attr(delivered, "agentstream.remote")).toBe(true);
  expect(attr(delivered, "agentstream.answer_status")).toBe("answered");
  const [stop] = child("agentstream.runner.stop");
  expect(attr(stop, "agentstream.remote")).toBe(true);
  expect(attr(child("agentstream.runner.start")[0], "agentstream.runner")).toBe("redis");
});

it("kill -9 of the owner: the instance that ends the run for the lost owner reports it as a span agentstream.runner.lost", async () => {
  const victim = await startInstance({
    REDIS_URL: redis.url,
    AGENTSTREAM_REDIS_PREFIX: PREFIX,
    AGENTSTREAM_RUN_LEASE_MS: String(LEASE_MS),
    AGENTSTREAM_DETACHED_RUN_MS: "30000",
  });
  try {
    const threadId = randomUUID();
    const onVictim = readSse(await run(victim.url, threadId, { count: 100_000, paceMs: 5 })).catch(() => []);
    const onB = readSse(await follow(urls[1] as string, threadId));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await victim.kill("SIGKILL");
    const events = await onB;
    await onVictim;
    expect(events.at(-1)?.event.code).toBe("RUNNER_LOST");
    await r.tracing?.flush();
    const lost = r.received.filter(
      (s) => s.name === "agentstream.runner.lost" && attr(s, "agentstream.thread_id") === threadId,
    );
    expect(lost).toHaveLength(1);
    const [span] = lost as [(typeof lost)[number]];
    expect(span.parentSpanId || undefined).toBeUndefined(); // a trace of its own
    expect(attr(span, "agentstream.lost_reason")).toBe("owner lost");
    expect(Number(attr(span, "agentstream.lease_ms"))).toBe(LEASE_MS);
    expect(Number(attr(span, "agentstream.events"))).toBeGreaterThan(5);
  } finally {
    await victim.kill();
  }
});
