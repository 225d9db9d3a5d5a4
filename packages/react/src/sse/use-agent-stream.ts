import {
  type AgentRunHandle,
  createRunClient,
  createRunStore,
  type ReconnectOptions,
  type RunInput,
  type RunMessage,
  type StreamChunk,
  type TransportOptions,
  toRunAgentInput,
} from "@agentstream/core";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { AgentRunControls, AgentRunInput, AgentRunStatus } from "../hooks/types.js";
import { useRun } from "../hooks/use-run.js";

/** The lifecycle of a {@link useAgentStream} run (core's run-client status). */
export type AgentStreamStatus = AgentRunStatus;
/** A message of the conversation sent to the agent (AG-UI `Message`). */
export type AgentStreamMessage = RunMessage;
/** The `RunAgentInput` of a run; missing fields are filled in (core's `toRunAgentInput`). */
export type AgentStreamInput = RunInput;
export { toRunAgentInput };

/** Options of {@link useAgentStream}. */
export interface UseAgentStreamOptions extends Omit<TransportOptions, "baseUrl" | "agentsPath"> {
  /**
   * Base URL of the agents routes: runs go to `${url}/${agentId}/run`. Default `"/api/agents"`
   * (same origin), e.g. `"http://localhost:4000/api/agents"`.
   */
  url?: string;
  /** The agent to run. Default `"default"`. */
  agentId?: string;
  /** How to resume a dropped connection (backoff, retry limit); `false` never reconnects. */
  reconnect?: ReconnectOptions | false;
}

/** What {@link useAgentStream} returns: the shape every run hook shares ({@link AgentRunControls}). */
export interface AgentStream extends AgentRunControls {
  /** The run handle of the current (or last) run: thread id, last event id, reconnects. */
  handle: AgentRunHandle | undefined;
}

/**
 * The seed-compatible surface of {@link useAgentStream} (`useAgentStream(agentName)`, as in the
 * "Streaming Agent Pattern" seed): the same run, plus the seed's three names.
 */
export interface SeedAgentStream extends AgentStream {
  /** Every chunk of the current run, in order (`{ type: "token" | "thinking" | "progress" | "result" … }`). */
  messages: readonly StreamChunk[];
  /** True while the run streams (`running` or `reconnecting`). */
  isStreaming: boolean;
  /** Starts a run with `task` as the user's message (the same as `start(task)`). */
  startStream: (task: string) => Promise<void>;
}

/**
 * Runs an agent over AgentStream's plain SSE routes (no CopilotKit) with core's run client, and
 * folds its events into a run store as they arrive.
 *
 * `start(input)` starts a run (a string is one user message); a dropped connection is resumed
 * by itself (`status` is `reconnecting` meanwhile) and no event arrives twice. `stop()` stops
 * the run on the server. Starting again stops the run under way and resets the store;
 * unmounting stops it too. SSR safe: nothing happens until `start` is called in the browser.
 *
 * Two call forms, one implementation:
 * - `useAgentStream({ agentId, url, token … })` returns {@link AgentStream}: `{ run, store,
 *   status, error, start, stop }`, the shape `useAgentRun` (CopilotKit) returns too;
 * - `useAgentStream("research", options?)` is the seed-compatible surface: the same, plus
 *   `{ messages, isStreaming, startStream(task) }` ({@link SeedAgentStream}), where `messages`
 *   holds every chunk of the run.
 *
 * @example
 * function Research() {
 *   const { run, status, start, stop, error } = useAgentStream({ agentId: "research" });
 *   return (
 *     <>
 *       <button onClick={() => start("Compare SSE and WebSockets")}>Ask</button>
 *       <StopButton running={status === "running" || status === "reconnecting"} onStop={stop} />
 *       <StreamView run={run} />
 *       {error ? <p role="alert">{error.message}</p> : null}
 *     </>
 *   );
 * }
 */
export function useAgentStream(options?: UseAgentStreamOptions): AgentStream;
export function useAgentStream(
  agentName: string,
  options?: Omit<UseAgentStreamOptions, "agentId">,
): SeedAgentStream;
export function useAgentStream(
  first: string | UseAgentStreamOptions = {},
  second: Omit<UseAgentStreamOptions, "agentId"> = {},
): AgentStream | SeedAgentStream {
  const seed = typeof first === "string";
  const options: UseAgentStreamOptions = seed ? { ...second, agentId: first } : first;
  const [store] = useState(createRunStore);
  // The thread tokens this hook was handed, kept across its runs (a next run on the same thread
  // sends the token even where the session cookie does not travel, across origins).
  const [threadTokens] = useState(() => new Map<string, string>());
  const [status, setStatus] = useState<AgentRunStatus>("idle");
  const [error, setError] = useState<Error | undefined>(undefined);
  const [handle, setHandle] = useState<AgentRunHandle | undefined>(undefined);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const handleRef = useRef<AgentRunHandle | undefined>(undefined);
  const messagesRef = useRef<StreamChunk[]>([]);
  const seedRef = useRef(seed);
  seedRef.current = seed;

  useEffect(
    () => () => {
      const current = handleRef.current;
      handleRef.current = undefined;
      void current?.stop();
    },
    [],
  );

  const start = useCallback(
    async (input?: AgentRunInput) => {
      void handleRef.current?.stop();
      const { url, agentId, reconnect, ...transport } = optionsRef.current;
      const client = createRunClient({
        threadTokens,
        ...transport,
        baseUrl: url ?? "/api/agents",
        agentsPath: "",
        ...(reconnect === undefined ? {} : { reconnect }),
      });
      const run = client.run(agentId ?? "default", input, { store });
      handleRef.current = run;
      messagesRef.current = [];
      const current = () => handleRef.current === run;
      const sync = () => {
        if (!current()) return;
        setStatus(run.status);
        setError(run.error);
      };
      run.subscribe(sync);
      setHandle(run);
      setError(undefined);
      setStatus("running");
      try {
        if (seedRef.current) {
          for await (const chunk of run.chunks()) if (current()) messagesRef.current.push(chunk);
        } else await run.result();
      } catch {
        // recorded in the handle's status and error
      }
      sync();
    },
    [store, threadTokens],
  );

  const stop = useCallback(() => {
    void handleRef.current?.stop();
  }, []);

  const run = useRun(store);
  // `run` changes (at most once a frame) whenever a chunk arrived: the messages follow it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the run's version.
  const messages = useMemo(() => messagesRef.current.slice(), [run.version]);
  const startStream = useCallback((task: string) => start(task), [start]);
  const base: AgentStream = { run, store, status, error, start, stop, handle };
  if (!seed) return base;
  return { ...base, messages, isStreaming: status === "running" || status === "reconnecting", startStream };
}
