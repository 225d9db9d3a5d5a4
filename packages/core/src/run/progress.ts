/**
 * Progress folding shared by the run reducer and the AG-UI encoder (whose progress activity
 * carries the step list): a progress chunk with a new `step` label marks the previously active
 * step done and the new one active; reaching `current === total` marks all steps done; an error
 * marks the active step failed.
 *
 * @packageDocumentation
 */
import type { ProgressChunk } from "../chunk.js";
import type { ProgressState, ProgressStep, StepState } from "../state.js";

/** A mutable progress accumulator with a lazily materialized, immutable {@link ProgressState}. */
export class ProgressTracker {
  private current = 0;
  private total: number | undefined;
  private label = "";
  private message: string | undefined;
  private readonly steps: ProgressStep[] = [];
  private readonly indexByLabel = new Map<string, number>();
  private active = -1;
  private cached: ProgressState | undefined;
  private dirty = false;
  /** True once a progress chunk has been applied. */
  started = false;

  /** Folds one progress chunk, `at` being its timestamp. */
  apply(chunk: ProgressChunk, at: number): void {
    this.started = true;
    this.dirty = true;
    this.current = chunk.current;
    this.total = chunk.total;
    this.label = chunk.step;
    this.message = chunk.message;
    const label = chunk.step;
    const activeStep = this.active >= 0 ? this.steps[this.active] : undefined;
    if (label !== "" && (activeStep === undefined || activeStep.label !== label)) {
      if (activeStep !== undefined) this.end(this.active, "done", at);
      const existing = this.indexByLabel.get(label);
      if (existing === undefined) {
        this.indexByLabel.set(label, this.steps.length);
        this.active = this.steps.length;
        this.steps.push({ label, state: "active", startedAt: at });
      } else {
        const prev = this.steps[existing] as ProgressStep;
        this.active = existing;
        this.steps[existing] = { label, state: "active", startedAt: prev.startedAt ?? at };
      }
    }
    if (chunk.total !== undefined && chunk.current >= chunk.total) this.settle("done", at);
  }

  /** Marks the active step `failed` (an error). */
  fail(at: number): void {
    if (this.active < 0) return;
    this.end(this.active, "failed", at);
    this.active = -1;
    this.dirty = true;
  }

  /** Ends the run's progress: `done` marks every step done, `failed` only the active one. */
  settle(state: Extract<StepState, "done" | "failed">, at: number): void {
    if (state === "failed") {
      this.fail(at);
      return;
    }
    for (let i = 0; i < this.steps.length; i++) {
      const s = this.steps[i] as ProgressStep;
      if (s.state === "active" || s.state === "pending") this.end(i, "done", at);
    }
    this.active = -1;
    this.dirty = true;
  }

  private end(i: number, state: StepState, at: number): void {
    const s = this.steps[i] as ProgressStep;
    const startedAt = s.startedAt ?? at;
    this.steps[i] = { label: s.label, state, startedAt, endedAt: at, duration: at - startedAt };
    if (i === this.active) this.active = -1;
  }

  /** The current progress, the same object until something changes; `undefined` before any progress. */
  snapshot(): ProgressState | undefined {
    if (!this.started) return undefined;
    if (this.dirty || this.cached === undefined) {
      const p: ProgressState = { current: this.current, label: this.label, steps: this.steps.slice() };
      if (this.total !== undefined) p.total = this.total;
      if (this.message !== undefined) p.message = this.message;
      this.cached = p;
      this.dirty = false;
    }
    return this.cached;
  }
}
