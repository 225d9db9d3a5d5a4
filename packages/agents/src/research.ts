/**
 * `research`: answers questions over a knowledge base shipped in the repository (the project's
 * docs plus a bundled corpus), with BM25 search (MiniSearch). It thinks, calls its `search`
 * tool, shows the passages it found, then streams an extractive answer with citations.
 *
 * @packageDocumentation
 */
import { randomUUID } from "node:crypto";
import { type AgentDefinition, defineAgent } from "@agentstream/runtime";
import { defaultKnowledgeBase, type KnowledgeBase, type SearchHit } from "./knowledge.js";
import { isProse } from "./prose.js";
import {
  buildLexicon,
  contentKeys,
  findSubject,
  isDefinition,
  isGeneric,
  keyOf,
  type Lexicon,
  mentions,
  type Subject,
  tokenize,
  tooCommon,
} from "./subject.js";
import { sentences, streamText, streamThinking, terms, truncate } from "./text.js";

/** One sentence of an extractive answer, with the number of the passage it comes from. */
export interface AnswerSentence {
  text: string;
  cite: number;
}

/** The research agent's result. */
export interface ResearchResult {
  question: string;
  answer: string;
  citations: { n: number; title: string; source: string }[];
}

/** Options of {@link extractAnswer}. */
export interface ExtractOptions {
  /** Sentences to quote at most. Default 3. */
  max?: number;
  /** The knowledge base's phrases (default: built from the hits alone). */
  lexicon?: Lexicon;
  /** What the question is about (default: {@link findSubject} on the question). */
  subject?: Subject;
}

/** The keys of a text, as a set. */
function keySet(text: string): Set<string> {
  return new Set(tokenize(text).map((t) => t.key));
}

/** True when a hit is about the subject: its title or one of its quotable sentences names it. */
function namesSubject(hit: SearchHit, subject: Subject): boolean {
  return (
    mentions(keySet(hit.title), subject) ||
    sentences(hit.text).some((s) => isProse(s) && mentions(keySet(s), subject))
  );
}

interface Candidate {
  text: string;
  cite: number;
  pos: number;
  keys: Set<string>;
}

/**
 * Picks the sentences of the hits that answer the question. Only sentences that read as prose
 * ({@link isProse}) are candidates. The first sentence addresses the question's subject
 * ({@link findSubject}; see {@link leadSentence}): for "what is X" and bare topics a definition of
 * X ({@link isDefinition}) wins, for how and why questions the sentence about X that also has the
 * question's other specific words ("reconnect" in "how do server-sent events reconnect?"). The
 * support follows (the lead's passage first, then passage order), at most two sentences per
 * passage and `max` in all: the sentence after a definition; for each word of the question that
 * titles a passage found and that nothing quoted has yet, the best sentence with it; the opening
 * of a passage titled after the subject; then the sentences scoring at least half the top score on
 * the question's words (weighted by rarity, normalised by length, favouring better-ranked
 * passages). Returns nothing when the knowledge base does not know the subject at all, or when no
 * quotable sentence or passage title of the hits names it (other sentences would not answer).
 */
export function extractAnswer(
  question: string,
  hits: readonly SearchHit[],
  options: ExtractOptions = {},
): AnswerSentence[] {
  const max = options.max ?? 3;
  const lexicon = options.lexicon ?? buildLexicon(hits);
  const subject =
    options.subject ??
    findSubject(
      question,
      lexicon,
      hits.flatMap((h) => h.terms),
    );
  if (subject && !subject.known) return [];
  const candidates: Candidate[] = [];
  hits.forEach((hit, i) => {
    sentences(hit.text).forEach((text, pos) => {
      // Only sentences that read as prose are ever quoted (no code, tables, paths or fragments).
      if (isProse(text)) candidates.push({ text, cite: i + 1, pos, keys: keySet(text) });
    });
  });
  if (candidates.length === 0) return [];
  const query = contentKeys(question);
  for (const fix of subject?.corrected ?? []) query.push(keyOf(fix.to));
  const weight = (q: string) =>
    Math.log(1 + candidates.length / Math.max(1, candidates.filter((c) => c.keys.has(q)).length));
  const rank = (c: Candidate) => 1 + (hits.length - c.cite + 1) * 0.15;
  const relevance = (c: Candidate) => {
    let w = 0;
    for (const q of query) if (c.keys.has(q)) w += weight(q);
    return (w / Math.sqrt(Math.max(c.keys.size, 4))) * rank(c);
  };

  const scored = candidates
    .map((c) => ({ c, s: relevance(c) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s);
  const chosen = subject && leadSentence(subject, lexicon, candidates, hits, query, weight);
  // A subject no quotable sentence (nor passage title) names: quoting other sentences would not answer.
  if (subject && !chosen && !isGeneric(subject, lexicon)) return [];
  const lead = chosen?.lead ?? scored[0]?.c ?? candidates[0];
  if (!lead) return [];
  const picked: Candidate[] = [lead];
  const perPassage = new Map<number, number>([[lead.cite, 1]]);
  const take = (c: Candidate | undefined) => {
    if (!c || picked.length >= max || picked.includes(c) || (perPassage.get(c.cite) ?? 0) >= 2) return;
    picked.push(c);
    perPassage.set(c.cite, (perPassage.get(c.cite) ?? 0) + 1);
  };
  // Support: a definition goes on with the next sentence of its passage…
  if (subject && isDefinition(lead.text, subject))
    take(candidates.find((c) => c.cite === lead.cite && c.pos > lead.pos));
  // …for each word of the question that titles a passage found ("backpressure") and that nothing
  // quoted has yet, rarest first, the best sentence that has it…
  const titleWords = new Set(hits.flatMap((h) => [...keySet(h.title)]));
  for (const q of [...query].sort((a, b) => weight(b) - weight(a))) {
    if (!titleWords.has(q) || picked.some((c) => c.keys.has(q))) continue;
    take(
      scored.find((x) => x.c.keys.has(q) && !picked.includes(x.c) && (perPassage.get(x.c.cite) ?? 0) < 2)?.c,
    );
  }
  // …the opening of a passage titled after the subject, when none is quoted yet…
  if (subject && !isGeneric(subject, lexicon)) {
    const titled = hits.findIndex(
      (h, i) => !picked.some((c) => c.cite === i + 1) && mentions(keySet(h.title), subject),
    );
    if (titled >= 0) take(candidates.find((c) => c.cite === titled + 1));
  }
  // …then the sentences scoring at least half the top score…
  const threshold = (scored[0]?.s ?? 0) * 0.5;
  for (const { c, s } of scored) if (s >= threshold) take(c);
  // …and when a sentence of a passage titled after the subject stands alone, the next one.
  if (picked.length === 1 && chosen?.titled)
    take(candidates.find((c) => c.cite === lead.cite && c.pos > lead.pos));
  // The lead's own passage goes on first, then the others in passage order.
  const order = (c: Candidate) => (c.cite === lead.cite ? 0 : c.cite);
  const rest = picked.slice(1).sort((a, b) => order(a) - order(b) || a.pos - b.pos);
  return [lead, ...rest].map(({ text, cite }) => ({ text, cite }));
}

/**
 * The sentence that opens the answer: among those that name the subject (or, when none does, those
 * of a passage titled after it; any sentence when the subject is too common to tell passages
 * apart), the best by: being a definition of it, having the question's other words (relative to
 * the best sentence at that), naming it, its passage being titled after it, opening its passage,
 * and the passage's rank. A definition weighs most for "what is" questions, the other words for
 * "how" and "why" questions. `titled` tells whether its passage is titled after the subject.
 */
function leadSentence(
  subject: Subject,
  lexicon: Lexicon,
  candidates: readonly Candidate[],
  hits: readonly SearchHit[],
  query: readonly string[],
  weight: (key: string) => number,
): { lead: Candidate; titled: boolean } | undefined {
  const generic = isGeneric(subject, lexicon);
  const named = new Set(generic ? [] : [...subject.keys, ...subject.aliases.flat()]);
  // The question's other words, those specific enough to tell sentences apart ("reconnect", not "stream").
  const focus = query.filter((q) => !named.has(q) && !tooCommon([q], lexicon));
  const titled = new Set(hits.flatMap((h, i) => (mentions(keySet(h.title), subject) ? [i + 1] : [])));
  const naming = candidates.filter((c) => mentions(c.keys, subject));
  const fromTitle = naming.length === 0 && !generic;
  const pool = generic ? candidates : fromTitle ? candidates.filter((c) => titled.has(c.cite)) : naming;
  const cover = (c: Candidate) => focus.reduce((n, q) => n + (c.keys.has(q) ? weight(q) : 0), 0);
  const best = Math.max(0, ...pool.map(cover));
  const [d, f] = subject.asks === "definition" ? [4, 2] : [1, 4];
  const score = (c: Candidate) =>
    d * (isDefinition(c.text, subject) ? 1 : 0) +
    f * (best > 0 ? cover(c) / best : 0) +
    (mentions(c.keys, subject) ? 1 : 0) +
    (titled.has(c.cite) ? 1 : 0) +
    (c.pos === 0 ? 0.4 : 0) +
    0.5 * (1 - (c.cite - 1) / Math.max(1, hits.length));
  const lead = pool.map((c) => ({ c, s: score(c) })).sort((a, b) => b.s - a.s)[0]?.c;
  return lead && { lead, titled: titled.has(lead.cite) };
}

/** Renders answer sentences with citation marks before the final punctuation: "… stream [1]." */
export function renderAnswer(parts: readonly AnswerSentence[]): string {
  return parts
    .map(({ text, cite }) => {
      const m = /^(.*?)([.!?]+)$/.exec(text);
      return m ? `${m[1]} [${cite}]${m[2]}` : `${text} [${cite}]`;
    })
    .join(" ");
}

/** Options of {@link createResearchAgent}. */
export interface ResearchAgentOptions {
  /** The knowledge base (default: docs + bundled corpus, loaded on first use). */
  knowledge?: () => KnowledgeBase;
  /** Passages to retrieve. Default 4. */
  limit?: number;
  /** Agent name. Default "research". */
  name?: string;
}

/** Creates a research agent. */
export function createResearchAgent(options: ResearchAgentOptions = {}): AgentDefinition<ResearchResult> {
  const getKnowledge = options.knowledge ?? defaultKnowledgeBase;
  const limit = options.limit ?? 4;
  return defineAgent<ResearchResult>({
    name: options.name ?? "research",
    description:
      "Answers questions about streaming, SSE, AG-UI, CopilotKit and this project from a bundled knowledge base, with cited passages.",
    async *run(input, ctx) {
      const question = input.prompt.trim();
      yield { type: "status", status: "started" };
      if (!question) {
        const answer = "Ask me a question about agent streaming, SSE, AG-UI, CopilotKit or this project.";
        yield* streamText(ctx, answer);
        return { question, answer, citations: [] };
      }
      const kb = getKnowledge();
      yield { type: "status", status: "thinking", iteration: 1 };
      const guess = kb.lexicon ? findSubject(question, kb.lexicon) : undefined;
      const keyTerms = [...new Set(terms(question))]
        .filter((t) => !guess?.keys.includes(keyOf(t)))
        .slice(0, 5);
      const about = guess?.known ? [`"${guess.text}"`, ...keyTerms] : keyTerms;
      yield* streamThinking(
        ctx,
        `The question is about ${about.length ? about.join(", ") : "something general"}. ` +
          `I will search the knowledge base (${kb.size} passages from ${kb.sources.length} sources) and answer from the best passages.`,
      );

      yield { type: "status", status: "acting", iteration: 1 };
      const hits: SearchHit[] = [];
      const search = async function* (query: string, only?: (hit: SearchHit) => boolean) {
        const callId = `search_${randomUUID()}`;
        yield { type: "tool_call", id: callId, name: "search", args: { query, limit } } as const;
        await ctx.pace();
        const found = kb
          .search(query, limit)
          .filter((h) => !hits.some((x) => x.id === h.id) && (only?.(h) ?? true))
          .slice(0, only ? 2 : limit);
        hits.push(...found);
        yield {
          type: "tool_result",
          id: callId,
          name: "search",
          success: true,
          result: {
            query,
            passages: found.map((h) => ({
              n: hits.indexOf(h) + 1,
              title: h.title,
              source: h.source,
              score: h.score,
              text: truncate(h.text, 400),
            })),
          },
        } as const;
      };
      yield* search(question);
      let lexicon = kb.lexicon ?? buildLexicon(hits);
      let subject = findSubject(
        question,
        lexicon,
        hits.flatMap((h) => h.terms),
      );
      const names = (h: SearchHit) => subject !== undefined && namesSubject(h, subject);
      if (subject?.known && hits.length > 0 && !isGeneric(subject, lexicon) && !hits.some(names)) {
        // The passages found do not name what the question is about: look for it by name.
        yield* streamThinking(
          ctx,
          `None of these passages names "${subject.text}". I will search for it by name.`,
        );
        yield* search(subject.text, names);
        if (!kb.lexicon) {
          lexicon = buildLexicon(hits);
          subject = findSubject(
            question,
            lexicon,
            hits.flatMap((h) => h.terms),
          );
        }
      }

      yield { type: "status", status: "observing", iteration: 1 };
      if (hits.length === 0 || subject?.known === false) {
        yield* streamThinking(
          ctx,
          hits.length === 0
            ? "Nothing in the knowledge base matches these terms."
            : `The knowledge base never mentions "${subject?.text}"; the passages found only share other words with the question.`,
        );
        const answer = nothingFound(subject?.asked ?? truncate(question, 80), hits.length > 0);
        yield* streamText(ctx, answer);
        yield { type: "status", status: "completed" };
        return { question, answer, citations: [] };
      }
      const top = hits[0] as SearchHit;
      yield* streamThinking(
        ctx,
        `Passage [1] "${top.title}" matches best (${top.terms.slice(0, 4).join(", ")}). ` +
          (subject
            ? `I will open with the sentence that best ${subject.asks === "definition" ? "defines" : "explains"} "${subject.text}", then quote the others that support it.`
            : "I will quote the sentences that answer the question."),
      );
      const parts = extractAnswer(question, hits, { lexicon, ...(subject ? { subject } : {}) });
      const cited = [...new Set(parts.map((p) => p.cite))].sort((a, b) => a - b);
      const citations = cited.map((n) => {
        const hit = hits[n - 1] as SearchHit;
        return { n, title: hit.title, source: hit.source };
      });
      // Nothing quoted: list the passages that name the subject somewhere (in code or a list), else all.
      const all = hits.map((h, i) => ({ n: i + 1, title: h.title, source: h.source }));
      const naming = all.filter(
        (_c, i) => subject && mentions(keySet(`${hits[i]?.title} ${hits[i]?.text}`), subject),
      );
      const listed = parts.length > 0 ? citations : naming.length > 0 ? naming : all;
      const reading = subject?.corrected.length
        ? ` (I read ${subject.corrected.map((c) => `"${c.from}" as "${c.to}"`).join(", ")}.)`
        : "";
      const body =
        parts.length > 0
          ? `${renderAnswer(parts)}${reading}`
          : `I found ${listed.length} passage${listed.length === 1 ? "" : "s"} ${naming.length > 0 && subject ? `that mention${listed.length === 1 ? "s" : ""} "${subject.text}"` : "on this"}, but no sentence in ${listed.length === 1 ? "it" : "them"} answers it in plain words. The sources are listed below.`;
      const answer = `${body}\n\n${renderSources(listed)}`;
      yield* streamText(ctx, answer);
      yield { type: "status", status: "completed" };
      return { question, answer, citations };
    },
  });
}

/** The answer when the knowledge base has nothing on the question's subject. */
function nothingFound(what: string, someHits: boolean): string {
  return (
    `I found nothing about "${truncate(what, 80)}" in the knowledge base` +
    (someHits ? ", so I will not quote passages that only share other words with the question" : "") +
    ". Try other words, e.g. SSE, backpressure, AG-UI or CopilotKit."
  );
}

/**
 * The "Sources:" block as a markdown list (a blank line, then one item per source), so that a
 * markdown renderer does not join the sources into one line: "- [1] Backpressure — knowledge/corpus.json".
 */
export function renderSources(sources: readonly { n: number; title: string; source: string }[]): string {
  const items = sources.map(({ n, title, source }) => {
    const [file, ...heading] = source.split(" — ");
    const name = heading.length > 0 ? heading.join(" — ") : title;
    return `- [${n}] ${name}${file && file !== name ? ` — ${file}` : ""}`;
  });
  return `Sources:\n\n${items.join("\n")}`;
}

/** The research agent with the default knowledge base. */
export const researchAgent: AgentDefinition<ResearchResult> = createResearchAgent();
