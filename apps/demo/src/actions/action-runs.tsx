import type { RunStore } from "@agentstream/core";
import { createContext, type ReactNode, useContext, useMemo, useState } from "react";

/** The app action the copilot ran most recently: its name, its tool call and its live run store. */
export interface ActionRun {
  name: string;
  toolCallId: string;
  store: RunStore;
}

interface ActionRunsValue {
  latest: ActionRun | null;
  setLatest: (run: ActionRun | null) => void;
}

const ActionRunsContext = createContext<ActionRunsValue | null>(null);

/** Remembers the latest app action so the agent panel can show its progress next to the chat's run. */
export function ActionRunsProvider({ children }: { children: ReactNode }) {
  const [latest, setLatest] = useState<ActionRun | null>(null);
  const value = useMemo(() => ({ latest, setLatest }), [latest]);
  return <ActionRunsContext.Provider value={value}>{children}</ActionRunsContext.Provider>;
}

export function useActionRuns(): ActionRunsValue {
  const value = useContext(ActionRunsContext);
  if (!value) throw new Error("useActionRuns must be used inside <ActionRunsProvider>");
  return value;
}

/** Waits `ms`, or rejects as soon as `signal` aborts (so a stopped action ends at once). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
