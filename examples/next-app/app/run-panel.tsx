"use client";

import { type AgentRunHandle, createRunClient, type RunStore } from "@agentstream/core";
import { AgentStatus, StopButton, StreamView } from "@agentstream/react";
import { useAgentStream } from "@agentstream/react/sse";
import { useEffect, useState } from "react";

/**
 * One agent run on the page: start it, watch it stream, stop it. The thread id goes into the URL
 * (`?thread=`), so that a reload attaches to the same run again (it goes on on the server while
 * no one reads it) and replays what was missed.
 */
export function RunPanel({ agentId = "counter" }: { agentId?: string }) {
  const { run, store, status, start, stop, error, handle } = useAgentStream({ agentId });
  const [prompt, setPrompt] = useState("40");
  // useAgentStream starts runs; re-attaching to a thread after a reload is core's run client.
  const attached = useReattach(agentId, store);
  const current = handle ?? attached.handle;
  const connection = handle ? status : attached.status;
  const running = connection === "running" || connection === "reconnecting";

  useEffect(() => {
    if (handle) window.history.replaceState(null, "", `?thread=${encodeURIComponent(handle.threadId)}`);
  }, [handle]);

  return (
    <section aria-label={`Agent ${agentId}`} style={{ display: "grid", gap: "0.75rem" }}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          attached.handle?.detach();
          void start(prompt);
        }}
        style={{ display: "flex", gap: "0.5rem", alignItems: "center" }}
      >
        <label>
          Prompt <input value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        </label>
        <button type="submit" disabled={running}>
          Run {agentId}
        </button>
        <StopButton running={running} onStop={() => (handle ? stop() : void attached.handle?.stop())} />
        <AgentStatus
          status={run.status}
          reconnecting={connection === "reconnecting"}
          data-testid="run-status"
        />
        <output data-testid="connection">{connection}</output>
      </form>
      {current ? <small data-testid="thread">thread {current.threadId}</small> : null}
      <StreamView store={store} data-testid="stream" style={{ minHeight: 120, maxHeight: 420 }} />
      {error ? <p role="alert">{error.message}</p> : null}
    </section>
  );
}

/** On mount, attaches to the run named by `?thread=` (if any), folding it into `store`. */
function useReattach(agentId: string, store: RunStore) {
  const [handle, setHandle] = useState<AgentRunHandle | undefined>(undefined);
  const [status, setStatus] = useState<AgentRunHandle["status"]>("idle");
  useEffect(() => {
    const threadId = new URLSearchParams(window.location.search).get("thread");
    if (!threadId) return;
    const attached = createRunClient().attach(agentId, threadId, { store });
    setHandle(attached);
    const unsubscribe = attached.subscribe(() => setStatus(attached.status));
    attached.result().catch(() => {}); // errors show through the status
    setStatus("running");
    return () => {
      unsubscribe();
      attached.detach();
    };
  }, [agentId, store]);
  return { handle, status };
}
