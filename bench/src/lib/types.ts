/**
 * What a suite returns: tables for the report, headline ratios, targets with pass/fail, and a
 * flat record of figures (medians) that the smoke test checks for finiteness.
 *
 * @packageDocumentation
 */
import type { Stat } from "./stats.js";

/** How a suite is run. */
export interface SuiteOptions {
  /** Tiny sizes, one repetition: checks the suite works, not how fast. */
  smoke: boolean;
  /** Progress lines (to stderr). */
  log: (line: string) => void;
}

/** A table of the report. */
export interface Table {
  caption?: string;
  head: string[];
  rows: string[][];
}

/** A headline comparison. */
export interface Headline {
  label: string;
  ratio: Stat;
  /** What the ratio means, e.g. "AG-UI client time ÷ store time". */
  meaning: string;
}

/** A target from the issue, checked against a measured figure. */
export interface Target {
  label: string;
  target: string;
  actual: string;
  pass: boolean;
  /** Why it missed (cause and proposed fix), or a caveat. */
  note?: string;
}

/** The result of one suite. */
export interface SuiteResult {
  id: string;
  title: string;
  /** How it was measured (markdown). */
  method: string;
  tables: Table[];
  headlines: Headline[];
  targets: Target[];
  /** Medians by name; all must be finite numbers. */
  figures: Record<string, number>;
  notes: string[];
}

/** A benchmark suite. */
export interface Suite {
  id: string;
  title: string;
  run(options: SuiteOptions): Promise<SuiteResult>;
}
