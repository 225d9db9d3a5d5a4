import { useEffect, useState } from "react";

/**
 * The current time, refreshed every `intervalMs` while `enabled`. `null` until mounted, so that
 * server and first client render agree (no hydration mismatch).
 */
export function useNow(enabled: boolean, intervalMs = 1000): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (!enabled) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [enabled, intervalMs]);
  return enabled ? now : null;
}
