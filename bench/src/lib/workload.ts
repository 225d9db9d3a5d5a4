/**
 * The benchmark workload: a long answer streamed token by token, interrupted every
 * {@link TOKENS_PER_TURN} tokens by a tool call (streamed arguments, then a result) and a
 * progress update, and closed by a result. The same chunk list feeds the server's generator
 * agent; encoded with core's ChunkEncoder it is the AG-UI event array every in-process suite
 * replays, so both sides of a comparison see identical events.
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import { ChunkEncoder, type ChunkInput, type StreamChunk, toChunk } from "@agentstream/core";

/** Tokens of answer text between two tool calls. */
export const TOKENS_PER_TURN = 200;
/** Argument fragments of each streamed tool call. */
const ARG_FRAGMENTS = 8;

const WORDS = [
  "stream",
  "agent",
  "token",
  "render",
  "events",
  "the",
  "a",
  "of",
  "while",
  "progress",
  "tool",
  "result",
  "visible",
  "works",
  "frame",
  "quickly",
  "and",
  "to",
  "in",
  "store",
];

/** The `i`-th token of the workload's text (deterministic, about 6 characters). */
export function tokenText(i: number): string {
  const w = WORDS[(i * 7 + (i >> 3)) % WORDS.length] as string;
  return i % 23 === 22 ? `${w}.\n` : `${w} `;
}

/**
 * One turn of the workload: `tokens` tokens, then (unless `last`) a tool call with streamed
 * arguments, its result and a progress update.
 */
function* turn(
  t: number,
  firstToken: number,
  tokens: number,
  turns: number,
  withTool: boolean,
): Generator<ChunkInput> {
  for (let i = 0; i < tokens; i++) yield tokenText(firstToken + i) as unknown as ChunkInput;
  if (!withTool) return;
  const id = `call-${t}`;
  const args = JSON.stringify({
    query: `query number ${t} about streaming agents`,
    limit: 5,
    filters: { since: 2024 },
  });
  const size = Math.ceil(args.length / ARG_FRAGMENTS);
  for (let k = 0; k < ARG_FRAGMENTS; k++) {
    yield { type: "tool_call", id, name: "search", argsDelta: args.slice(k * size, (k + 1) * size) };
  }
  yield {
    type: "tool_result",
    id,
    name: "search",
    result: { hits: [`doc-${t}-1`, `doc-${t}-2`], took: 3 },
    success: true,
  };
  yield { type: "progress", step: `Turn ${t + 1}`, current: t + 1, total: turns };
}

/** How many events `ChunkEncoder` makes of the workload for about `targetEvents` events. */
function plan(targetEvents: number): { turns: number; lastTokens: number } {
  // A full turn encodes to TOKENS_PER_TURN + 2 (text start/end) + 1 + ARG_FRAGMENTS + 1 (tool
  // start/args/end) + 1 (result) + 2 or 3 (step, activity) events; RUN_STARTED, status and the
  // closing events add a few more. Solve for whole turns, then pad with tokens.
  const perTurn = TOKENS_PER_TURN + 2 + ARG_FRAGMENTS + 2 + 1 + 3;
  const fixed = 5;
  const turns = Math.max(0, Math.floor((targetEvents - fixed) / perTurn));
  const lastTokens = Math.max(1, targetEvents - fixed - turns * perTurn);
  return { turns, lastTokens };
}

/** The chunk inputs (what an agent yields) of a workload of about `targetEvents` AG-UI events. */
export function workloadChunks(targetEvents: number): ChunkInput[] {
  const { turns, lastTokens } = plan(targetEvents);
  const out: ChunkInput[] = [{ type: "status", status: "acting", iteration: 1 }];
  let token = 0;
  for (let t = 0; t < turns; t++) {
    out.push(...turn(t, token, TOKENS_PER_TURN, turns, true));
    token += TOKENS_PER_TURN;
  }
  out.push(...turn(turns, token, lastTokens, turns, false));
  return out;
}

/** The full answer text of a workload (what both sides must end up showing). */
export function workloadText(chunks: readonly ChunkInput[]): string {
  let text = "";
  for (const c of chunks) if (typeof c === "string") text += c;
  return text;
}

/** Options of {@link workloadEvents}. */
export interface WorkloadEventsOptions {
  threadId?: string;
  runId?: string;
  /** Fixed clock (default: a fake clock stepping 1 ms per chunk from 1.7e12, so runs are identical). */
  now?: () => number;
}

/**
 * The AG-UI events of a workload of about `targetEvents` events, as AgentStream's server sends
 * them (core's ChunkEncoder: RUN_STARTED … RUN_FINISHED, envelope under `metadata.agentstream`).
 */
export function workloadEvents(targetEvents: number, options: WorkloadEventsOptions = {}): BaseEvent[] {
  let clock = 1_700_000_000_000;
  const now = options.now ?? (() => clock);
  const enc = new ChunkEncoder({
    threadId: options.threadId ?? "bench-thread",
    runId: options.runId ?? "bench-run",
    now,
  });
  const events: BaseEvent[] = [...enc.start()];
  const chunks = workloadChunks(targetEvents);
  let seq = 0;
  for (const input of chunks) {
    clock += 1;
    const chunk: StreamChunk = toChunk(input, seq++, now());
    events.push(...enc.encode(chunk));
  }
  clock += 1;
  const resultChunk = toChunk(
    { type: "result", output: { turns: chunks.length }, success: true },
    seq++,
    now(),
  );
  events.push(...enc.encode(resultChunk));
  events.push(...enc.finish());
  return events;
}
