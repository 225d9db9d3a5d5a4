import { parseSse, type RunsApiEvent, type RunsApiSnapshot } from "@agentstream/core";
import { useEffect, useState } from "react";
import { applyRunsEvent } from "./merge.js";

/** Where the runs API is and how to reach it. */
export interface RunsFeedOptions {
  /** The server's origin (and any path prefix). Default `""`: same origin. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <token>` (the metrics token). Without it, the browser's own credentials go (Basic, cookies). */
  token?: string;
  /** Extra request headers. Keep the object stable. */
  headers?: Record<string, string>;
  /** The `fetch` to use. Default the global one. */
  fetch?: typeof fetch;
}

/** What {@link useRunsFeed} gives. */
export interface RunsFeed {
  /** The latest snapshot (undefined until the first one arrived). */
  data: RunsApiSnapshot | undefined;
  /** `connecting` (first time), `live`, `reconnecting` (after a drop; backing off), `error` (401/404: not retried). */
  status: "connecting" | "live" | "reconnecting" | "error";
  /** Why the feed is not live, when it is not. */
  error: string | undefined;
}

/** Request headers for the runs API. */
export function runsHeaders(options: RunsFeedOptions): Record<string, string> {
  return { ...options.headers, ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) };
}

/**
 * Follows `GET /api/runs/events`: the first message is a full snapshot, later ones are folded
 * into it ({@link applyRunsEvent}). A dropped connection is retried with backoff (1 s doubling to
 * 15 s) and starts again from a fresh snapshot; a 401 or 404 is not retried.
 */
export function useRunsFeed(options: RunsFeedOptions = {}): RunsFeed {
  const { baseUrl = "", token, headers } = options;
  const fetchImpl = options.fetch;
  const [feed, setFeed] = useState<RunsFeed>({ data: undefined, status: "connecting", error: undefined });
  useEffect(() => {
    const abort = new AbortController();
    let delay = 1000;
    let state: RunsApiSnapshot | undefined;
    const request = fetchImpl ?? globalThis.fetch.bind(globalThis);
    const loop = async () => {
      while (!abort.signal.aborted) {
        try {
          const res = await request(`${baseUrl}/api/runs/events`, {
            headers: { Accept: "text/event-stream", ...runsHeaders({ token, headers }) },
            signal: abort.signal,
            cache: "no-store",
          });
          if (!res.ok || !res.body) {
            const body = (await res.json().catch(() => undefined)) as
              | { error?: { message?: string } }
              | undefined;
            const message = body?.error?.message ?? `HTTP ${res.status}`;
            if (res.status === 401 || res.status === 403 || res.status === 404) {
              setFeed({ data: state, status: "error", error: message });
              return;
            }
            throw new Error(message);
          }
          for await (const message of parseSse(res.body, { signal: abort.signal })) {
            let event: RunsApiEvent;
            try {
              event = JSON.parse(message.data) as RunsApiEvent;
            } catch {
              continue;
            }
            state = applyRunsEvent(state, event);
            delay = 1000;
            setFeed({ data: state, status: "live", error: undefined });
          }
          if (abort.signal.aborted) return;
          throw new Error("The feed closed");
        } catch (error) {
          if (abort.signal.aborted) return;
          const message = error instanceof Error ? error.message : String(error);
          setFeed({ data: state, status: "reconnecting", error: message });
          await new Promise((resolve) => setTimeout(resolve, delay));
          delay = Math.min(delay * 2, 15_000);
        }
      }
    };
    void loop();
    return () => abort.abort();
  }, [baseUrl, token, headers, fetchImpl]);
  return feed;
}
