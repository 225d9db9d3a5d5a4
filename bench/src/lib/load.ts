/**
 * A bounded load client: N concurrent SSE streams against 127.0.0.1 with a concurrency cap and
 * an overall time limit. It uses node:http with one connection per stream (lighter than fetch,
 * so on a 2-core machine the client takes as little CPU from the server as it can) and core's
 * SSE parser; only the last event of each stream is JSON-decoded (to check RUN_FINISHED).
 *
 * @packageDocumentation
 */
import { setMaxListeners } from "node:events";
import { Agent, type IncomingMessage, request } from "node:http";
import { parseSse } from "@agentstream/core";
import { runInput } from "./http.js";

/** Options of {@link runLoad}. */
export interface LoadOptions {
  /** The run URL (must be on 127.0.0.1). */
  url: string;
  /** Streams to open in total. */
  streams: number;
  /** At most this many open at once. */
  concurrency: number;
  /** Events each stream asks for. */
  events: number;
  /** Everything still open after this long is aborted and counted as an error. */
  timeLimitMs: number;
}

/** One stream's outcome. */
export interface StreamOutcome {
  ok: boolean;
  error?: string;
  firstEventMs: number;
  durationMs: number;
  events: number;
}

/** What {@link runLoad} measured. */
export interface LoadResult {
  outcomes: StreamOutcome[];
  wallMs: number;
  /** Most streams open at the same moment (response received, not yet ended). */
  peakOpen: number;
  events: number;
}

/** Opens the streams and waits for all of them (or the time limit). */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  if (target.hostname !== "127.0.0.1")
    throw new Error(`load: only 127.0.0.1 is allowed (got ${target.hostname})`);
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const deadline = AbortSignal.timeout(options.timeLimitMs);
  // Every stream listens to the one deadline.
  setMaxListeners(0, deadline);
  let open = 0;
  let peakOpen = 0;
  let next = 0;
  const outcomes: StreamOutcome[] = [];

  const one = async (): Promise<StreamOutcome> => {
    const body = JSON.stringify(runInput(options.events));
    const t0 = performance.now();
    let firstEventMs = Number.NaN;
    let events = 0;
    let lastData = "";
    let opened = false;
    try {
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = request(target, {
          method: "POST",
          agent,
          signal: deadline,
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
      opened = true;
      open++;
      if (open > peakOpen) peakOpen = open;
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
      for await (const msg of parseSse(res, { signal: deadline })) {
        if (msg.data === "") continue;
        if (events === 0) firstEventMs = performance.now() - t0;
        events++;
        lastData = msg.data;
      }
      const last = lastData ? (JSON.parse(lastData) as { type?: string }) : {};
      if (last.type !== "RUN_FINISHED")
        throw new Error(deadline.aborted ? "time limit" : `ended with ${last.type ?? "nothing"}`);
      return { ok: true, firstEventMs, durationMs: performance.now() - t0, events };
    } catch (error) {
      const message = deadline.aborted
        ? "time limit"
        : error instanceof Error
          ? error.message
          : String(error);
      return { ok: false, error: message, firstEventMs, durationMs: performance.now() - t0, events };
    } finally {
      if (opened) open--;
    }
  };

  const started = performance.now();
  const worker = async () => {
    while (next < options.streams) {
      next++;
      outcomes.push(await one());
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.streams) }, worker));
  const wallMs = performance.now() - started;
  agent.destroy();
  return { outcomes, wallMs, peakOpen, events: outcomes.reduce((a, o) => a + o.events, 0) };
}
