/**
 * A small, deterministic writing review of one section: length, reading ease (Flesch), long
 * sentences, passive voice, filler words and open TODOs. Runs in the browser, no model needed.
 */
import type { Note, Section, SectionReview } from "./model.js";

const WORD = /[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*/g;
const FILLERS = ["basically", "very", "really", "just", "actually", "quite", "simply", "obviously"];
const PASSIVE = /\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?(\w+(?:ed|en|wn|ght))\b/gi;
const LONG_SENTENCE = 28;

export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => words(s).length > 0);
}

/** Syllables of an English word, estimated from vowel groups. */
export function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, "");
  if (w.length <= 3) return 1;
  const trimmed = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, "").replace(/^y/, "");
  return Math.max(1, trimmed.match(/[aeiouy]{1,2}/g)?.length ?? 1);
}

/** Flesch reading ease, clamped to 0–100. */
export function readingEase(text: string): number {
  const ws = words(text);
  const ss = Math.max(1, sentences(text).length);
  if (ws.length === 0) return 0;
  const syl = ws.reduce((n, w) => n + syllables(w), 0);
  const score = 206.835 - 1.015 * (ws.length / ss) - 84.6 * (syl / ws.length);
  return Math.round(Math.min(100, Math.max(0, score)));
}

function quote(text: string, max = 48): string {
  const t = text.trim();
  return `“${t.length > max ? `${t.slice(0, max - 1)}…` : t}”`;
}

/** Reviews one section. */
export function reviewSection(section: Section): SectionReview {
  const body = section.body;
  const ws = words(body);
  const ss = sentences(body);
  const ease = readingEase(body);
  const notes: Note[] = [];

  if (ws.length === 0) notes.push({ severity: "warning", message: "The section is empty." });
  else if (ws.length < 20)
    notes.push({ severity: "suggestion", message: `Only ${ws.length} words: say a little more.` });

  for (const s of ss) {
    const n = words(s).length;
    if (n > LONG_SENTENCE)
      notes.push({ severity: "warning", message: `Long sentence (${n} words): ${quote(s)}` });
  }
  const passives = [...body.matchAll(PASSIVE)].map((m) => m[0]);
  if (passives.length > 0) {
    notes.push({
      severity: "suggestion",
      message: `Passive voice (${passives.length}): ${passives
        .slice(0, 3)
        .map((p) => quote(p, 30))
        .join(", ")}`,
    });
  }
  const fillers = ws.filter((w) => FILLERS.includes(w.toLowerCase()));
  if (fillers.length > 0) {
    notes.push({
      severity: "suggestion",
      message: `Filler words: ${[...new Set(fillers.map((f) => f.toLowerCase()))].join(", ")}`,
    });
  }
  const todos = body.match(/\bTODO\b[^.]*\.?/g) ?? [];
  for (const t of todos) notes.push({ severity: "warning", message: `Open item: ${quote(t)}` });
  if (ws.length > 0 && ease < 30)
    notes.push({ severity: "warning", message: `Hard to read (reading ease ${ease}/100).` });
  if (notes.length === 0) notes.push({ severity: "info", message: "Clear and concise. Nothing to fix." });

  const penalty = notes.reduce(
    (p, n) => p + (n.severity === "warning" ? 18 : n.severity === "suggestion" ? 8 : 0),
    0,
  );
  return {
    sectionId: section.id,
    heading: section.heading || "Untitled section",
    words: ws.length,
    sentences: ss.length,
    readingEase: ease,
    score: Math.max(0, 100 - penalty),
    notes,
  };
}

/** The summary of a whole review: what the action returns to the agent. */
export function summarize(reviews: readonly SectionReview[]): {
  sections: number;
  words: number;
  readingMinutes: number;
  issues: number;
  weakest: string;
  score: number;
} {
  const total = reviews.reduce((n, r) => n + r.words, 0);
  const issues = reviews.reduce((n, r) => n + r.notes.filter((x) => x.severity !== "info").length, 0);
  const weakest = [...reviews].sort((a, b) => a.score - b.score)[0];
  const score = reviews.length ? Math.round(reviews.reduce((n, r) => n + r.score, 0) / reviews.length) : 0;
  return {
    sections: reviews.length,
    words: total,
    readingMinutes: Math.max(1, Math.round(total / 230)),
    issues,
    weakest: weakest ? `${weakest.heading} (${weakest.score}/100)` : "none",
    score,
  };
}
