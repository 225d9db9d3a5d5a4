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
import { sentences, stem, streamText, streamThinking, terms, truncate } from "./text.js";

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

/**
 * Picks the sentences of the hits that best answer the question. Query terms are stemmed and
 * weighted by rarity among the retrieved sentences (a term every sentence has says little);
 * a sentence scores by the weight of the terms it shares with the question, normalised by its
 * length, favouring better-ranked passages. Only sentences that read as prose ({@link isProse})
 * are candidates. The opening sentence of the best passage is kept
 * when it mentions the question's terms (it usually defines the topic); then the best others
 * scoring at least half the top score, at most two per passage and `max` in all, in passage order.
 */
export function extractAnswer(question: string, hits: readonly SearchHit[], max = 3): AnswerSentence[] {
  const query = [...new Set(terms(question).map(stem))];
  const candidates: { text: string; cite: number; pos: number; words: Set<string> }[] = [];
  hits.forEach((hit, i) => {
    sentences(hit.text).forEach((text, pos) => {
      // Only sentences that read as prose are ever quoted (no code, tables, paths or fragments).
      if (isProse(text)) candidates.push({ text, cite: i + 1, pos, words: new Set(terms(text).map(stem)) });
    });
  });
  const df = new Map(query.map((q) => [q, candidates.filter((c) => c.words.has(q)).length]));
  const weight = (q: string) => Math.log(1 + candidates.length / Math.max(1, df.get(q) ?? 0));
  const scored = candidates
    .map((c) => {
      let w = 0;
      for (const q of query) if (c.words.has(q)) w += weight(q);
      const score = (w / Math.sqrt(Math.max(c.words.size, 4))) * (1 + (hits.length - c.cite + 1) * 0.15);
      return { ...c, score };
    })
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score);
  const picked: typeof scored = [];
  const perPassage = new Map<number, number>();
  const take = (c: (typeof scored)[number]) => {
    picked.push(c);
    perPassage.set(c.cite, (perPassage.get(c.cite) ?? 0) + 1);
  };
  const opening = scored.find((c) => c.cite === 1 && c.pos === 0);
  if (opening) take(opening);
  const threshold = (scored[0]?.score ?? 0) * 0.5;
  for (const c of scored) {
    if (picked.length >= max || c.score < threshold) break;
    if (picked.includes(c) || (perPassage.get(c.cite) ?? 0) >= 2) continue;
    take(c);
  }
  if (picked.length === 0) {
    const first = candidates.find((c) => c.cite === 1) ?? candidates[0];
    if (first) picked.push({ ...first, score: 0 });
  }
  picked.sort((a, b) => a.cite - b.cite || a.pos - b.pos);
  return picked.map(({ text, cite }) => ({ text, cite }));
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
      const keyTerms = [...new Set(terms(question))].slice(0, 6);
      yield* streamThinking(
        ctx,
        `The question is about ${keyTerms.length ? keyTerms.join(", ") : "something general"}. ` +
          `I will search the knowledge base (${kb.size} passages from ${kb.sources.length} sources) and answer from the best passages.`,
      );

      yield { type: "status", status: "acting", iteration: 1 };
      const callId = `search_${randomUUID()}`;
      yield { type: "tool_call", id: callId, name: "search", args: { query: question, limit } };
      await ctx.pace();
      const hits = kb.search(question, limit);
      yield {
        type: "tool_result",
        id: callId,
        name: "search",
        success: true,
        result: {
          query: question,
          passages: hits.map((h, i) => ({
            n: i + 1,
            title: h.title,
            source: h.source,
            score: h.score,
            text: truncate(h.text, 400),
          })),
        },
      };

      yield { type: "status", status: "observing", iteration: 1 };
      if (hits.length === 0) {
        yield* streamThinking(ctx, "Nothing in the knowledge base matches these terms.");
        const answer = `I found nothing about "${truncate(question, 80)}" in the knowledge base. Try other words, e.g. SSE, backpressure, AG-UI or CopilotKit.`;
        yield* streamText(ctx, answer);
        yield { type: "status", status: "completed" };
        return { question, answer, citations: [] };
      }
      const top = hits[0] as SearchHit;
      yield* streamThinking(
        ctx,
        `Passage [1] "${top.title}" matches best (${top.terms.slice(0, 4).join(", ")}). I will quote the sentences that answer the question.`,
      );
      const parts = extractAnswer(question, hits);
      const cited = [...new Set(parts.map((p) => p.cite))].sort((a, b) => a - b);
      const citations = cited.map((n) => {
        const hit = hits[n - 1] as SearchHit;
        return { n, title: hit.title, source: hit.source };
      });
      const listed =
        parts.length > 0 ? citations : hits.map((h, i) => ({ n: i + 1, title: h.title, source: h.source }));
      const body =
        parts.length > 0
          ? renderAnswer(parts)
          : `I found ${hits.length} passage${hits.length === 1 ? "" : "s"} on this, but no sentence in them answers it in plain words. The sources are listed below.`;
      const answer = `${body}\n\nSources:\n${listed.map((c) => `[${c.n}] ${c.source}`).join("\n")}`;
      yield* streamText(ctx, answer);
      yield { type: "status", status: "completed" };
      return { question, answer, citations };
    },
  });
}

/** The research agent with the default knowledge base. */
export const researchAgent: AgentDefinition<ResearchResult> = createResearchAgent();
