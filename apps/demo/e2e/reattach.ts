/**
 * Reload helpers of the e2e tests: what a reloaded page showed from its first frame (a
 * MutationObserver installed before the page's scripts run), and a server frozen while a page
 * reloads and reattaches (and while Stop is pressed), so that a run cannot move on (or end)
 * while a loaded machine takes its time.
 */
import { existsSync, statSync } from "node:fs";
import { join, normalize } from "node:path";
import type { BrowserContext, Page, Request, Route } from "playwright-core";
import { repoRoot } from "./helpers.js";

/** One observation of a page: the chat's answer to its latest user message and the panel's status. */
export interface LoadSample {
  /** Milliseconds since the document was created. */
  t: number;
  /** Length of the chat's answer text (0 while the chat shows none). */
  length: number;
  /** The agent panel's status (`data-state` of the AgentStatus badge; "" before it renders). */
  status: string;
}

/**
 * Records, in every document `context` loads from now on, each change of the chat's answer
 * length and of the panel's status (a MutationObserver installed before the page's scripts run:
 * every state the page rendered is recorded, however briefly, with no polling to miss one).
 * Read them with {@link loadSamples}.
 */
export async function observeFromLoad(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as typeof window & { __loadSamples?: LoadSample[] };
    const samples: LoadSample[] = [];
    w.__loadSamples = samples;
    const read = () => {
      let length = 0;
      const list = document.querySelector("#chat [data-testid=copilot-message-list]");
      const users = list?.querySelectorAll("[data-testid=copilot-user-message]") ?? [];
      const lastUser = users[users.length - 1];
      if (list && lastUser) {
        for (const m of list.querySelectorAll("[data-testid=copilot-assistant-message]")) {
          if (lastUser.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING)
            // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, what the user reads.
            length += ((m.firstElementChild as HTMLElement | null)?.innerText ?? "").trim().length;
        }
      }
      const status = document.querySelector("[data-testid=run-status]")?.getAttribute("data-state") ?? "";
      const last = samples[samples.length - 1];
      if (!last || last.length !== length || last.status !== status)
        samples.push({ t: Math.round(performance.now()), length, status });
    };
    new MutationObserver(read).observe(document, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
  });
}

/** What {@link observeFromLoad} recorded in the page's current document. */
export async function loadSamples(page: Page): Promise<LoadSample[]> {
  return page.evaluate(
    () => (window as typeof window & { __loadSamples?: LoadSample[] }).__loadSamples ?? [],
  );
}

/** The next `/connect` request of the chat (CopilotKit's reattach) that ends: its stream closed. */
export function connectStreamEnd(page: Page, timeout = 60_000): Promise<Request> {
  return page.waitForEvent("requestfinished", {
    predicate: (r) => new URL(r.url()).pathname.endsWith("/connect"),
    timeout,
  });
}

/** Resolves once the page has rendered two more frames (what it received is on screen). */
export async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
  );
}

const demoDist = join(repoRoot, "apps/demo/dist");

/** The file of the built demo that `pathname` names, if any (the app's page for "/"). */
function distFile(pathname: string): string | undefined {
  const file = normalize(join(demoDist, pathname === "/" ? "index.html" : decodeURIComponent(pathname)));
  if (!file.startsWith(`${demoDist}/`)) return undefined;
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

/** What a reloading page asks the server before `/connect`, as the server answered it. */
type Answers = Map<string, { status: number; contentType: string; body: Buffer }>;

/** Milliseconds the frozen server runs per step in {@link FrozenServer.until} (a token or two). */
const STEP_MS = 25;

/** What a test can do while the server is frozen: see {@link frozenServer}. */
export interface FrozenServer {
  /**
   * Reloads `page`; returns once the reloaded page has asked CopilotKit's `/connect` to reattach
   * (the request waits in the frozen server's socket). The page gets what it asks before that from
   * here: the built demo's files (what the server's static route serves), and `/api/agents` and
   * `/api/copilotkit/info` as the server answered them when {@link frozenServer} was called.
   */
  reload(page: Page): Promise<void>;
  /**
   * Lets the server run in short steps until `predicate` holds in `page`: between steps the
   * server stands still while the page shows what it has received, so the run moves on by a token
   * or two per step however slowly the loaded page renders, never to its end unseen.
   */
  until(page: Page, predicate: () => boolean, what: string, timeout?: number): Promise<void>;
}

/**
 * Runs `body` with the server (process `serverPid`) frozen (SIGSTOP) and lets it go on (SIGCONT)
 * afterwards, whatever happens: its runs make no progress meanwhile, however long the page (or a
 * click) takes on a loaded machine, except in the steps {@link FrozenServer.until} grants. A run
 * that was live when `body` began is live when it ends, about where it was.
 *
 * Call it before the run starts: it first asks the server what a reloading page asks before
 * `/connect`, so that freezing later takes no round trip.
 */
export async function frozenServer(
  baseURL: string,
  serverPid: number,
): Promise<{ during<T>(page: Page, body: (frozen: FrozenServer) => Promise<T>): Promise<T> }> {
  const answers: Answers = new Map();
  for (const path of ["/api/agents", "/api/copilotkit/info"]) {
    const res = await fetch(`${baseURL}${path}`, { headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`frozenServer: GET ${path} answered ${res.status}`);
    answers.set(path, {
      status: res.status,
      contentType: res.headers.get("content-type") ?? "application/json",
      body: Buffer.from(await res.arrayBuffer()),
    });
  }
  return {
    async during(page, body) {
      let frozen = true;
      let asked: () => void = () => {};
      const connectAsked = new Promise<void>((resolve) => {
        asked = resolve;
      });
      // While frozen, the page's files and the two answers come from here; the handler stays
      // installed afterwards (unrouting while it serves a request would hand that request to the
      // context's handler as well) and hands everything on.
      const handler = async (route: Route) => {
        const { pathname } = new URL(route.request().url());
        const answer = frozen ? answers.get(pathname) : undefined;
        if (answer)
          return route.fulfill({ status: answer.status, contentType: answer.contentType, body: answer.body });
        const file = frozen && !pathname.startsWith("/api/") ? distFile(pathname) : undefined;
        if (file) return route.fulfill({ path: file });
        await route.fallback();
        if (pathname.endsWith("/connect")) asked();
      };
      await page.route(`${baseURL}/**`, handler);
      const step = async () => {
        process.kill(serverPid, "SIGCONT");
        await new Promise((r) => setTimeout(r, STEP_MS));
        process.kill(serverPid, "SIGSTOP");
      };
      const control: FrozenServer = {
        async reload(target) {
          await target.reload();
          await withTimeout(connectAsked, 30_000, "the reloaded page sent no /connect within 30 s");
        },
        async until(target, predicate, what, timeout = 30_000) {
          const deadline = Date.now() + timeout;
          for (;;) {
            // The server stands still: the page has time to show what it received.
            const shown = await target.waitForFunction(predicate, undefined, { timeout: 250 }).then(
              () => true,
              (error: Error) => {
                if (error.name === "TimeoutError") return false;
                throw error;
              },
            );
            if (shown) return;
            if (Date.now() > deadline) throw new Error(`frozenServer: the page did not show ${what}`);
            await step();
          }
        },
      };
      process.kill(serverPid, "SIGSTOP");
      try {
        return await body(control);
      } finally {
        frozen = false;
        process.kill(serverPid, "SIGCONT");
      }
    },
  };
}

async function withTimeout(promise: Promise<void>, ms: number, message: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`frozenServer: ${message}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * In the page: the reattached run is shown live (the chat shows some of the answer, the panel
 * says the agent is busy and its Stop is enabled). For {@link FrozenServer.until}.
 */
export function liveRunShown(): boolean {
  const list = document.querySelector("#chat [data-testid=copilot-message-list]");
  const users = list?.querySelectorAll("[data-testid=copilot-user-message]") ?? [];
  const lastUser = users[users.length - 1];
  if (!list || !lastUser) return false;
  const answered = [...list.querySelectorAll("[data-testid=copilot-assistant-message]")].some(
    (m) =>
      lastUser.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING &&
      // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, what the user reads.
      ((m.firstElementChild as HTMLElement | null)?.innerText ?? "").trim().length > 0,
  );
  const status = document.querySelector("[data-testid=run-status]")?.getAttribute("data-state") ?? "";
  const stop = document.querySelector<HTMLButtonElement>("[data-testid=agent-panel] .as-stop");
  return (
    answered && ["started", "thinking", "acting", "observing"].includes(status) && stop?.disabled === false
  );
}
