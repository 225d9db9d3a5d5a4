/**
 * The per-stream output rate (`eventsPerSecond`) against a real server on a real port over real
 * SSE, parameterised by the runner so that the memory runner and the Redis runner run the same
 * cases: beyond the rate token deltas merge before the log (fewer events, the same text, the same
 * order of everything else), a resume replays exactly what the live reader got, and a stream
 * below the rate is unchanged.
 */
import { parseSse, type SseMessage } from "@agentstream/core";
import { describe, expect, it } from "vitest";
import { type AgentDefinition, type AgentServerOptions, defineAgent } from "../src/index.js";
import type { AgentStreamRunner } from "../src/runner.js";
import {
  copilotRunUrl,
  plainRunUrl,
  runInput,
  runWithHttpAgent,
  type Started,
  startServer,
} from "./helpers.js";

/** A runner for one case, and how to release it. */
export type RateRunnerFactory = () => Promise<{ runner: AgentStreamRunner; close(): Promise<void> }>;

const TOKENS = 400;

/** `count` tokens (and, with `thinking`, as many reasoning deltas first) with no pause at all. */
function fast(name: string, count: number, extra: Partial<Parameters<typeof defineAgent>[0]> = {}) {
  return defineAgent({
    name,
    description: "many tokens, no pause",
    async *run() {
      for (let i = 0; i < count; i++) yield { type: "thinking", text: `r${i} ` };
      yield { type: "progress", step: "Writing", current: 1, total: 2 };
      for (let i = 0; i < count; i++) yield `t${i} `;
      yield { type: "tool_call", id: "c1", name: "lookup", args: { q: "x" } };
      yield { type: "tool_result", id: "c1", name: "lookup", result: 1, success: true };
      for (let i = 0; i < count; i++) yield `u${i} `;
      return { done: true };
    },
    ...extra,
  });
}

/** Tokens `gapMs` apart: a stream below the rate. */
const slow = (count: number, gapMs: number) =>
  defineAgent({
    name: "slow",
    description: "paced tokens",
    async *run(_input, ctx) {
      for (let i = 0; i < count; i++) {
        yield `s${i} `;
        await ctx.sleep(gapMs);
      }
    },
  });

interface Frame {
  id: string;
  data: string;
  type: string;
  delta?: string;
  messageId?: string;
}

async function frames(res: Response): Promise<Frame[]> {
  expect(res.status).toBe(200);
  const out: Frame[] = [];
  for await (const msg of parseSse(res.body as ReadableStream<Uint8Array>)) {
    const m = msg as SseMessage;
    const event = JSON.parse(m.data) as { type: string; delta?: string; messageId?: string };
    out.push({ id: m.id ?? "", data: m.data, ...event });
  }
  return out;
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

const DELTAS = new Set(["TEXT_MESSAGE_CONTENT", "REASONING_MESSAGE_CONTENT"]);
/** The events that are not deltas, by type: what the rate never touches. */
const structure = (fs: Frame[]) => fs.filter((f) => !DELTAS.has(f.type)).map((f) => f.type);
/** Each message's text, in order of appearance. */
function texts(fs: Frame[]): string[] {
  const by = new Map<string, string>();
  for (const f of fs)
    if (DELTAS.has(f.type)) by.set(f.messageId ?? "", (by.get(f.messageId ?? "") ?? "") + f.delta);
  return [...by.values()];
}
const expected = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${i} `).join("");

async function coalescedMetric(url: string, agent: string, route: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text
    .split("\n")
    .find((l) => l.startsWith(`agentstream_events_coalesced_total{agent="${agent}",route="${route}"}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

/** Registers the output-rate cases for one runner (`undefined`: the server's default memory runner). */
export function outputRateCases(name: string, factory?: RateRunnerFactory): void {
  describe(`output rate (eventsPerSecond), ${name} runner`, () => {
    async function withServer<T>(
      options: Omit<AgentServerOptions, "agents"> & { agents: Record<string, AgentDefinition> },
      body: (s: Started) => Promise<T>,
    ): Promise<T> {
      const under = await factory?.();
      const s = await startServer({ ...options, ...(under ? { runner: under.runner } : {}) });
      try {
        return await body(s);
      } finally {
        await s.close();
        await under?.close();
      }
    }

    it("a fast agent at a low rate: fewer events, identical text, the other events untouched and in order", () =>
      withServer({ agents: { fast: fast("fast", TOKENS) } }, async (unlimited) => {
        const baseline = await frames(await post(plainRunUrl(unlimited.url, "fast"), runInput("go")));
        return withServer({ agents: { fast: fast("fast", TOKENS) }, eventsPerSecond: 20 }, async (s) => {
          const live = await frames(await post(plainRunUrl(s.url, "fast"), runInput("go")));
          const deltas = (fs: Frame[]) => fs.filter((f) => DELTAS.has(f.type)).length;
          expect(deltas(baseline)).toBe(3 * TOKENS);
          // 20 events per second with a burst of 20: a run that takes well under a few seconds
          // cannot have more than a few dozen deltas.
          expect(deltas(live)).toBeLessThan(100);
          expect(live.length).toBeLessThan(baseline.length);
          expect(texts(live)).toEqual([expected("r", TOKENS), expected("t", TOKENS), expected("u", TOKENS)]);
          expect(structure(live)).toEqual(structure(baseline));
          expect(live.map((f) => Number(f.id))).toEqual(live.map((_, i) => i + 1));
          // Every delta that is not its own event is counted.
          expect(await coalescedMetric(s.url, "fast", "plain")).toBe(3 * TOKENS - deltas(live));
          expect(await coalescedMetric(unlimited.url, "fast", "plain")).toBe(0);
        });
      }));

    it("a resume from a mid id replays exactly the events the live reader got after it", () =>
      withServer({ agents: { fast: fast("fast", TOKENS) }, eventsPerSecond: 10 }, async (s) => {
        const input = runInput("go");
        const live = await frames(await post(plainRunUrl(s.url, "fast"), input));
        const events = `${s.url}/api/agents/fast/threads/${input.threadId}/events`;
        const whole = await frames(await fetch(`${events}?after=0`));
        expect(whole.map((f) => f.data)).toEqual(live.map((f) => f.data));
        for (const mid of [1, Math.floor(live.length / 3), Math.floor(live.length / 2), live.length - 2]) {
          const tail = await frames(await fetch(events, { headers: { "Last-Event-ID": String(mid) } }));
          expect(tail.map((f) => `${f.id} ${f.data}`)).toEqual(
            live.slice(mid).map((f) => `${f.id} ${f.data}`),
          );
        }
      }));

    it("the CopilotKit route and an agent's own rate: merged the same way; the stream passes AG-UI's verifier", () =>
      withServer({ agents: { own: fast("own", TOKENS, { eventsPerSecond: 15 }) } }, async (s) => {
        const live = await frames(await post(copilotRunUrl(s.url, "own"), runInput("go")));
        expect(live.filter((f) => DELTAS.has(f.type)).length).toBeLessThan(100);
        expect(texts(live)).toEqual([expected("r", TOKENS), expected("t", TOKENS), expected("u", TOKENS)]);
        expect(await coalescedMetric(s.url, "own", "copilotkit")).toBeGreaterThan(0);
        const verified = await runWithHttpAgent(plainRunUrl(s.url, "own"), runInput("go"));
        expect(verified.error).toBeUndefined();
        expect(verified.text).toBe(expected("t", TOKENS) + expected("u", TOKENS));
      }));

    it("a slow agent below the rate is unchanged: one event per token, nothing merged", () =>
      withServer({ agents: { slow: slow(30, 80) }, eventsPerSecond: 20 }, async (s) => {
        const live = await frames(await post(plainRunUrl(s.url, "slow"), runInput("go")));
        const contents = live.filter((f) => f.type === "TEXT_MESSAGE_CONTENT");
        expect(contents.map((f) => f.delta)).toEqual(Array.from({ length: 30 }, (_, i) => `s${i} `));
        expect(await coalescedMetric(s.url, "slow", "plain")).toBe(0);
      }));
  });
}
