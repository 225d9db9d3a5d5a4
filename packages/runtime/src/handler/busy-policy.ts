/**
 * What a run request does when its thread already runs (issue 25, "thread policy"; LangGraph's
 * multitask strategies): `reject` answers 409 `thread_busy` (the default), `interrupt` stops the
 * current run (its partial output stays in the thread, ended by its `interrupted` event) and starts
 * the new one, `enqueue` starts the new one when the current one ends. Chosen per request
 * (`forwardedProps.busy`), else per agent (`defineAgent({ busy })`), else per server (`busy`).
 *
 * @packageDocumentation
 */
import type { RunAgentInput } from "@ag-ui/core";
import type { AgentStreamRunner } from "../runner/agent-stream-runner.js";
import { RunnerError } from "../runner/types.js";
import { HttpError } from "../server/errors.js";

/** What a run on a busy thread does. */
export type BusyPolicy = "reject" | "interrupt" | "enqueue";

/** The policies, for checks and messages. */
export const BUSY_POLICIES: readonly BusyPolicy[] = ["reject", "interrupt", "enqueue"];

/** True for one of {@link BUSY_POLICIES}. */
export function isBusyPolicy(value: unknown): value is BusyPolicy {
  return typeof value === "string" && (BUSY_POLICIES as readonly string[]).includes(value);
}

/** The request's policy (`forwardedProps.busy`; 422 when it is not a policy), else `fallback`. */
export function busyPolicyOf(input: RunAgentInput, fallback: BusyPolicy): BusyPolicy {
  const asked = (input.forwardedProps as Record<string, unknown> | undefined)?.busy;
  if (asked === undefined) return fallback;
  if (!isBusyPolicy(asked))
    throw new HttpError(
      422,
      "invalid_input",
      `forwardedProps.busy must be one of ${BUSY_POLICIES.join(", ")} (got ${JSON.stringify(asked)})`,
      { field: "forwardedProps.busy" },
    );
  return asked;
}

/** Waits until the thread's current run has ended (following its log; nothing is read twice). */
async function runEnded(runner: AgentStreamRunner, threadId: string, signal: AbortSignal): Promise<void> {
  const thread = await runner.thread(threadId);
  if (!thread?.running) return;
  for await (const _batch of runner.read({ threadId, after: thread.newestId, signal })) {
    // Following only: the read ends when the run does.
  }
}

/** How many times a queued or interrupting request tries again when another one took the thread first. */
const MAX_ATTEMPTS = 50;

/**
 * Starts a run with `start`, applying `policy` when the thread is busy. `signal` is the request's:
 * a client that goes away while waiting stops waiting (nothing starts).
 */
export async function startWithPolicy<T>(
  runner: AgentStreamRunner,
  threadId: string,
  policy: BusyPolicy,
  signal: AbortSignal,
  start: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      const busy = error instanceof RunnerError && error.code === "busy";
      if (!busy || policy === "reject" || attempt >= MAX_ATTEMPTS || signal.aborted) throw error;
    }
    if (policy === "interrupt") await runner.stopRun({ threadId });
    await runEnded(runner, threadId, signal).catch(() => {});
    if (signal.aborted)
      throw new HttpError(
        409,
        "thread_busy",
        `Gave up waiting for thread "${threadId}": the client went away`,
      );
  }
}
