import { createRunStore, type RunState, type RunStore, readAgUiEvents } from "@agentstream/core";
import { useCallback, useEffect, useRef, useState } from "react";
import { useRun } from "../hooks/use-run.js";

/** The lifecycle of a {@link useAgentStream} request. */
export type AgentStreamStatus = "idle" | "running" | "done" | "error" | "stopped";

/** A message of the conversation sent to the agent (AG-UI `Message`). */
export interface AgentStreamMessage {
  id: string;
  role: "user" | "assistant" | "system" | "developer" | "tool" | (string & {});
  content?: unknown;
  [key: string]: unknown;
}

/**
 * The AG-UI `RunAgentInput` the endpoint receives. Every field is optional here: missing ids
 * are generated, the lists default to empty, `state` and `forwardedProps` to `{}`.
 */
export interface AgentStreamInput {
  threadId?: string;
  runId?: string;
  messages?: AgentStreamMessage[];
  tools?: unknown[];
  context?: unknown[];
  state?: unknown;
  forwardedProps?: unknown;
  [key: string]: unknown;
}

/** Options of {@link useAgentStream}. */
export interface UseAgentStreamOptions {
  /**
   * Base URL of the agents endpoint; the request goes to `${url}/${agentId}/run`.
   * Default `"/api/agents"` (same origin), e.g. `"http://localhost:4000/api/agents"`.
   */
  url?: string;
  /** The agent to run. Default `"default"`. */
  agentId?: string;
  /** Extra request headers (e.g. `Authorization`), or a function giving them per request. */
  headers?: Record<string, string> | (() => Record<string, string>);
  /** `fetch` credentials mode, e.g. `"include"` for cookies across origins. */
  credentials?: RequestCredentials;
  /** The `fetch` to use (tests, instrumentation). Default the global one. */
  fetch?: typeof fetch;
}

/** What {@link useAgentStream} returns. */
export interface AgentStream {
  /** The run so far (frame-batched: at most one re-render per animation frame). */
  run: RunState;
  /** The run's store, for `<StreamView store={store} />` or `useRun(store, selector)` in children. */
  store: RunStore;
  /** `idle` → `running` → `done` | `error` | `stopped`. */
  status: AgentStreamStatus;
  /**
   * Starts a run (stopping the one under way, if any): a string is sent as one user message;
   * an object is merged into the `RunAgentInput`. Resolves when the run ends; never rejects
   * (read `status` and `error`).
   */
  start: (input?: string | AgentStreamInput) => Promise<void>;
  /** Aborts the request, which stops the agent on the server (its generator's `finally` runs). */
  stop: () => void;
  /** Why the run failed (HTTP error, network, RUN_ERROR, a stream cut short); `undefined` otherwise. */
  error: Error | undefined;
}

let counter = 0;
function makeId(prefix: string): string {
  const uuid =
    typeof crypto !== "undefined" && typeof crypto.randomUUID === "function"
      ? crypto.randomUUID()
      : undefined;
  return (
    uuid ??
    `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`
  );
}

/** The full `RunAgentInput` for a `start()` argument. */
export function toRunAgentInput(input: string | AgentStreamInput | undefined): AgentStreamInput & {
  threadId: string;
  runId: string;
} {
  const base: AgentStreamInput =
    typeof input === "string"
      ? { messages: [{ id: makeId("msg"), role: "user", content: input }] }
      : (input ?? {});
  return {
    ...base,
    threadId: base.threadId ?? makeId("thread"),
    runId: base.runId ?? makeId("run"),
    messages: base.messages ?? [],
    tools: base.tools ?? [],
    context: base.context ?? [],
    state: base.state ?? {},
    forwardedProps: base.forwardedProps ?? {},
  };
}

function endpoint(url: string | undefined, agentId: string | undefined): string {
  const base = (url ?? "/api/agents").replace(/\/+$/, "");
  return `${base}/${encodeURIComponent(agentId ?? "default")}/run`;
}

async function httpError(response: Response, target: string): Promise<Error> {
  let detail = "";
  try {
    detail = (await response.text()).slice(0, 500);
    const parsed = JSON.parse(detail) as { error?: unknown; message?: unknown };
    const message = parsed.message ?? parsed.error;
    if (typeof message === "string") detail = message;
  } catch {
    // not JSON: keep the text
  }
  return new Error(`POST ${target} failed: HTTP ${response.status}${detail ? ` ${detail}` : ""}`);
}

/**
 * Runs an agent over AgentStream's plain SSE endpoint (`POST /api/agents/:agentId/run`, no
 * CopilotKit) and folds the AG-UI events it streams into a run store as they arrive.
 *
 * `start(input)` POSTs a `RunAgentInput`, parses the SSE response incrementally and feeds every
 * event to the store; `stop()` aborts the request, which the server turns into `return()` on the
 * agent's generator. Unmounting aborts too. Starting again stops the previous run and resets the
 * store. SSR safe: nothing happens until `start` is called in the browser.
 *
 * @example
 * function Research() {
 *   const { run, status, start, stop, error } = useAgentStream({ agentId: "research" });
 *   return (
 *     <>
 *       <button onClick={() => start("Compare SSE and WebSockets")}>Ask</button>
 *       <StopButton running={status === "running"} onStop={stop} />
 *       <StreamView run={run} />
 *       {error ? <p role="alert">{error.message}</p> : null}
 *     </>
 *   );
 * }
 */
export function useAgentStream(options: UseAgentStreamOptions = {}): AgentStream {
  const [store] = useState(createRunStore);
  const [status, setStatus] = useState<AgentStreamStatus>("idle");
  const [error, setError] = useState<Error | undefined>(undefined);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const controllerRef = useRef<AbortController | null>(null);
  const mountedRef = useRef(true);

  useEffect(() => {
    mountedRef.current = true;
    return () => {
      mountedRef.current = false;
      controllerRef.current?.abort();
      controllerRef.current = null;
    };
  }, []);

  const start = useCallback(
    async (input?: string | AgentStreamInput) => {
      controllerRef.current?.abort();
      const controller = new AbortController();
      controllerRef.current = controller;
      const { signal } = controller;
      const current = () => controllerRef.current === controller && mountedRef.current;
      const settle = (next: AgentStreamStatus, failure?: Error) => {
        if (!current()) return;
        controllerRef.current = null;
        setError(failure);
        setStatus(next);
      };

      const { url, agentId, headers, credentials, fetch: fetchImpl = globalThis.fetch } = optionsRef.current;
      const target = endpoint(url, agentId);
      const body = toRunAgentInput(input);
      store.reset();
      setError(undefined);
      setStatus("running");

      try {
        const extra = typeof headers === "function" ? headers() : headers;
        const response = await fetchImpl(target, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "text/event-stream", ...extra },
          body: JSON.stringify(body),
          signal,
          ...(credentials ? { credentials } : {}),
        });
        if (!response.ok) throw await httpError(response, target);
        if (!response.body) throw new Error(`POST ${target}: the response has no body`);
        for await (const event of readAgUiEvents(response.body, { signal })) {
          if (signal.aborted) break;
          store.pushEvent(event);
        }
        if (signal.aborted) return;
        const state = store.getSnapshot();
        if (state.error) settle("error", new Error(state.error.message));
        else if (!state.done) settle("error", new Error("The stream ended before the run finished"));
        else settle("done");
      } catch (failure) {
        if (signal.aborted) return;
        settle("error", failure instanceof Error ? failure : new Error(String(failure)));
      }
    },
    [store],
  );

  const stop = useCallback(() => {
    const controller = controllerRef.current;
    if (!controller) return;
    controllerRef.current = null;
    controller.abort();
    const state = store.getSnapshot();
    if (!state.done) {
      store.push({
        type: "interrupted",
        reason: "stopped",
        partial: state.text || undefined,
        seq: state.metrics.chunkCount,
        timestamp: Date.now(),
      });
    }
    setStatus("stopped");
  }, [store]);

  const run = useRun(store);
  return { run, store, status, start, stop, error };
}
