/**
 * One client of the server, as a browser is: it keeps the session cookie a server hands out (per
 * host, as browsers keep cookies: servers on other ports of the same host share it) and sends it back, so the threads it created stay its own. Tests of one client's
 * runs (resume, stop, answers…) call {@link actAsOneClient}; tests of who may touch a thread use
 * a plain `fetch` as the stranger.
 */
import { afterAll, beforeAll, vi } from "vitest";

/** A `fetch` over `base` that keeps the session cookie per host. */
export function clientFetch(base: typeof fetch = globalThis.fetch): typeof fetch {
  const jar = new Map<string, string>();
  return async (input, init) => {
    const request = new Request(input, init);
    const origin = new URL(request.url).hostname;
    const cookie = jar.get(origin);
    if (cookie && !request.headers.has("cookie")) request.headers.set("cookie", cookie);
    const response = await base(request);
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0];
      if (pair?.startsWith("agentstream_session=")) jar.set(origin, pair);
    }
    return response;
  };
}

/**
 * Makes every `fetch` of this test file (the global one, so `@ag-ui/client`'s HttpAgent's too)
 * one client that keeps its session cookie, for the file's duration.
 */
export function actAsOneClient(): void {
  beforeAll(() => {
    vi.stubGlobal("fetch", clientFetch(globalThis.fetch));
  });
  afterAll(() => {
    vi.unstubAllGlobals();
  });
}

/** Headers with the session cookie of `response` (what a browser would send next). */
export function sessionOf(response: Response): Record<string, string> {
  const pair = response.headers.getSetCookie()[0]?.split(";")[0];
  return pair ? { cookie: pair } : {};
}
