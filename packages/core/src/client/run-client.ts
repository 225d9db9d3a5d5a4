/**
 * The run client: start a run, attach to a thread, stop, over AgentStream's plain AG-UI routes.
 * Framework-free (fetch, ReadableStream, AbortSignal): Node 20 and browsers.
 *
 * @packageDocumentation
 */
import type { RunStore } from "../run/store.js";
import { type ReconnectOptions, reconnectPolicy } from "./backoff.js";
import { agentRoutes, send, type TransportOptions } from "./http.js";
import { type AgentRunHandle, RunHandle } from "./run-handle.js";
import { type RunInput, toRunAgentInput } from "./run-input.js";

/** Options of {@link createRunClient}. */
export interface RunClientOptions extends TransportOptions {
  /** How to reconnect after a dropped connection; `false` never reconnects. */
  reconnect?: ReconnectOptions | false;
}

/** Options of {@link RunClient.run}. */
export interface RunOptions {
  /** Closes the connection when aborted (a detach: the run goes on on the server; use `stop` to end it). */
  signal?: AbortSignal;
  /** The store to fold the run into (reset when the run starts). Default: a new one. */
  store?: RunStore;
}

/** Options of {@link RunClient.attach}. */
export interface AttachOptions extends RunOptions {
  /** Deliver the events after this id. Default 0: from the start of the thread's current run. */
  after?: number;
}

/** A client of one AgentStream server (see {@link createRunClient}). */
export interface RunClient {
  /**
   * Starts a run of `agentId`: `POST …/:agentId/run` with the `RunAgentInput` (a string is one
   * user message). The request is sent when the handle is first read (`for await`, `chunks()`,
   * `result()`).
   */
  run(agentId: string, input?: string | RunInput, options?: RunOptions): AgentRunHandle;
  /** Attaches to the run of a thread: `GET …/threads/:threadId/events`, after `options.after`. */
  attach(agentId: string, threadId: string, options?: AttachOptions): AgentRunHandle;
  /**
   * Stops the run of a thread (`POST …/threads/:threadId/stop`). Resolves with the stopped run's
   * id, or `undefined` when nothing was running (404). Never retried.
   */
  stop(agentId: string, threadId: string, signal?: AbortSignal): Promise<string | undefined>;
}

/**
 * Creates a run client: the one place that reads AgentStream's event streams over HTTP.
 *
 * - every event is folded into a `RunStore` as it arrives, and handed out as an async iterable
 *   of AG-UI events (`for await (const e of run)`) or chunks (`run.chunks()`);
 * - a dropped connection is resumed with `Last-Event-ID` (backoff with jitter, a retry limit,
 *   status `reconnecting` meanwhile) and no event is delivered twice;
 * - leaving the loop, `detach()` or the caller's signal close the connection (the body is
 *   cancelled); `stop()` also stops the run on the server, and is never retried;
 * - nothing the network sends throws from the decoder: malformed frames are counted and skipped.
 *
 * @example
 * const client = createRunClient({ baseUrl: "http://localhost:4000", token });
 * const run = client.run("research", "Compare SSE and WebSockets");
 * for await (const chunk of run.chunks()) if (chunk.type === "token") process.stdout.write(chunk.text);
 * console.log(run.status, run.store.getSnapshot().result?.output);
 */
export function createRunClient(clientOptions: RunClientOptions = {}): RunClient {
  const policy = reconnectPolicy(clientOptions.reconnect);
  const options: RunClientOptions = {
    ...clientOptions,
    threadTokens: clientOptions.threadTokens ?? new Map(),
  };

  async function stop(agentId: string, threadId: string, signal?: AbortSignal): Promise<string | undefined> {
    try {
      const response = await send(options, {
        method: "POST",
        url: agentRoutes(options, agentId).stop(threadId),
        body: {},
        accept: "application/json",
        threadId,
        ...(signal ? { signal } : {}),
      });
      const body = (await response.json().catch(() => ({}))) as { runId?: unknown };
      return typeof body.runId === "string" ? body.runId : undefined;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  }

  return {
    run(agentId, input, runOptions = {}) {
      const body = toRunAgentInput(input);
      return new RunHandle({
        agentId,
        threadId: body.threadId,
        runId: body.runId,
        start: { kind: "run", body },
        transport: options,
        routes: agentRoutes(options, agentId),
        policy,
        store: runOptions.store,
        signal: runOptions.signal,
        stopThread: () => stop(agentId, body.threadId),
      });
    },
    attach(agentId, threadId, attachOptions = {}) {
      return new RunHandle({
        agentId,
        threadId,
        runId: undefined,
        start: { kind: "attach", after: attachOptions.after ?? 0 },
        transport: options,
        routes: agentRoutes(options, agentId),
        policy,
        store: attachOptions.store,
        signal: attachOptions.signal,
        stopThread: () => stop(agentId, threadId),
      });
    },
    stop,
  };
}
