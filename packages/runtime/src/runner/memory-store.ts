/**
 * The memory log store: threads' logs in this process (the default; nothing to install). Each
 * thread keeps a byte-bounded {@link EventLog}, the compacted events of its finished runs and the
 * message ids it has seen; finished threads are evicted least recently used first.
 *
 * @packageDocumentation
 */
import type { BaseEvent } from "@ag-ui/core";
import { EventLog } from "./event-log.js";
import type {
  ClaimResult,
  LogEntry,
  LogPage,
  LogStore,
  LogTail,
  RunClaim,
  RunEnd,
  StoredThread,
} from "./log-store.js";
import { RUNNER_DEFAULTS, type RunnerHealth, type RunnerOptions } from "./types.js";

interface MemoryThread {
  readonly threadId: string;
  agentId: string;
  runId: string;
  running: boolean;
  runFirstId: number;
  readonly creator: string | undefined;
  readonly log: EventLog;
  /** Compacted events of finished runs, oldest first (one array per run), and their JSON size. */
  readonly history: { events: readonly BaseEvent[]; bytes: number }[];
  historyBytes: number;
  readonly seen: Set<string>;
}

/** The in-process {@link LogStore}. See the module documentation. */
export class MemoryLogStore implements LogStore {
  readonly name = "memory";
  private readonly threads = new Map<string, MemoryThread>();
  private readonly maxThreadBytes: number;
  private readonly maxThreads: number;
  private readonly maxTotalBytes: number;

  constructor(options: RunnerOptions = {}) {
    this.maxThreadBytes = options.maxThreadBytes ?? RUNNER_DEFAULTS.maxThreadBytes;
    this.maxThreads = options.maxThreads ?? RUNNER_DEFAULTS.maxThreads;
    this.maxTotalBytes = options.maxTotalBytes ?? RUNNER_DEFAULTS.maxTotalBytes;
  }

  /** Threads held now. */
  get threadCount(): number {
    return this.threads.size;
  }

  /** Bytes retained over all threads (logs and compacted histories). */
  get retainedBytes(): number {
    let total = 0;
    for (const t of this.threads.values()) total += t.log.bytes + t.historyBytes;
    return total;
  }

  claim(claim: RunClaim): ClaimResult {
    let thread = this.touch(claim.threadId);
    if (thread?.running || (thread && claim.creator !== undefined))
      return { claimed: false, runId: thread.runId };
    if (!thread) {
      thread = {
        threadId: claim.threadId,
        agentId: claim.agentId,
        runId: claim.runId,
        running: true,
        runFirstId: 1,
        creator: claim.creator,
        log: new EventLog(this.maxThreadBytes),
        history: [],
        historyBytes: 0,
        seen: new Set(),
      };
      this.threads.set(claim.threadId, thread);
    }
    thread.agentId = claim.agentId;
    thread.runId = claim.runId;
    thread.running = true;
    thread.runFirstId = thread.log.upcomingId;
    return { claimed: true, firstId: thread.runFirstId };
  }

  append(claim: RunClaim, _firstId: number, entries: readonly LogEntry[], end?: RunEnd): void {
    const thread = this.threads.get(claim.threadId);
    if (!thread) return;
    for (const entry of entries) thread.log.append(entry.event, entry.json);
    if (end) this.finish(thread, end);
    thread.log.notify();
  }

  read(threadId: string, fromId: number, max: number): LogPage {
    const thread = this.threads.get(threadId);
    if (!thread) return { entries: [], running: false, leased: true, exists: false };
    return {
      entries: thread.log.slice(fromId - 1, max),
      running: thread.running,
      leased: true,
      exists: true,
    };
  }

  thread(threadId: string): StoredThread | undefined {
    const t = this.touch(threadId);
    if (!t) return undefined;
    return {
      threadId,
      agentId: t.agentId,
      runId: t.runId,
      running: t.running,
      runFirstId: t.runFirstId,
      oldestId: t.log.oldestId,
      newestId: t.log.newestId,
      ...(t.creator === undefined ? {} : { creator: t.creator }),
      owner: "",
      leased: true,
    };
  }

  async history(threadId: string): Promise<readonly BaseEvent[]> {
    const thread = this.threads.get(threadId);
    return thread ? thread.history.flatMap((run) => run.events) : [];
  }

  seen(threadId: string, messageIds: readonly string[]): boolean[] {
    const seen = this.threads.get(threadId)?.seen;
    if (!seen) return messageIds.map(() => false);
    const known = messageIds.map((id) => seen.has(id));
    for (const id of messageIds) seen.add(id);
    return known;
  }

  tail(threadId: string): LogTail {
    const log = this.threads.get(threadId)?.log ?? new EventLog(0);
    return {
      get version() {
        return log.version;
      },
      changed: (version) => (log.version === version ? log.changed() : Promise.resolve()),
      close() {},
    };
  }

  health(): RunnerHealth {
    return { status: "ok", runner: this.name };
  }

  async close(): Promise<void> {}

  private touch(threadId: string): MemoryThread | undefined {
    const thread = this.threads.get(threadId);
    if (thread) {
      this.threads.delete(threadId);
      this.threads.set(threadId, thread);
    }
    return thread;
  }

  private finish(thread: MemoryThread, end: RunEnd): void {
    thread.running = false;
    for (const id of end.seen) thread.seen.add(id);
    thread.history.push({ events: end.history, bytes: end.historyJson.length });
    thread.historyBytes += end.historyJson.length;
    // Keep the newest runs within the thread's byte budget.
    while (thread.historyBytes > this.maxThreadBytes && thread.history.length > 1)
      thread.historyBytes -= (thread.history.shift() as { bytes: number }).bytes;
    this.evict(thread.threadId);
  }

  private evict(protect: string): void {
    let total = this.retainedBytes;
    for (const [id, t] of this.threads) {
      if (this.threads.size <= this.maxThreads && total <= this.maxTotalBytes) break;
      if (id === protect || t.running) continue;
      total -= t.log.bytes + t.historyBytes;
      this.threads.delete(id);
    }
  }
}
