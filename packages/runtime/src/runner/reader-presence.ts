/**
 * The detached-run rule, once for every runner: a run with no reader anywhere is stopped ("no
 * reader") after `detachedRunMs`, unless a reader comes back first. A disconnect is not a stop:
 * the run goes on for that long so the client can resume.
 *
 * @packageDocumentation
 */

/** Options of {@link ReaderPresence}. */
export interface ReaderPresenceOptions {
  /** How long a run with no reader keeps running (ms). */
  readonly detachedRunMs: number;
  /**
   * The least time before the first reader attached (ms, default 0): a reader on another instance
   * needs a round trip to register, so a run gets this grace even with `detachedRunMs` 0.
   */
  readonly firstReaderGraceMs?: number;
  /** Readers elsewhere (other instances); counted when the local ones are gone. Default: none. */
  readonly remoteReaders?: () => Promise<number>;
  /** True once the run has ended (nothing to stop). */
  readonly ended: () => boolean;
  /** Stops the run (its generator's `finally` runs). */
  readonly stop: (reason: string) => void;
}

/** The readers of one run and its detached-run timer (armed at once: a new run has no reader yet). */
export class ReaderPresence {
  private local = 0;
  private everAttached = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: ReaderPresenceOptions) {
    this.arm();
  }

  /** Readers on this instance. */
  get localReaders(): number {
    return this.local;
  }

  /** A reader on this instance attached: the run is watched, the timer off. */
  attach(): void {
    this.local++;
    this.everAttached = true;
    this.cancel();
  }

  /** A reader on this instance left: with none left anywhere, the timer starts. */
  detach(): void {
    this.local--;
    if (this.local === 0) void this.check();
  }

  /** Readers changed elsewhere (or may have): starts or cancels the timer from the readers anywhere. */
  async check(): Promise<void> {
    if (this.options.ended()) return;
    if (this.local > 0) return this.cancel();
    const remote = await this.remoteCount();
    if (remote > 0 || this.local > 0) {
      this.everAttached = true;
      this.cancel();
    } else if (this.timer === undefined && !this.options.ended()) this.arm();
  }

  /** The run ended (or the runner closes): no timer any more. */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.cancel();
    const { detachedRunMs, firstReaderGraceMs = 0 } = this.options;
    const delay = this.everAttached ? detachedRunMs : Math.max(detachedRunMs, firstReaderGraceMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.options.ended() || this.local > 0) return;
      void this.remoteCount().then((remote) => {
        if (remote === 0 && this.local === 0 && !this.options.ended()) this.options.stop("no reader");
      });
    }, delay);
    this.timer.unref?.();
  }

  /** Readers elsewhere; a count that fails counts as one (never stop a run on a failed read). */
  private remoteCount(): Promise<number> {
    const remote = this.options.remoteReaders;
    return remote === undefined ? Promise.resolve(0) : remote().catch(() => 1);
  }
}
