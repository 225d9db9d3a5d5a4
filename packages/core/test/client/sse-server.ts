/**
 * A small real node:http server speaking the plain AG-UI routes' contract, for the run client's
 * tests: `POST /api/agents/:agentId/run`, `GET …/threads/:threadId/events` (Last-Event-ID or
 * ?after), `POST …/threads/:threadId/stop`. Each thread has a log of frames with ids 1, 2, 3 …
 * published over time; faults are injected per connection (socket destroyed after N bytes,
 * writes split at random byte offsets, forced statuses).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Ev = { type: string; [key: string]: unknown };

export interface Thread {
  agentId: string;
  threadId: string;
  runId: string;
  log: { id: number; data: string }[];
  /** Events not yet published. */
  pending: string[];
  ended: boolean;
  timer: ReturnType<typeof setInterval> | undefined;
  waiters: Set<() => void>;
}

export interface Connection {
  kind: "run" | "events";
  after: number;
  headers: IncomingMessage["headers"];
  closed: boolean;
  /** The client went away before the server ended the response. */
  closedByClient: boolean;
}

export interface ServerBehaviour {
  /** The events of a run of `agentId`; `undefined` → 404 unknown agent. Default: {@link tokenRun} of 20. */
  script?: (agentId: string, input: Record<string, unknown>) => Ev[] | string[] | undefined;
  /** Events published per tick (0 = all at once). Default 0. */
  perTick?: number;
  /** Tick in ms. Default 2. */
  tickMs?: number;
  /** Byte budget of connection `n` (0-based): the socket is destroyed once it is spent. */
  cutAfter?: (n: number, conn: Connection) => number | undefined;
  /** Frames connection `n` sends before it goes silent, the socket left open (no heartbeat either). */
  stallAfter?: (n: number, conn: Connection) => number | undefined;
  /** Byte split points of each write (random splits); default whole frames. */
  split?: (frame: string) => number[];
  /** A status to answer a GET events request with instead of streaming (JSON error body). */
  eventsStatus?: (n: number, after: number, thread: Thread | undefined) => number | undefined;
}

export interface TestServer {
  url: string;
  threads: Map<string, Thread>;
  connections: Connection[];
  requests: { method: string; url: string; headers: IncomingMessage["headers"] }[];
  stops: string[];
  behaviour: ServerBehaviour;
  close(): Promise<void>;
}

/** RUN_STARTED, a text message of `n` tokens "w0 ", "w1 " …, RUN_FINISHED. */
export function tokenRun(n: number, runId = "run-1", threadId = "t"): Ev[] {
  const out: Ev[] = [
    { type: "RUN_STARTED", threadId, runId },
    { type: "TEXT_MESSAGE_START", messageId: "m1", role: "assistant" },
  ];
  for (let i = 0; i < n; i++) out.push({ type: "TEXT_MESSAGE_CONTENT", messageId: "m1", delta: `w${i} ` });
  out.push({ type: "TEXT_MESSAGE_END", messageId: "m1" });
  out.push({ type: "RUN_FINISHED", threadId, runId, result: { n } });
  return out;
}

/** The text of {@link tokenRun}(n). */
export function tokenText(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += `w${i} `;
  return s;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const piece of req) text += String(piece);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export async function startTestServer(behaviour: ServerBehaviour = {}): Promise<TestServer> {
  const threads = new Map<string, Thread>();
  const connections: Connection[] = [];
  const requests: TestServer["requests"] = [];
  const stops: string[] = [];
  let eventsRequests = 0;
  const state = { behaviour };

  const publish = (t: Thread, count: number): void => {
    for (let i = 0; i < count && t.pending.length > 0; i++) {
      t.log.push({ id: t.log.length + 1, data: t.pending.shift() as string });
    }
    if (t.pending.length === 0) {
      t.ended = true;
      if (t.timer) clearInterval(t.timer);
    }
    for (const w of Array.from(t.waiters)) w();
  };

  const stream = (res: ServerResponse, t: Thread, conn: Connection): void => {
    connections.push(conn);
    const budget = state.behaviour.cutAfter?.(connections.length - 1, conn);
    const frames = state.behaviour.stallAfter?.(connections.length - 1, conn);
    let sent = 0;
    let spent = 0;
    let next = conn.after;
    let dead = false;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.flushHeaders();
    const write = (text: string): boolean => {
      if (dead) return false;
      const bytes = Buffer.from(text);
      if (budget !== undefined && spent + bytes.length > budget) {
        const part = bytes.subarray(0, Math.max(0, budget - spent));
        dead = true;
        // Cut once what was written has left (destroy() alone drops buffered writes).
        if (part.length === 0) res.socket?.destroy();
        else res.write(part, () => res.socket?.destroy());
        return false;
      }
      spent += bytes.length;
      const cuts = state.behaviour.split?.(text) ?? [];
      let from = 0;
      for (const c of cuts) {
        if (c <= from || c >= bytes.length) continue;
        res.write(bytes.subarray(from, c));
        from = c;
      }
      res.write(bytes.subarray(from));
      return true;
    };
    const pump = (): void => {
      if (dead) return;
      while (next < t.log.length) {
        if (frames !== undefined && sent >= frames) return; // silent from now on, socket open
        sent++;
        const f = t.log[next] as { id: number; data: string };
        next++;
        if (!write(`id: ${f.id}\ndata: ${f.data}\n\n`)) return;
      }
      if (t.ended) {
        t.waiters.delete(pump);
        dead = true;
        res.end();
      }
    };
    res.on("close", () => {
      conn.closed = true;
      if (!dead) conn.closedByClient = true;
      dead = true;
      t.waiters.delete(pump);
    });
    write(": heartbeat\n\n");
    t.waiters.add(pump);
    pump();
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://x");
      requests.push({ method: req.method ?? "", url: url.pathname + url.search, headers: req.headers });
      const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
      // api agents :agentId run | api agents :agentId threads :threadId events|stop
      if (parts[0] !== "api" || parts[1] !== "agents" || parts[2] === undefined)
        return json(res, 404, { error: { code: "not_found", message: "no such route" } });
      const agentId = parts[2];
      if (req.method === "POST" && parts[3] === "run") {
        const input = await readBody(req);
        const threadId = String(input.threadId ?? "t");
        const runId = String(input.runId ?? "r");
        const script = (state.behaviour.script ?? (() => tokenRun(20, runId, threadId)))(agentId, input);
        if (script === undefined)
          return json(res, 404, { error: { code: "agent_not_found", message: `Unknown agent ${agentId}` } });
        const prev = threads.get(threadId);
        const t: Thread = {
          agentId,
          threadId,
          runId,
          log: prev?.log ?? [],
          pending: script.map((e) => (typeof e === "string" ? e : JSON.stringify(e))),
          ended: false,
          timer: undefined,
          waiters: new Set(),
        };
        const start = t.log.length;
        threads.set(threadId, t);
        const perTick = state.behaviour.perTick ?? 0;
        if (perTick === 0) publish(t, t.pending.length);
        else t.timer = setInterval(() => publish(t, perTick), state.behaviour.tickMs ?? 2);
        return stream(res, t, {
          kind: "run",
          after: start,
          headers: req.headers,
          closed: false,
          closedByClient: false,
        });
      }
      const threadId = parts[4] ?? "";
      const t = threads.get(threadId);
      if (req.method === "GET" && parts[3] === "threads" && parts[5] === "events") {
        const header = req.headers["last-event-id"];
        const after = Number(header ?? url.searchParams.get("after") ?? 0) || 0;
        const forced = state.behaviour.eventsStatus?.(eventsRequests++, after, t);
        if (forced !== undefined)
          return json(res, forced, {
            error: { code: `forced_${forced}`, message: `forced ${forced}`, newestId: t?.log.length ?? 0 },
          });
        if (t === undefined)
          return json(res, 404, {
            error: { code: "thread_not_found", message: `Unknown thread ${threadId}` },
          });
        if (after > t.log.length)
          return json(res, 409, {
            error: {
              code: "event_id_ahead",
              message: `Event ${after} is newer than the log`,
              newestId: t.log.length,
            },
          });
        return stream(res, t, {
          kind: "events",
          after,
          headers: req.headers,
          closed: false,
          closedByClient: false,
        });
      }
      if (req.method === "POST" && parts[3] === "threads" && parts[5] === "stop") {
        stops.push(threadId);
        if (t === undefined || t.ended)
          return json(res, 404, { error: { code: "not_running", message: "Nothing runs" } });
        if (t.timer) clearInterval(t.timer);
        t.pending = [JSON.stringify({ type: "RUN_FINISHED", threadId, runId: t.runId })];
        publish(t, 1);
        return json(res, 200, { runId: t.runId });
      }
      return json(res, 404, { error: { code: "not_found", message: "no such route" } });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const api: TestServer = {
    url: `http://127.0.0.1:${port}`,
    threads,
    connections,
    requests,
    stops,
    behaviour,
    async close() {
      for (const t of threads.values()) if (t.timer) clearInterval(t.timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  Object.defineProperty(api, "behaviour", {
    get: () => state.behaviour,
    set: (b: ServerBehaviour) => {
      state.behaviour = b;
    },
  });
  return api;
}
