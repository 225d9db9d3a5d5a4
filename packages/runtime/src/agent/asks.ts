/**
 * The open questions of one run (`await ctx.ask(...)`), and how an answer reaches the generator
 * waiting on one. The runner keeps one {@link AskBox} per run and hands it to the pump; the
 * answer routes call `runner.answer(...)`, which calls {@link AskBox.answer} on the run's box.
 *
 * @packageDocumentation
 */
import { type AskChoice, type AskStateValue, checkAnswer } from "@agentstream/core";

/** What a question asks. */
export interface AskOptions {
  /** The question, as the user reads it. */
  prompt: string;
  /** One button per choice: a string (label and value) or `{ label, value }`. The answer is one choice's value. */
  choices?: ReadonlyArray<string | AskChoice>;
  /** JSON schema of a free-input answer (without choices). Default: any text. */
  schema?: Record<string, unknown>;
  /** Reject with an {@link AskTimeoutError} when no answer arrives in time. Default: wait until the run ends. */
  timeoutMs?: number;
}

/** What an answer did (the answer routes turn it into 200, 404, 409 or 422). */
export type AnswerResult =
  /** The waiting generator has the value. */
  | { status: "answered" }
  /** No question of that id in the thread's current (or last) run. */
  | { status: "unknown" }
  /** The question is no longer open: answered before, expired, or cancelled with its run. */
  | { status: "closed"; state: Exclude<AskStateValue, "open"> }
  /** The value does not fit the choices or the schema; `reason` says why. */
  | { status: "invalid"; reason: string };

/** `ctx.ask` rejected: no answer within `timeoutMs`. */
export class AskTimeoutError extends Error {
  override readonly name = "AskTimeoutError";
  constructor(
    /** The question's id. */
    readonly askId: string,
    /** The question. */
    readonly prompt: string,
    readonly timeoutMs: number,
  ) {
    super(`No answer to "${prompt}" within ${timeoutMs} ms`);
  }
}

interface Entry {
  readonly id: string;
  readonly choices: readonly AskChoice[] | undefined;
  readonly schema: Record<string, unknown> | undefined;
  state: AskStateValue;
  /** Set while open: hands the value to the waiting `ctx.ask`. */
  deliver: ((value: unknown) => void) | undefined;
  /** Set while open: what the run's end sends for it (a `cancelled` ask chunk). */
  closed: ((state: Exclude<AskStateValue, "open">) => Record<string, unknown>) | undefined;
}

/** The questions of one run: open ones wait for their answer; closed ones remember how they closed. */
export class AskBox {
  private readonly entries = new Map<string, Entry>();

  /**
   * Registers an open question. `deliver` gets a checked answer; `closing(state)` makes the ask
   * chunk that reports the question closed without one (see {@link closeOpen}).
   */
  open(
    ask: { id: string; choices?: readonly AskChoice[]; schema?: Record<string, unknown> },
    deliver: (value: unknown) => void,
    closing: (state: Exclude<AskStateValue, "open">) => Record<string, unknown>,
  ): void {
    this.entries.set(ask.id, {
      id: ask.id,
      choices: ask.choices,
      schema: ask.schema,
      state: "open",
      deliver,
      closed: closing,
    });
  }

  /** Closes an open question without an answer (timeout, abort); false when it was not open. */
  close(id: string, state: Exclude<AskStateValue, "open">): boolean {
    const entry = this.entries.get(id);
    if (entry?.state !== "open") return false;
    entry.state = state;
    entry.deliver = undefined;
    entry.closed = undefined;
    return true;
  }

  /** Hands `value` to the generator waiting on question `id`, if it is open and the value fits. */
  answer(id: string, value: unknown): AnswerResult {
    const entry = this.entries.get(id);
    if (!entry) return { status: "unknown" };
    if (entry.state !== "open") return { status: "closed", state: entry.state };
    const reason = checkAnswer({ choices: entry.choices, schema: entry.schema }, value);
    if (reason !== undefined) return { status: "invalid", reason };
    const deliver = entry.deliver;
    entry.state = "answered";
    entry.deliver = undefined;
    entry.closed = undefined;
    deliver?.(value);
    return { status: "answered" };
  }

  /** Ids of the questions waiting for an answer. */
  get openIds(): string[] {
    return [...this.entries.values()].filter((e) => e.state === "open").map((e) => e.id);
  }

  /** Closes every open question (the run ends); returns the ask chunks that say so. */
  closeOpen(state: Exclude<AskStateValue, "open"> = "cancelled"): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const entry of this.entries.values()) {
      if (entry.state !== "open") continue;
      const chunk = entry.closed?.(state);
      entry.state = state;
      entry.deliver = undefined;
      entry.closed = undefined;
      if (chunk) out.push(chunk);
    }
    return out;
  }
}
