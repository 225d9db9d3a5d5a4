import { useEffect, useId, useLayoutEffect, useRef } from "react";
import { summarize, words } from "./analyze.js";
import { useDocument } from "./document-context.js";
import { newSectionId, type Section, type SectionReview } from "./model.js";

/** A textarea that grows with its text (and with its width: a narrower screen wraps more). */
function AutoTextarea(props: React.ComponentPropsWithoutRef<"textarea"> & { value: string }) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const fit = () => {
    const el = ref.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${el.scrollHeight + 2}px`;
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: the height follows the value.
  useLayoutEffect(fit, [props.value]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: fit reads the element only.
  useEffect(() => {
    window.addEventListener("resize", fit);
    return () => window.removeEventListener("resize", fit);
  }, []);
  return <textarea ref={ref} rows={2} {...props} />;
}

function scoreTone(score: number): "good" | "fair" | "poor" {
  return score >= 80 ? "good" : score >= 55 ? "fair" : "poor";
}

function ReviewNotes({ review }: { review: SectionReview }) {
  return (
    <aside
      className="section-review"
      aria-label={`Review of ${review.heading}`}
      data-testid="section-review"
      data-tone={scoreTone(review.score)}
    >
      <div className="section-review__head">
        <span className="section-review__score" data-tone={scoreTone(review.score)}>
          {review.score}
          <span className="visually-hidden"> out of 100</span>
        </span>
        <span className="section-review__meta">
          {review.words} words · {review.sentences} sentences · reading ease {review.readingEase}
        </span>
      </div>
      <ul className="section-review__notes">
        {review.notes.map((note, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: notes are rebuilt per review.
          <li key={i} data-severity={note.severity}>
            <span className="visually-hidden">{note.severity}: </span>
            {note.message}
          </li>
        ))}
      </ul>
    </aside>
  );
}

function SectionEditor({ section, index }: { section: Section; index: number }) {
  const { doc, dispatch } = useDocument();
  const headingId = useId();
  const ref = useRef<HTMLElement>(null);
  const review = doc.reviews[section.id];
  const active = doc.activeSectionId === section.id;
  // Follow the copilot through the document, unless the user is typing in it or looking elsewhere
  // (on a phone the chat is below the document: following would pull the page away from it).
  useEffect(() => {
    const el = ref.current;
    const doc = el?.closest(".document");
    if (!active || !el || !doc || doc.contains(document.activeElement)) return;
    const shown = doc.getBoundingClientRect();
    if (shown.bottom <= 0 || shown.top >= window.innerHeight) return;
    const reduce = matchMedia("(prefers-reduced-motion: reduce)").matches;
    el.scrollIntoView({ block: "nearest", behavior: reduce ? "auto" : "smooth" });
  }, [active]);
  return (
    <section
      ref={ref}
      className="doc-section"
      aria-labelledby={headingId}
      data-active={active ? "" : undefined}
      data-section-id={section.id}
      data-testid="doc-section"
    >
      <h2 id={headingId} className="doc-section__heading">
        <span className="visually-hidden">Section {index + 1}: </span>
        <input
          className="doc-section__heading-input"
          value={section.heading}
          placeholder="Section heading"
          aria-label={`Heading of section ${index + 1}`}
          onChange={(e) => dispatch({ type: "editSection", id: section.id, heading: e.target.value })}
        />
      </h2>
      {active ? (
        <span className="doc-section__working" role="status">
          The copilot is working on this section…
        </span>
      ) : null}
      <AutoTextarea
        className="doc-section__body"
        value={section.body}
        placeholder="Write here, or ask the copilot to draft this section."
        aria-label={`Text of section ${index + 1}${section.heading ? ` (${section.heading})` : ""}`}
        onChange={(e) => dispatch({ type: "editSection", id: section.id, body: e.target.value })}
        data-testid="section-body"
      />
      {review ? <ReviewNotes review={review} /> : null}
      <button
        type="button"
        className="ghost-button doc-section__remove"
        onClick={() => dispatch({ type: "removeSection", id: section.id })}
        aria-label={`Remove section ${index + 1}${section.heading ? ` (${section.heading})` : ""}`}
      >
        Remove
      </button>
    </section>
  );
}

function ReviewSummary() {
  const { doc } = useDocument();
  const reviews = doc.sections.map((s) => doc.reviews[s.id]).filter((r): r is SectionReview => Boolean(r));
  if (reviews.length === 0) {
    return (
      <p className="review-summary review-summary--empty" data-testid="review-summary" data-state="none">
        No review yet. Ask the copilot to <q>analyze the document</q>: notes appear under each section as it
        reads.
      </p>
    );
  }
  const s = summarize(reviews);
  const done = doc.reviewedAt !== null;
  return (
    <div className="review-summary" data-testid="review-summary" data-state={done ? "done" : "running"}>
      <span className="review-summary__score" data-tone={scoreTone(s.score)}>
        {s.score}
        <span className="visually-hidden"> out of 100</span>
      </span>
      <div>
        <strong>
          {done ? "Review complete" : `Reviewing… ${reviews.length} of ${doc.sections.length} sections`}
        </strong>
        <span className="review-summary__meta" data-testid="review-figures">
          {s.issues} issues · {s.words} words · {s.readingMinutes} min read · weakest: {s.weakest}
        </span>
      </div>
    </div>
  );
}

/** The document workspace: a title and sections (heading + text), with the copilot's review notes. */
export function DocumentEditor() {
  const { doc, dispatch } = useDocument();
  const total = doc.sections.reduce((n, s) => n + words(s.body).length, 0);
  return (
    <section className="panel document" aria-labelledby="document-label" data-testid="document">
      <header className="panel__header document__header">
        <div>
          <h1 id="document-label" className="panel__eyebrow">
            Document
          </h1>
          <p className="panel__subtitle">
            {doc.sections.length} sections · {total} words
          </p>
        </div>
        <div className="document__actions">
          <button
            type="button"
            className="secondary-button"
            onClick={() =>
              dispatch({
                type: "addSection",
                section: { id: newSectionId(), heading: "New section", body: "" },
              })
            }
          >
            Add section
          </button>
          <button type="button" className="ghost-button" onClick={() => dispatch({ type: "reset" })}>
            Reset
          </button>
        </div>
      </header>
      {/* A one-line field that wraps: a long title stays readable on a phone. */}
      <AutoTextarea
        className="document__title"
        rows={1}
        value={doc.title}
        aria-label="Document title"
        onKeyDown={(e) => {
          if (e.key === "Enter") e.preventDefault();
        }}
        onChange={(e) => dispatch({ type: "setTitle", title: e.target.value.replace(/\s*\n\s*/g, " ") })}
      />
      <ReviewSummary />
      <div className="document__sections">
        {doc.sections.map((section, index) => (
          <SectionEditor key={section.id} section={section} index={index} />
        ))}
      </div>
    </section>
  );
}
