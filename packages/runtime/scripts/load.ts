/**
 * Load test of the plain AG-UI endpoint: N concurrent streams of ~E events each, at pace 0, on
 * 127.0.0.1. The server runs in a child process on the built package (scripts/load-server.mjs,
 * plain Node, so its memory is measured alone and without a TS loader); the parent opens the
 * streams with fetch and parses the SSE with core's parser.
 *
 *   pnpm exec tsx scripts/load.ts [--streams 200] [--events 200] [--timeout-ms 60000]
 *
 * Prints completed/errors, p50/p99 time to first event, p50/p99 stream duration, throughput,
 * and the server's peak RSS. Needs the packages built (`pnpm build`).
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { Agent, type IncomingMessage, request } from "node:http";
import { fileURLToPath } from "node:url";
import { parseSse } from "@agentstream/core";

interface Args {
  streams: number;
  events: number;
  timeoutMs: number;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string, fallback: number, max: number) => {
    const i = argv.indexOf(`--${name}`);
    const value = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isInteger(value) || value < 1 || value > max)
      throw new Error(`--${name} must be an integer in 1..${max}`);
    return value;
  };
  return {
    streams: get("streams", 200, 5_000),
    events: get("events", 200, 100_000),
    timeoutMs: get("timeout-ms", 60_000, 600_000),
  };
}

/** One connection per stream, no pooling limits. */
const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });

interface StreamStats {
  ok: boolean;
  error?: string;
  firstEventMs?: number;
  durationMs: number;
  events: number;
}

/** One stream over node:http (lighter than fetch, so the client measures the server, not itself). */
async function oneStream(url: string, signal: AbortSignal): Promise<StreamStats> {
  const started = performance.now();
  const body = JSON.stringify({
    threadId: randomUUID(),
    runId: randomUUID(),
    messages: [{ id: randomUUID(), role: "user", content: "load test" }],
    tools: [],
    context: [],
    state: {},
    forwardedProps: {},
  });
  let events = 0;
  let firstEventMs: number | undefined;
  let finished = false;
  try {
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(`${url}/api/agents/load/run`, {
        method: "POST",
        agent,
        signal,
        headers: {
          "content-type": "application/json",
          accept: "text/event-stream",
          "content-length": Buffer.byteLength(body),
        },
      });
      req.once("response", resolve);
      req.once("error", reject);
      req.end(body);
    });
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
    for await (const msg of parseSse(res, { signal })) {
      firstEventMs ??= performance.now() - started;
      events++;
      const type = (JSON.parse(msg.data) as { type: string }).type;
      if (type === "RUN_ERROR") throw new Error("RUN_ERROR");
      if (type === "RUN_FINISHED") finished = true;
    }
    if (!finished) throw new Error(signal.aborted ? "timeout" : "stream ended without RUN_FINISHED");
    return { ok: true, firstEventMs, durationMs: performance.now() - started, events };
  } catch (error) {
    return {
      ok: false,
      error: error instanceof Error ? error.message : String(error),
      firstEventMs,
      durationMs: performance.now() - started,
      events,
    };
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function ask<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (msg: { type: string }) => {
      if (msg.type === type) {
        child.off("message", on);
        resolve(msg as T);
      }
    };
    child.on("message", on);
    if (type !== "ready") child.send({ type });
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const child = fork(fileURLToPath(new URL("./load-server.mjs", import.meta.url)), [String(args.events)], {
    execArgv: process.env.LOAD_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.LOAD_CPU_PROF}`] : [],
    env: { ...process.env, COPILOTKIT_TELEMETRY_DISABLED: "true", DO_NOT_TRACK: "1" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    const ready = await ask<{ url: string; rss: number }>(child, "ready");
    console.log(`server ${ready.url} (pid ${child.pid}), idle RSS ${(ready.rss / 2 ** 20).toFixed(1)} MiB`);
    console.log(
      `${args.streams} concurrent streams × ~${args.events} events, pace 0, timeout ${args.timeoutMs} ms`,
    );
    // Warm-up: one stream, so that module loading and JIT do not count as time to first event.
    await oneStream(ready.url, AbortSignal.timeout(10_000));

    const serverCpuBefore = (await ask<{ cpuMs: number }>(child, "cpu")).cpuMs;
    const deadline = AbortSignal.timeout(args.timeoutMs);
    setMaxListeners(args.streams * 4 + 16, deadline); // every stream listens to the one deadline
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: args.streams }, () => oneStream(ready.url, deadline)),
    );
    const wall = performance.now() - started;
    const memory = await ask<{ peakRss: number; maxRss: number; rss: number; cpuMs: number }>(
      child,
      "memory",
    );
    const clientCpu = process.cpuUsage(cpuStart);

    const ok = results.filter((r) => r.ok);
    const failed = results.filter((r) => !r.ok);
    const ttfe = results.flatMap((r) => (r.firstEventMs === undefined ? [] : [r.firstEventMs]));
    const durations = ok.map((r) => r.durationMs);
    const events = results.reduce((a, r) => a + r.events, 0);
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    console.log(`completed ${ok.length}/${args.streams}, errors ${failed.length}`);
    if (failed.length) {
      const reasons = new Map<string, number>();
      for (const f of failed) reasons.set(f.error ?? "?", (reasons.get(f.error ?? "?") ?? 0) + 1);
      console.log(`  errors: ${[...reasons].map(([r, n]) => `${r} ×${n}`).join(", ")}`);
    }
    console.log(
      `events ${events} (${(events / Math.max(1, results.length)).toFixed(0)} per stream), ${((events / wall) * 1000).toFixed(0)} events/s, wall ${wall.toFixed(0)} ms`,
    );
    console.log(
      `time to first event: p50 ${percentile(ttfe, 50).toFixed(1)} ms, p99 ${percentile(ttfe, 99).toFixed(1)} ms`,
    );
    console.log(
      `stream duration:     p50 ${percentile(durations, 50).toFixed(1)} ms, p99 ${percentile(durations, 99).toFixed(1)} ms`,
    );
    console.log(
      `server peak RSS ${mib(Math.max(memory.peakRss, memory.maxRss))} (sampled ${mib(memory.peakRss)}, getrusage ${mib(memory.maxRss)}), now ${mib(memory.rss)}`,
    );
    console.log(
      `cpu during the run: server ${(memory.cpuMs - serverCpuBefore).toFixed(0)} ms, client ${((clientCpu.user + clientCpu.system) / 1000).toFixed(0)} ms`,
    );
    process.exitCode = failed.length ? 1 : 0;
  } finally {
    child.send({ type: "stop" });
    const exited = new Promise((r) => child.once("exit", r));
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

await main();
