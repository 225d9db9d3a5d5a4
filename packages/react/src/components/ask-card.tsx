import type { AskChoice, AskStateValue } from "@agentstream/core";
import { jsonEqual } from "@agentstream/core/internal";
import {
  type ComponentPropsWithoutRef,
  createContext,
  type FormEvent,
  forwardRef,
  type ReactNode,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import { cx } from "../internal/cx.js";
import { mergeRefs } from "../internal/merge-refs.js";
import { VisuallyHidden } from "../internal/visually-hidden.js";

/** The question an {@link AskCard} shows (core's `AskState` or an `ask` chunk fit). */
export interface AskCardQuestion {
  id: string;
  prompt: string;
  choices?: readonly AskChoice[];
  schema?: Record<string, unknown>;
  state: AskStateValue;
  /** The answer, once `answered`. */
  value?: unknown;
}

/**
 * Sends an answer. A returned promise keeps the card busy until it settles; a rejection shows
 * its message in the card (e.g. the server's 422 reason) and lets the user try again.
 */
export type AnswerHandler = (askId: string, value: unknown) => void | Promise<void>;

/**
 * Where the {@link AskCard}s rendered inside a `StreamView` send their answers (a StreamView of
 * a plain SSE run: POST to the answer route; `ToolRunCard` provides it for browser actions).
 */
export const AskAnswerContext = createContext<AnswerHandler | null>(null);

/** Props of {@link AskCard}. */
export interface AskCardProps extends Omit<ComponentPropsWithoutRef<"div">, "children"> {
  /** The question. */
  ask: AskCardQuestion;
  /** Sends the answer. Default: the nearest {@link AskAnswerContext}; without one the card is read-only. */
  onAnswer?: AnswerHandler;
  /**
   * Move focus to the card when it appears with an open question. Default: when the card can
   * answer (a read-only copy never takes focus from the one that answers).
   */
  autoFocus?: boolean;
  /**
   * What a read-only card (no `onAnswer`, no context) says while the question is open: where to
   * answer it, e.g. a button that moves focus to the chat's card ("Answer in the chat"). With
   * it, the card also leaves the live announcement to the card that answers.
   */
  answerElsewhere?: ReactNode;
  /** Label of the submit button of free input. Default "Send". */
  submitLabel?: string;
}

const CLOSED_TEXT: Record<Exclude<AskStateValue, "open" | "answered">, string> = {
  expired: "No answer in time: the question expired.",
  cancelled: "The run ended before an answer.",
};

function answerLabel(ask: AskCardQuestion): string {
  const choice = ask.choices?.find((c) => jsonEqual(c.value, ask.value));
  if (choice) return choice.label;
  return typeof ask.value === "string" ? ask.value : JSON.stringify(ask.value);
}

let answerCheck: Promise<typeof import("@agentstream/core/ask")> | undefined;

/**
 * Core's answer check (`checkAnswer`, `parseAnswerText`: a small JSON Schema checker), loaded
 * with the first answer a page sends: most pages never ask, and a card renders without it. A
 * failed load is retried with the next answer.
 */
function loadAnswerCheck(): Promise<typeof import("@agentstream/core/ask")> {
  answerCheck ??= import("@agentstream/core/ask").catch((error: unknown) => {
    answerCheck = undefined;
    throw error;
  });
  return answerCheck;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A question the agent asked and waits on: the prompt, one button per choice, or a text input
 * for free input (a schema, or no choices; Enter submits, the answer is checked against the
 * schema first). Once answered it shows the answer; an expired or cancelled question says so.
 *
 * Accessibility: `role="group"` named by the prompt; buttons named by the choice labels; focus
 * moves to the card when an open question appears; a polite live region announces the question
 * and the answer. `data-state` is `open`, `answered`, `expired` or `cancelled`; `data-busy` while
 * an answer is being sent.
 *
 * Style hooks: `.as-ask`, `.as-ask__prompt`, `.as-ask__choices`, `.as-ask__choice`
 * (`data-chosen`), `.as-ask__form`, `.as-ask__input`, `.as-ask__submit`, `.as-ask__answer`,
 * `.as-ask__error`.
 */
export const AskCard = /* @__PURE__ */ forwardRef<HTMLDivElement, AskCardProps>(function AskCard(
  { ask, onAnswer, autoFocus, answerElsewhere, submitLabel = "Send", className, ...rest },
  ref,
) {
  const fromContext = useContext(AskAnswerContext);
  const send = onAnswer ?? fromContext ?? undefined;
  const promptId = useId();
  const errorId = useId();
  const own = useRef<HTMLDivElement | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [text, setText] = useState("");
  const open = ask.state === "open";
  const choices = ask.choices ?? [];
  const freeInput = choices.length === 0;
  const readOnly = send === undefined;
  const focusOnOpen = autoFocus ?? !readOnly;

  useEffect(() => {
    if (open && focusOnOpen) own.current?.focus({ preventScroll: false });
  }, [open, focusOnOpen]);

  // The live region mounts empty and gets its text after: screen readers announce changes to a
  // live region, not the text it was created with.
  const [announcing, setAnnouncing] = useState(false);
  useEffect(() => setAnnouncing(true), []);

  /** Checks the answer (a choice's value, or the typed text read as the schema asks), then sends it. */
  const submit = async (answer: { value: unknown } | { text: string }) => {
    if (!send || busy || !open) return;
    setBusy(true);
    try {
      const { checkAnswer, parseAnswerText } = await loadAnswerCheck();
      const value = "text" in answer ? parseAnswerText(ask, answer.text) : answer.value;
      const why = checkAnswer(ask, value);
      if (why !== undefined) {
        setError(why.replace(/^value /, "The answer "));
        return;
      }
      setError(undefined);
      await send(ask.id, value);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void submit({ text });
  };

  const announcement =
    ask.state === "open"
      ? `Question: ${ask.prompt}`
      : ask.state === "answered"
        ? `Answered: ${answerLabel(ask)}`
        : CLOSED_TEXT[ask.state];

  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable group named by the prompt; a fieldset cannot take focus or hold the live region the same way.
    <div
      ref={mergeRefs(own, ref)}
      role="group"
      aria-labelledby={promptId}
      tabIndex={-1}
      className={cx("as-ask", className)}
      data-state={ask.state}
      data-busy={busy || undefined}
      data-ask-id={ask.id}
      data-read-only={readOnly || undefined}
      {...rest}
    >
      <p id={promptId} className="as-ask__prompt">
        {ask.prompt}
      </p>
      {choices.length > 0 && (open || ask.state === "answered") ? (
        <div className="as-ask__choices">
          {choices.map((choice) => {
            const chosen = ask.state === "answered" && jsonEqual(choice.value, ask.value);
            return (
              <button
                key={choice.label}
                type="button"
                className="as-ask__choice"
                data-chosen={chosen || undefined}
                aria-pressed={ask.state === "answered" ? chosen : undefined}
                disabled={!open || busy || readOnly}
                onClick={() => void submit({ value: choice.value })}
              >
                {choice.label}
              </button>
            );
          })}
        </div>
      ) : null}
      {open && freeInput ? (
        <form className="as-ask__form" onSubmit={onSubmit}>
          <input
            className="as-ask__input"
            aria-labelledby={promptId}
            aria-invalid={error !== undefined || undefined}
            aria-describedby={error !== undefined ? errorId : undefined}
            value={text}
            disabled={busy || readOnly}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" className="as-ask__submit" disabled={busy || readOnly}>
            {submitLabel}
          </button>
        </form>
      ) : null}
      {open && readOnly && answerElsewhere ? (
        <div className="as-ask__elsewhere">{answerElsewhere}</div>
      ) : null}
      {ask.state === "answered" ? (
        <p className="as-ask__answer">
          Answered: <strong>{answerLabel(ask)}</strong>
        </p>
      ) : null}
      {ask.state === "expired" || ask.state === "cancelled" ? (
        <p className="as-ask__answer">{CLOSED_TEXT[ask.state]}</p>
      ) : null}
      {error !== undefined ? (
        <p id={errorId} className="as-ask__error" role="alert">
          {error}
        </p>
      ) : null}
      {/* One announcement per question: the card that answers makes it, a read-only copy stays quiet. */}
      <span aria-live="polite">
        <VisuallyHidden>{announcing && !(readOnly && answerElsewhere) ? announcement : ""}</VisuallyHidden>
      </span>
    </div>
  );
});
