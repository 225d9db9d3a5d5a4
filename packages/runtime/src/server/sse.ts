/**
 * A Server-Sent Events response done right: no-cache and no-proxy-buffering headers flushed at
 * once, a heartbeat comment on an interval, and `res.write` backpressure respected (a write
 * waits for 'drain'), so a slow client slows its producer instead of growing a buffer.
 *
 * Frames are encoded by `@agentstream/core` (`encodeSseFrame`, `encodeSseComment`).
 *
 * @packageDocumentation
 */
import { encodeSseComment } from "@agentstream/core";
import type { Response } from "express";

/** Options of {@link SseStream}. */
export interface SseStreamOptions {
  /** Milliseconds between heartbeat comments; 0 disables them. Default 15 000. */
  heartbeatMs?: number;
  /**
   * Bytes the socket may hold unsent before the client counts as stuck and is dropped.
   * Writes already wait for 'drain', so this only trips for writers that ignore backpressure.
   * Default 4 MiB.
   */
  maxBufferedBytes?: number;
}

/** One SSE response. */
export class SseStream {
  private heartbeat: NodeJS.Timeout | undefined;
  private waitingForDrain = false;
  /** Writes waiting for 'drain'. */
  private readonly drainWaiters = new Set<() => void>();
  private readonly closeWaiters = new Set<() => void>();
  private _closed = false;
  private readonly maxBufferedBytes: number;

  constructor(
    private readonly res: Response,
    private readonly options: SseStreamOptions = {},
  ) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
    res.once("close", () => this.markClosed());
    // One 'drain' listener for the response's life, added once: with compression, 'drain' comes
    // from the zlib stream, where `res.off` cannot remove a listener (one per wait would pile up).
    res.on("drain", () => {
      for (const wake of [...this.drainWaiters]) wake();
    });
  }

  /** True once the client went away or {@link end} was called. */
  get closed(): boolean {
    return this._closed || this.res.destroyed;
  }

  /** Sends status 200 and the SSE headers at once, and starts the heartbeat. */
  open(): void {
    const res = this.res;
    res.status(200);
    res.setHeader("Content-Type", "text/event-stream; charset=utf-8");
    res.setHeader("Cache-Control", "no-cache, no-transform");
    res.setHeader("Connection", "keep-alive");
    res.setHeader("X-Accel-Buffering", "no");
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    const every = this.options.heartbeatMs ?? 15_000;
    if (every > 0) {
      this.heartbeat = setInterval(() => {
        if (!this.waitingForDrain && !this.closed) this.res.write(encodeSseComment("heartbeat"));
      }, every);
      this.heartbeat.unref();
    }
  }

  /**
   * Writes one encoded frame. Resolves when the frame is handed to the socket and the socket
   * can take more (after 'drain' when it was full); resolves `false` when the client is gone.
   */
  async write(frame: string): Promise<boolean> {
    if (this.closed) return false;
    const ok = this.res.write(frame);
    if (ok) return true;
    if (this.res.writableLength > this.maxBufferedBytes) {
      this.res.destroy(new Error("SSE client too slow: send buffer limit exceeded"));
      return false;
    }
    this.waitingForDrain = true;
    try {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.drainWaiters.delete(done);
          this.closeWaiters.delete(done);
          resolve();
        };
        this.drainWaiters.add(done);
        this.closeWaiters.add(done);
      });
    } finally {
      this.waitingForDrain = false;
    }
    return !this.closed;
  }

  /** Ends the response (idempotent). */
  end(): void {
    this.stopHeartbeat();
    if (!this.res.writableEnded && !this.res.destroyed) this.res.end();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private markClosed(): void {
    this._closed = true;
    this.stopHeartbeat();
    for (const wake of [...this.closeWaiters]) wake();
  }
}
