import { createRunClient, createRunStore, type RunsApiRun } from "@agentstream/core";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { StreamView } from "../components/stream-view.js";
import type { RunsFeedOptions } from "./use-runs-feed.js";
import { runsHeaders } from "./use-runs-feed.js";

/** Props of {@link RunReplay}. */
export interface RunReplayProps extends RunsFeedOptions {
  /** The run to replay. */
  readonly run: RunsApiRun;
  /** Closes the panel (its button, or Escape). */
  readonly onClose: () => void;
}

type ReplayState = "loading" | "live" | "done" | "other-run" | "error";

/**
 * Replays a run's log into a `StreamView`: attaches to its thread with core's run client on the
 * operators' read-only copy of the events route (`GET /api/runs/agents/:agentId/threads/:threadId/events`
 * from the start, protected like the dashboard, open to every thread), so a running run goes on
 * live. The log holds the thread's latest run: when the thread has run again since, the panel
 * says so and shows that latest run.
 */
export function RunReplay({ run, onClose, ...feed }: RunReplayProps) {
  const store = useMemo(() => createRunStore(), []);
  const [state, setState] = useState<ReplayState>("loading");
  const [error, setError] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  const { baseUrl, token, headers } = feed;

  useEffect(() => {
    heading.current?.focus();
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    const client = createRunClient({
      baseUrl: baseUrl ?? "",
      agentsPath: "/api/runs/agents",
      headers: runsHeaders({ headers, token }),
      reconnect: false,
    });
    setState("loading");
    setError(undefined);
    const handle = client.attach(run.agentId, run.threadId, { store, after: 0, signal: abort.signal });
    void (async () => {
      try {
        for await (const event of handle) {
          if (event.type === "RUN_STARTED") {
            const id = (event as { runId?: string }).runId;
            setState(id !== undefined && id !== run.runId ? "other-run" : "live");
          }
        }
        if (!abort.signal.aborted) setState((s) => (s === "other-run" ? s : "done"));
      } catch (e) {
        if (abort.signal.aborted) return;
        setState("error");
        setError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => abort.abort();
  }, [run.agentId, run.threadId, run.runId, store, baseUrl, token, headers]);

  const note =
    state === "loading"
      ? "Reading the log…"
      : state === "live"
        ? "Replaying (live while the run goes on)"
        : state === "done"
          ? "Replayed from the server's log"
          : state === "other-run"
            ? "This thread has run again since: showing its latest run"
            : `Could not read the log: ${error ?? "unknown error"}`;

  return (
    <section
      className="as-dash-replay"
      aria-labelledby={titleId}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <header className="as-dash-replay__head">
        <h2 id={titleId} ref={heading} tabIndex={-1}>
          Replay: {run.agentId} <span className="as-dash-mono as-dash-muted">{run.threadId}</span>
        </h2>
        <button type="button" className="as-dash-button" onClick={onClose}>
          Close
        </button>
      </header>
      <p className="as-dash-muted" role="status" data-replay-state={state}>
        {note}
      </p>
      <StreamView store={store} className="as-dash-replay__view" emptyState="Nothing in the log yet" />
    </section>
  );
}
