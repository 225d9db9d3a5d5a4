import { createRunStore, type RunStore } from "@agentstream/core";
import { useState } from "react";

/**
 * A run store owned by the component: created once on mount, stable across renders. Push chunks
 * or AG-UI events into it and pass it to {@link StreamView} or {@link useRun}.
 *
 * @example
 * const store = useRunStore();
 * useEffect(() => { for await (const chunk of stream) store.push(chunk) }, []);
 * return <StreamView store={store} />;
 */
export function useRunStore(): RunStore {
  const [store] = useState(() => createRunStore());
  return store;
}
