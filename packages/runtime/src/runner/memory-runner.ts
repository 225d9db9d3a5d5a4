/**
 * The memory runner: the default runner, in one process, nothing to install. The run engine over
 * the memory log store: each thread keeps a byte-bounded event log (resume by id), the compacted
 * events of its finished runs (what CopilotKit's `connect` replays) and its current run; finished
 * threads are evicted least recently used first.
 *
 * @packageDocumentation
 */
import { MemoryLogStore } from "./memory-store.js";
import { RunEngine } from "./run-engine.js";
import type { RunnerOptions } from "./types.js";

/** Options of {@link MemoryRunner}. */
export type MemoryRunnerOptions = RunnerOptions;

/** The in-process runner (the default). See the module documentation. */
export class MemoryRunner extends RunEngine {
  private readonly memory: MemoryLogStore;

  constructor(options: MemoryRunnerOptions = {}) {
    const store = new MemoryLogStore(options);
    super(store, options);
    this.memory = store;
  }

  /** Threads held now. */
  get threadCount(): number {
    return this.memory.threadCount;
  }

  /** Bytes retained over all threads (logs and compacted histories). */
  get retainedBytes(): number {
    return this.memory.retainedBytes;
  }
}
