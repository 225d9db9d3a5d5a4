/**
 * Counts the agent runs in flight (for `/healthz` and graceful shutdown) and can abort them all.
 *
 * @packageDocumentation
 */

/** A run registered with a {@link StreamRegistry}. */
export interface RegisteredStream {
  /** Agent name. */
  readonly agent: string;
  readonly runId: string;
  readonly startedAt: number;
  /** Stops the run (its generator's `return()` is called). */
  abort(reason?: string): void;
}

/** The set of runs in flight. A run leaves it once its generator has fully finished (`finally` ran). */
export class StreamRegistry {
  private readonly streams = new Set<RegisteredStream>();
  private readonly idleWaiters = new Set<() => void>();
  private _total = 0;

  /** Runs in flight now. */
  get active(): number {
    return this.streams.size;
  }

  /** Runs started since the registry was created. */
  get total(): number {
    return this._total;
  }

  /** Adds a run; call the returned function once it has finished. */
  register(stream: RegisteredStream): () => void {
    this.streams.add(stream);
    this._total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.streams.delete(stream);
      if (this.streams.size === 0) for (const wake of [...this.idleWaiters]) wake();
    };
  }

  /** Aborts every run in flight. */
  abortAll(reason = "server shutting down"): void {
    for (const stream of [...this.streams]) stream.abort(reason);
  }

  /** Resolves `true` once no run is in flight, or `false` after `timeoutMs`. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.streams.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.idleWaiters.delete(wake);
        resolve(this.streams.size === 0);
      };
      const timer = setTimeout(() => {
        this.idleWaiters.delete(wake);
        resolve(false);
      }, timeoutMs);
      this.idleWaiters.add(wake);
    });
  }

  /** A snapshot of the runs in flight. */
  list(): { agent: string; runId: string; ageMs: number }[] {
    const now = Date.now();
    return [...this.streams].map((s) => ({ agent: s.agent, runId: s.runId, ageMs: now - s.startedAt }));
  }
}
