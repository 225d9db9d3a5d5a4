import { useAgent } from "@copilotkit/react-core/v2";
import { useCallback, useEffect, useRef, useState } from "react";

/**
 * The chat's agent and thread. `explicit` threads exist on the server (they came from the URL,
 * or had a run earlier in this page): the chat reattaches to them on mount (CopilotKit's
 * `/connect` replays the thread and follows its live run). A fresh thread is not explicit, so
 * the chat shows its welcome screen and sends no `/connect` for a thread nobody has used.
 */
export interface ChatThread {
  agentId: string;
  threadId: string;
  explicit: boolean;
}

/** Thread ids the URL may carry (what `crypto.randomUUID` and the server's ids look like). */
const THREAD_ID = /^[A-Za-z0-9_-]{1,128}$/;
const AGENT_ID = /^[A-Za-z0-9_.-]{1,64}$/;

function newThreadId(): string {
  return crypto.randomUUID();
}

function fromUrl(): { agentId: string | undefined; threadId: string | undefined } {
  if (typeof window === "undefined") return { agentId: undefined, threadId: undefined };
  const params = new URLSearchParams(window.location.search);
  const agentId = params.get("agent") ?? undefined;
  const threadId = params.get("thread") ?? undefined;
  return {
    agentId: agentId && AGENT_ID.test(agentId) ? agentId : undefined,
    threadId: threadId && THREAD_ID.test(threadId) ? threadId : undefined,
  };
}

/** Writes `?agent=…&thread=…` in place (no history entry), keeping any other parameter. */
function writeUrl(agentId: string, threadId: string | undefined): void {
  const url = new URL(window.location.href);
  if (agentId === "default" && threadId === undefined) url.searchParams.delete("agent");
  else url.searchParams.set("agent", agentId);
  if (threadId === undefined) url.searchParams.delete("thread");
  else url.searchParams.set("thread", threadId);
  if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url);
}

/**
 * Keeps the chat's thread in the URL (`?agent=<id>&thread=<id>`), so that reloading the page
 * mid-answer reattaches to the same thread and its running run. Each agent has its own thread
 * (a thread's runs belong to one agent); the URL names a thread once a run started in it.
 */
export function useChatThread(fallbackAgentId = "default"): {
  thread: ChatThread;
  /** Switches the chat to `agentId`: its thread of this page if it has one, else a fresh one. */
  selectAgent: (agentId: string) => void;
  /** Records that a run started on the thread (the URL names it from then on). */
  started: (agentId: string, threadId: string) => void;
} {
  // agentId → the thread that has runs on the server (from the URL, or started in this page).
  const [known] = useState(() => new Map<string, string>());
  const [thread, setThread] = useState<ChatThread>(() => {
    const url = fromUrl();
    const agentId = url.agentId ?? fallbackAgentId;
    if (url.threadId !== undefined) {
      known.set(agentId, url.threadId);
      return { agentId, threadId: url.threadId, explicit: true };
    }
    return { agentId, threadId: newThreadId(), explicit: false };
  });

  const current = useRef(thread);
  current.current = thread;

  useEffect(() => {
    writeUrl(thread.agentId, known.get(thread.agentId) === thread.threadId ? thread.threadId : undefined);
  }, [thread, known]);

  const selectAgent = useCallback(
    (agentId: string) => {
      setThread((current) => {
        if (current.agentId === agentId) return current;
        const threadId = known.get(agentId);
        return threadId !== undefined
          ? { agentId, threadId, explicit: true }
          : { agentId, threadId: newThreadId(), explicit: false };
      });
    },
    [known],
  );

  const started = useCallback(
    (agentId: string, threadId: string) => {
      if (known.get(agentId) === threadId) return;
      known.set(agentId, threadId);
      // Not a state change: the chat must keep this thread as it is (flipping it to explicit
      // would make CopilotChat detach and reconnect mid-run). Only the URL changes.
      const shown = current.current;
      if (shown.agentId === agentId && shown.threadId === threadId) writeUrl(agentId, threadId);
    },
    [known],
  );

  return { thread, selectAgent, started };
}

const NO_UPDATES: [] = [];

/** Tells `onStarted` when a run starts on the chat's agent (the thread then exists on the server). */
export function ThreadTracker({
  thread,
  onStarted,
}: {
  thread: ChatThread;
  onStarted: (agentId: string, threadId: string) => void;
}): null {
  const { agent } = useAgent({ agentId: thread.agentId, updates: NO_UPDATES });
  useEffect(() => {
    const subscription = agent.subscribe({
      onRunInitialized: () => {
        // The chat sets the agent's thread before it runs it.
        if (agent.threadId === thread.threadId) onStarted(thread.agentId, thread.threadId);
      },
    });
    return () => subscription.unsubscribe();
  }, [agent, thread, onStarted]);
  return null;
}
