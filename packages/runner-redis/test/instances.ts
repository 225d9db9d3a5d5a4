/** Agent server child processes on one Redis, and an SSE client for them. */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";

const SERVER = fileURLToPath(new URL("./fixtures/server.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface Instance {
  readonly url: string;
  readonly child: ChildProcess;
  /** runId → ms timestamp of the generator's `finally`. */
  readonly finallyAt: Map<string, number>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ["--conditions=@agentstream/source", "--import", "tsx", SERVER], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const finallyAt = new Map<string, number>();
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = "";
    child.stdout?.on("data", (d: Buffer) => {
      buffer += d.toString();
      let nl = buffer.indexOf("\n");
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf("\n");
        try {
          const msg = JSON.parse(line) as { url?: string; finally?: string; at?: number };
          if (msg.url) resolve(msg.url);
          if (msg.finally) finallyAt.set(msg.finally, msg.at ?? Date.now());
        } catch {
          // not ours
        }
      }
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
  });
  return {
    url,
    child,
    finallyAt,
    async kill(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill(signal);
      await exited;
    },
  };
}

export interface SseEvent {
  id: number | undefined;
  event: { type: string; [key: string]: unknown };
}

/** Reads an SSE response to its end (or until `until` says stop). */
export async function readSse(
  res: Response,
  until?: (events: SseEvent[]) => boolean,
  onFirst?: () => void,
): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        let id: number | undefined;
        let data = "";
        for (const line of frame.split("\n")) {
          if (line.startsWith("id:")) id = Number(line.slice(3).trim());
          else if (line.startsWith("data:")) data += line.slice(5).trim();
        }
        if (!data) continue;
        if (events.length === 0) onFirst?.();
        events.push({ id, event: JSON.parse(data) });
      }
      if (until?.(events)) break;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return events;
}

export function runBody(
  threadId: string,
  prompt: { count: number; paceMs?: number },
  runId: string = randomUUID(),
) {
  return JSON.stringify({
    threadId,
    runId,
    messages: [{ id: randomUUID(), role: "user", content: JSON.stringify(prompt) }],
    tools: [],
    context: [],
    state: {},
    forwardedProps: {},
  });
}

export function run(
  url: string,
  threadId: string,
  prompt: { count: number; paceMs?: number },
  runId?: string,
) {
  return fetch(`${url}/api/agents/tokens/run`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: runBody(threadId, prompt, runId),
  });
}

export function follow(url: string, threadId: string, after?: number) {
  return fetch(`${url}/api/agents/tokens/threads/${threadId}/events`, {
    headers: {
      accept: "text/event-stream",
      ...(after !== undefined ? { "last-event-id": String(after) } : {}),
    },
  });
}

export function stop(url: string, threadId: string) {
  return fetch(`${url}/api/agents/tokens/threads/${threadId}/stop`, { method: "POST" });
}
