/**
 * What a question is about, for the research agent: its subject ("backpressure" in "What is
 * backpressure in streaming?", "server-sent events" in "How do server-sent events reconnect?"),
 * found with a few question patterns and checked against the knowledge base's own phrases
 * (a {@link Lexicon}), and the tests a sentence passes to be about it ({@link mentions},
 * {@link isDefinition}).
 *
 * @packageDocumentation
 */
import { STOP_WORDS, stem } from "./text.js";

/** One word as the matcher sees it: a hyphenated word gives one token per part. */
export interface Token {
  /** The part, lower case ("server", "sent"). */
  word: string;
  /** What it is matched on ({@link keyOf}). */
  key: string;
  /** A stop word, a number or a single letter: never a subject on its own. */
  stop: boolean;
  /** Offset just after the part in the text, and whether the whole word ends there. */
  end: number;
  wordEnd: boolean;
}

/** The key a word is matched on: {@link stem}, then a final "e" dropped ("response"/"responses", "handle"/"handles"). */
export function keyOf(word: string): string {
  const k = stem(word.replace(/'s$|'$/u, ""));
  return k.length > 3 ? k.replace(/e$/u, "") : k;
}

/** Words that frame a question without naming what it is about ("how does X work", "the difference between"). */
const FRAME_WORDS = new Set(
  `work works working happen happens difference differences mean means meaning define definition describe
  summarize summarise research analyze analyse draft section purpose role main key basic example examples overview
  briefly short simple simply exactly actually really instead rather`.split(/\s+/),
);

/** Lower-case tokens of `text` with their keys and offsets (see {@link Token}). */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu)) {
    const parts = m[0].toLowerCase().split("-").filter(Boolean);
    let at = m.index;
    parts.forEach((word, i) => {
      at += word.length + (i > 0 ? 1 : 0);
      const stop = STOP_WORDS.has(word) || /^\d+$/u.test(word) || word.length < 2 || word.endsWith("'");
      out.push({ word, key: keyOf(word), stop, end: at, wordEnd: i === parts.length - 1 });
    });
  }
  return out;
}

/** The content keys of a text (no stop words, no framing words), each once. */
export function contentKeys(text: string): string[] {
  return [
    ...new Set(
      tokenize(text)
        .filter((t) => !t.stop && !FRAME_WORDS.has(t.word))
        .map((t) => t.key),
    ),
  ];
}

/** Phrase statistics of a knowledge base. */
export interface Lexicon {
  /** How many passages there are. */
  readonly size: number;
  /** How many passages (title or text) contain the phrase: keys in this order, adjacent. */
  count(keys: readonly string[]): number;
  /** Whether a passage title contains the phrase. */
  titled(keys: readonly string[]): boolean;
  /** Other names of a phrase learnt from "Long Name (LN)" and "LN (Long Name)" in the texts, as keys. */
  aliases(keys: readonly string[]): string[][];
}

function keyLine(text: string): string {
  return ` ${tokenize(text)
    .map((t) => t.key)
    .join(" ")} `;
}

/** Builds a {@link Lexicon} over passages. */
export function buildLexicon(passages: Iterable<{ title: string; text: string }>): Lexicon {
  const docs: string[] = [];
  const titles: string[] = [];
  const alias = new Map<string, string[][]>();
  const link = (a: string[], b: string[]) => {
    const list = alias.get(a.join(" ")) ?? [];
    if (!list.some((x) => x.join(" ") === b.join(" "))) list.push(b);
    alias.set(a.join(" "), list);
  };
  const learn = (acronym: string, long: Token[]) => {
    const parts = long.slice(-acronym.length);
    if (parts.length === acronym.length && parts.map((t) => t.word[0]).join("") === acronym.toLowerCase()) {
      const short = [keyOf(acronym)];
      const full = parts.map((t) => t.key);
      link(short, full);
      link(full, short);
    }
  };
  for (const { title, text } of passages) {
    docs.push(`${keyLine(title)}\n${keyLine(text)}`);
    titles.push(keyLine(title));
    for (const m of text.matchAll(/\(([A-Z]{2,8})\)/g))
      learn(m[1] as string, tokenize(text.slice(0, m.index)));
    for (const m of text.matchAll(/\b([A-Z]{2,8})\s*\(([^()]{3,80})\)/g))
      learn(m[1] as string, tokenize(m[2] as string));
  }
  const counts = new Map<string, number>();
  return {
    size: docs.length,
    count(keys) {
      const phrase = ` ${keys.join(" ")} `;
      let n = counts.get(phrase);
      if (n === undefined) {
        n = keys.length === 0 ? 0 : docs.filter((d) => d.includes(phrase)).length;
        counts.set(phrase, n);
      }
      return n;
    },
    titled: (keys) => keys.length > 0 && titles.some((t) => t.includes(` ${keys.join(" ")} `)),
    aliases: (keys) => alias.get(keys.join(" ")) ?? [],
  };
}

/** What a question is about. */
export interface Subject {
  /** The subject as the question words it ("server-sent events"). */
  text: string;
  /** Its content keys. */
  keys: string[];
  /** Other names of it in the knowledge base (keys), e.g. `[["sse"]]` for server-sent events. */
  aliases: string[][];
  /** "definition": what is X, explain X, a bare topic; "explanation": how, why, when something about X. */
  asks: "definition" | "explanation";
  /** Whether the knowledge base names the subject at all. */
  known: boolean;
  /** Words of the question read as a word of the knowledge base ("backpresure" as "backpressure"). */
  corrected: { from: string; to: string }[];
  /** The question's own words from the subject to the end of its clause ("capital of france"), to name it when unknown. */
  asked: string;
}

type Asks = Subject["asks"];

/** Question shapes, tried in order; `rest` is where the subject starts. */
const PATTERNS: [RegExp, Asks][] = [
  [/\bwhat (?:is|are|was|were) meant by (?<rest>.+)/, "definition"],
  [/\bwhat (?:does|do|did) (?<rest>.+?) (?:mean|stand for)\b/, "definition"],
  [/\b(?:what|who) (?:is|are|was|were) (?<rest>.+)/, "definition"],
  [
    /\b(?:explain|describe|define|definition of|meaning of|tell me about|talk about|about|overview of|introduction to) (?<rest>.+)/,
    "definition",
  ],
  [
    /\bhow (?:many|much|long|often|fast|soon|far|big|large|small) (?:\S+ ){0,3}?(?:do|does|did|is|are|can|could|should|will|would) (?<rest>.+)/,
    "explanation",
  ],
  [
    /\b(?:how|why|when|where) (?:do|does|did|can|could|should|would|will|is|are|was|were|must|might|may) (?<rest>.+)/,
    "explanation",
  ],
  [/\bwhat happens (?:when|if|after|before|to) (?<rest>.+)/, "explanation"],
  [
    /\b(?:what|which) (?:\S+ ){1,3}?(?:do|does|did|can|could|should|will|would|is|are) (?<rest>.+)/,
    "explanation",
  ],
  [/\b(?:how|why) (?<rest>.+)/, "explanation"],
  [
    /^(?:please )?(?:summari[sz]e|research|analy[sz]e|draft|write|compare|list|show me|give me|find|search for)(?: and \w+)? (?<rest>.+)/,
    "definition",
  ],
];

const PRONOUNS = new Set(["i", "we", "you", "one", "they", "my", "our"]);
const WH = /^(?:what|how|why|when|where|which|who)\b/;

/** The part of a clause the subject starts in, and what the question asks about it. */
function locate(clause: string, depth = 0): { rest: string; asks: Asks } | undefined {
  for (const [re, asks] of PATTERNS) {
    const rest = re.exec(clause)?.groups?.rest?.trim();
    if (!rest) continue;
    if (WH.test(rest) && depth < 2) return locate(rest, depth + 1) ?? { rest, asks };
    return { rest, asks };
  }
  return undefined;
}

/** The words the subject is taken from: "the difference between" and "I write" (pronoun and verb) dropped. */
function subjectTokens(rest: string): Token[] {
  let tokens = tokenize(rest);
  const skipStops = () => {
    while (tokens[0] && (tokens[0].stop || FRAME_WORDS.has(tokens[0].word))) tokens = tokens.slice(1);
  };
  if (tokens[0] && PRONOUNS.has(tokens[0].word)) {
    // "how do I write a generator action": the subject is the object of the verb.
    tokens = tokens.slice(2);
    while (tokens[0] && (tokens[0].word === "and" || tokens[0].word === "or")) tokens = tokens.slice(2);
  }
  skipStops();
  return tokens;
}

/** The leading run of content words. */
function segmentOf(tokens: Token[]): Token[] {
  const end = tokens.findIndex((t) => t.stop || FRAME_WORDS.has(t.word));
  return end < 0 ? tokens : tokens.slice(0, end);
}

/** Every contiguous run of whole words of `tokens` (start, end), longest first. */
function spans(tokens: Token[]): [number, number][] {
  const out: [number, number][] = [];
  for (let len = tokens.length; len >= 1; len--)
    for (let i = 0; i + len <= tokens.length; i++)
      if ((i === 0 || tokens[i - 1]?.wordEnd) && tokens[i + len - 1]?.wordEnd) out.push([i, i + len]);
  return out;
}

function phraseKnown(keys: string[], lexicon: Lexicon): boolean {
  return lexicon.count(keys) > 0 || lexicon.aliases(keys).some((a) => lexicon.count(a) > 0);
}

/**
 * A phrase the knowledge base uses as a term: one word it has, or several words it has more than
 * once or in a title ("bounded queues", "time to first token"; not "backpressure in streaming").
 */
function isTerm(tokens: Token[], lexicon: Lexicon): boolean {
  const keys = tokens.map((t) => t.key);
  if (!phraseKnown(keys, lexicon)) return false;
  return wordCount(tokens) === 1 || lexicon.count(keys) >= 2 || lexicon.titled(keys);
}

/** How many words (not parts of hyphenated words) tokens make. */
function wordCount(tokens: Token[]): number {
  return tokens.filter((t) => t.wordEnd).length;
}

/** The best known phrase of a run: longest first, then (with `prefer`) one containing a given token, then the rarest. */
function bestPhrase(
  seg: Token[],
  lexicon: Lexicon,
  prefer?: (i: number, j: number) => boolean,
): Token[] | undefined {
  let best: { i: number; j: number; len: number; count: number; preferred: boolean } | undefined;
  for (const [i, j] of spans(seg)) {
    const keys = seg.slice(i, j).map((t) => t.key);
    if (!isTerm(seg.slice(i, j), lexicon)) continue;
    const len = wordCount(seg.slice(i, j));
    const count = lexicon.count(keys) || 1;
    const preferred = prefer ? prefer(i, j) : true;
    const better =
      !best ||
      len > best.len ||
      (len === best.len &&
        (preferred > best.preferred || (preferred === best.preferred && count < best.count)));
    if (better) best = { i, j, len, count, preferred };
  }
  return best ? seg.slice(best.i, best.j) : undefined;
}

/** "time to first token": the phrase continued through stop words, when the knowledge base has it. */
function extended(tokens: Token[], seg: Token[], lexicon: Lexicon): Token[] | undefined {
  for (let j = Math.min(tokens.length, seg.length + 5); j > seg.length + 1; j--) {
    const run = tokens.slice(0, j);
    if (run[j - 1]?.stop || !run[j - 1]?.wordEnd) continue;
    if (isTerm(run, lexicon)) return run;
  }
  return undefined;
}

/** The runs of content words of a text. */
function runsOf(tokens: Token[]): Token[][] {
  const runs: Token[][] = [];
  let run: Token[] = [];
  for (const t of tokens) {
    if (t.stop || FRAME_WORDS.has(t.word)) {
      if (run.length) runs.push(run);
      run = [];
    } else run.push(t);
  }
  if (run.length) runs.push(run);
  return runs;
}

/** The most specific term of some runs: the longest, then the rarest, preferring terms not too common. */
function mostSpecific(runs: Token[][], lexicon: Lexicon): Token[] | undefined {
  const common = (p: Token[]) =>
    tooCommon(
      p.map((t) => t.key),
      lexicon,
    )
      ? 1
      : 0;
  return runs
    .map((r) => bestPhrase(r, lexicon))
    .filter((p): p is Token[] => p !== undefined)
    .sort(
      (a, b) =>
        common(a) - common(b) ||
        wordCount(b) - wordCount(a) ||
        lexicon.count(a.map((t) => t.key)) - lexicon.count(b.map((t) => t.key)),
    )[0];
}

/** The edit distance between two words. */
function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    prev = row;
  }
  return prev[b.length] as number;
}

/** Unknown words replaced by a close word the search matched ("backpresure" → "backpressure"); undefined if one has none. */
function correct(seg: Token[], lexicon: Lexicon, vocabulary: readonly string[]) {
  const fixes: { from: string; to: string }[] = [];
  const fixed = seg.map((t) => {
    if (lexicon.count([t.key]) > 0 || t.word.length < 5) return t;
    const limit = Math.max(1, Math.floor(t.word.length * 0.2));
    const to = vocabulary
      .map((v) => v.toLowerCase())
      .filter((v) => !v.includes("-") && lexicon.count([keyOf(v)]) > 0)
      .map((v) => ({ v, d: levenshtein(t.word, v) }))
      .filter((x) => x.d <= limit)
      .sort((x, y) => x.d - y.d)[0]?.v;
    if (!to) return undefined;
    fixes.push({ from: t.word, to });
    return { ...t, word: to, key: keyOf(to) };
  });
  return fixed.every(Boolean) && fixes.length > 0 ? { tokens: fixed as Token[], fixes } : undefined;
}

/** Tokens back to words ("server-sent events"). */
function surface(tokens: Token[], source: string): string {
  return (
    tokens
      .map((t, i) => `${t.word}${i < tokens.length - 1 ? (t.wordEnd ? " " : "-") : ""}`)
      .join("")
      .trim() || source
  );
}

/** The subject made of `tokens`, taken from the question's words `context`. */
function make(
  tokens: Token[],
  asks: Asks,
  lexicon: Lexicon,
  context: Token[],
  corrected: Subject["corrected"] = [],
): Subject {
  let words = context.slice(0, 8);
  while (words.length > 1 && words.at(-1)?.stop) words = words.slice(0, -1);
  const all = tokens.map((t) => t.key);
  const keys = tokens.filter((t) => !t.stop).map((t) => t.key);
  return {
    text: surface(tokens, all.join(" ")),
    keys,
    aliases: lexicon.aliases(all),
    asks,
    known: phraseKnown(all, lexicon),
    corrected,
    asked: surface(words, all.join(" ")),
  };
}

/**
 * Finds what a question is about. "What is/are X", "explain X", "tell me about X" and a bare topic
 * ask for a definition of X; "how does X …", "why do X …", "what happens when X …" ask for an
 * explanation. X is the first run of content words after the question words (the object for
 * "how do I <verb> X"); the subject is the longest part of it the knowledge base has (containing
 * X's last word for a definition, its first for an explanation, whose verb may follow), or X
 * continued through small words when the knowledge base has that ("time to first token"). A
 * question with none of these shapes is about its most specific phrase: the longest, then rarest,
 * run of its words the knowledge base has. Unknown words are read as a close word of `vocabulary`
 * (the terms the search matched) when there is one. Undefined when the question has no content word.
 */
export function findSubject(
  question: string,
  lexicon: Lexicon,
  vocabulary: readonly string[] = [],
): Subject | undefined {
  const clauses = question
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\b(what|who|how|where|when|why|it|that|there)'s\b/g, "$1 is")
    .split(/[.,;:!?()\n]+/)
    .map((c) => c.replace(/\s+/g, " ").trim())
    .filter(Boolean);
  for (const clause of clauses) {
    const found = locate(clause);
    if (!found) continue;
    const tokens = subjectTokens(found.rest);
    const seg = segmentOf(tokens);
    if (seg.length === 0) continue;
    const last = seg.length;
    const pick = (s: Token[]) =>
      found.asks === "definition"
        ? bestPhrase(s, lexicon, (_i, j) => j === last)
        : bestPhrase(s, lexicon, (i) => i === 0);
    const direct = (found.asks === "definition" && extended(tokens, seg, lexicon)) || pick(seg);
    // A definition's subject must contain its head word (the last); otherwise "best pizza topping" is about "best".
    if (
      direct &&
      (found.asks === "explanation" || direct.at(-1) === seg.at(-1) || direct.length > seg.length)
    ) {
      // Too common a subject ("stream", "run") says little: the clause's most specific term says more.
      const common = tooCommon(
        direct.map((t) => t.key),
        lexicon,
      );
      const specific = common ? mostSpecific(runsOf(tokenize(found.rest)), lexicon) : undefined;
      return make(specific ?? direct, found.asks, lexicon, tokens);
    }
    const fix = correct(seg, lexicon, vocabulary);
    const fixed = fix && pick(fix.tokens);
    if (fix && fixed) return make(fixed, found.asks, lexicon, tokens, fix.fixes);
    return make(seg, found.asks, lexicon, tokens);
  }
  // No question shape: the most specific phrase of the whole question.
  const runs = runsOf(tokenize(question));
  if (runs.length === 0) return undefined;
  const best = mostSpecific(runs, lexicon);
  if (best) return make(best, "definition", lexicon, best);
  const fix = correct(runs[0] as Token[], lexicon, vocabulary);
  const fixed = fix && bestPhrase(fix.tokens, lexicon);
  if (fix && fixed) return make(fixed, "definition", lexicon, fixed, fix.fixes);
  return make(runs[0] as Token[], "definition", lexicon, runs[0] as Token[]);
}

/**
 * True when a phrase is too common to tell passages apart: more than a fifth of them have it
 * ("stream", "run"). Never in a lexicon of fewer than 10 passages (e.g. one built from the hits alone).
 */
export function tooCommon(keys: readonly string[], lexicon: Lexicon): boolean {
  return lexicon.size >= 10 && lexicon.count(keys) > lexicon.size / 5;
}

/** True when the subject is too common to tell passages apart ({@link tooCommon}). */
export function isGeneric(subject: Subject, lexicon: Lexicon): boolean {
  return tooCommon(subject.keys, lexicon);
}

/** True when a text's keys contain the subject (all its content keys) or one of its other names. */
export function mentions(keys: ReadonlySet<string>, subject: Subject): boolean {
  const names = [subject.keys, ...subject.aliases];
  return names.some((name) => name.length > 0 && name.every((k) => keys.has(k)));
}

const COPULA =
  /^\s*(?:\([^()]{1,80}\)\s*)?(?:,[^,]{1,80},\s*)?(?:is|are|means|mean|refers? to|describes?|denotes?|stands? for)\b/i;

/**
 * True when a sentence defines the subject: it opens with it (after an article, under any of its
 * names), optionally followed by a parenthesis or an apposition, then "is", "are", "means",
 * "refers to", "describes", "denotes" or "stands for" ("Server-Sent Events (SSE) is …",
 * "AG-UI, the Agent-User Interaction protocol, is …").
 */
export function isDefinition(sentence: string, subject: Subject): boolean {
  const tokens = tokenize(sentence);
  const start = tokens[0] && ["a", "an", "the"].includes(tokens[0].word) ? 1 : 0;
  const names = [tokenize(subject.text).map((t) => t.key), ...subject.aliases];
  return names.some((name) => {
    if (name.length === 0 || !name.every((k, i) => tokens[start + i]?.key === k)) return false;
    const last = tokens[start + name.length - 1] as Token;
    return last.wordEnd && COPULA.test(sentence.slice(last.end));
  });
}
