/**
 * The analyst's computations, free of streaming: parsing CSV or prose, statistics, top terms
 * and a plain-language summary.
 *
 * @packageDocumentation
 */
import { sentences, terms, words } from "./text.js";

/** A parsed table. */
export interface Table {
  delimiter: string;
  header: string[];
  rows: string[][];
}

/** Statistics of a numeric column. */
export interface NumericStats {
  column: string;
  kind: "numeric";
  count: number;
  missing: number;
  min: number;
  max: number;
  sum: number;
  mean: number;
  median: number;
  stdev: number;
}

/** Statistics of a text column. */
export interface CategoryStats {
  column: string;
  kind: "categorical";
  count: number;
  missing: number;
  distinct: number;
  top: { value: string; count: number }[];
}

/** Statistics of prose. */
export interface TextStats {
  words: number;
  sentences: number;
  characters: number;
  avgWordsPerSentence: number;
  /** Distinct words / words, in percent. */
  lexicalDiversity: number;
  readingMinutes: number;
  longestSentence: string;
}

/** A term and how often it occurs. */
export interface TermCount {
  term: string;
  count: number;
}

/** The complete analysis. */
export type Analysis =
  | {
      kind: "table";
      rows: number;
      columns: number;
      stats: (NumericStats | CategoryStats)[];
      topTerms: TermCount[];
      summary: string;
    }
  | { kind: "text"; stats: TextStats; topTerms: TermCount[]; keySentence: string; summary: string };

/** Splits one delimited line, honouring double quotes. */
export function splitLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === "") {
      quoted = true;
      cell = "";
    } else if (ch === delimiter) {
      cells.push(cell.trim());
      cell = "";
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

/**
 * Finds a table in the text: the longest run of at least 3 consecutive lines that split into the
 * same number (>= 2) of cells with one of `,` `;` tab `|`. Lines before it (an instruction such as
 * "analyze this:") are ignored.
 */
export function parseTable(text: string): Table | undefined {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  let best: { delimiter: string; start: number; end: number; cells: number } | undefined;
  for (const delimiter of [",", "\t", ";", "|"]) {
    let start = 0;
    let width = 0;
    for (let i = 0; i <= lines.length; i++) {
      const line = lines[i];
      const n = line?.includes(delimiter) ? splitLine(line.replace(/^\||\|$/g, ""), delimiter).length : 0;
      if (n >= 2 && n === width) continue;
      if (width >= 2 && i - start >= 3 && (!best || i - start > best.end - best.start)) {
        best = { delimiter, start, end: i, cells: width };
      }
      start = i;
      width = n;
    }
  }
  if (!best) return undefined;
  const rows = lines
    .slice(best.start, best.end)
    .filter((l) => !/^\|?\s*:?-{3,}/.test(l)) // markdown table separator
    .map((l) => splitLine(best.delimiter === "|" ? l.replace(/^\||\|$/g, "") : l, best.delimiter));
  const first = rows[0] as string[];
  const headerLooksLikeNames = first.every((c) => c !== "" && parseNumber(c) === undefined);
  const header = headerLooksLikeNames ? first : first.map((_, i) => `column ${i + 1}`);
  return { delimiter: best.delimiter, header, rows: headerLooksLikeNames ? rows.slice(1) : rows };
}

/** Parses "1,234.5", "$12", "45%", "-3e2"; `undefined` when not a number. */
export function parseNumber(cell: string): number | undefined {
  const cleaned = cell
    .replace(/^[$€£]/, "")
    .replace(/%$/, "")
    .replace(/(?<=\d),(?=\d{3}\b)/g, "")
    .trim();
  if (cleaned === "" || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return undefined;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : undefined;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Statistics of each column of a table. */
export function columnStats(table: Table): (NumericStats | CategoryStats)[] {
  return table.header.map((column, c) => {
    const cells = table.rows.map((r) => r[c] ?? "");
    const present = cells.filter((v) => v !== "");
    const numbers = present.map(parseNumber).filter((n): n is number => n !== undefined);
    if (present.length > 0 && numbers.length / present.length >= 0.8) {
      const sorted = [...numbers].sort((a, b) => a - b);
      const sum = numbers.reduce((a, b) => a + b, 0);
      const mean = sum / numbers.length;
      const mid = Math.floor(sorted.length / 2);
      const median =
        sorted.length % 2
          ? (sorted[mid] as number)
          : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
      const variance =
        numbers.length > 1 ? numbers.reduce((a, n) => a + (n - mean) ** 2, 0) / (numbers.length - 1) : 0;
      return {
        column,
        kind: "numeric" as const,
        count: numbers.length,
        missing: cells.length - numbers.length,
        min: sorted[0] as number,
        max: sorted[sorted.length - 1] as number,
        sum: round(sum),
        mean: round(mean),
        median: round(median),
        stdev: round(Math.sqrt(variance)),
      };
    }
    const counts = new Map<string, number>();
    for (const v of present) counts.set(v, (counts.get(v) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3);
    return {
      column,
      kind: "categorical" as const,
      count: present.length,
      missing: cells.length - present.length,
      distinct: counts.size,
      top: top.map(([value, count]) => ({ value, count })),
    };
  });
}

/** The most frequent non-stop-word terms. */
export function topTerms(text: string, limit = 8): TermCount[] {
  const counts = new Map<string, number>();
  for (const t of terms(text)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([term, count]) => ({ term, count }));
}

/** Statistics of prose. */
export function textStats(text: string): TextStats {
  const all = words(text);
  const sents = sentences(text);
  const distinct = new Set(all);
  const longest = sents.reduce((a, s) => (words(s).length > words(a).length ? s : a), sents[0] ?? "");
  return {
    words: all.length,
    sentences: sents.length,
    characters: text.length,
    avgWordsPerSentence: sents.length ? round(all.length / sents.length, 1) : 0,
    lexicalDiversity: all.length ? round((distinct.size / all.length) * 100, 1) : 0,
    readingMinutes: round(all.length / 230, 1),
    longestSentence: longest,
  };
}

/** The sentence with the highest density of the text's frequent terms. */
export function keySentence(text: string, top: readonly TermCount[]): string {
  const weight = new Map(top.map((t) => [t.term, t.count]));
  let best = "";
  let bestScore = -1;
  for (const s of sentences(text)) {
    const ts = terms(s);
    if (ts.length === 0) continue;
    const score = ts.reduce((a, t) => a + (weight.get(t) ?? 0), 0) / Math.sqrt(ts.length);
    if (score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best;
}

const fmt = (n: number) =>
  Number.isInteger(n) ? n.toLocaleString("en-US") : n.toLocaleString("en-US", { maximumFractionDigits: 2 });

/** A plain-language summary of a table's statistics. */
export function summariseTable(table: Table, stats: readonly (NumericStats | CategoryStats)[]): string {
  const numeric = stats.filter((s): s is NumericStats => s.kind === "numeric");
  const categorical = stats.filter((s): s is CategoryStats => s.kind === "categorical");
  const parts = [
    `The table has ${table.rows.length} rows and ${table.header.length} columns (${numeric.length} numeric, ${categorical.length} text).`,
  ];
  for (const s of numeric.slice(0, 4)) {
    parts.push(
      `${s.column} ranges from ${fmt(s.min)} to ${fmt(s.max)} (mean ${fmt(s.mean)}, median ${fmt(s.median)}, total ${fmt(s.sum)}).`,
    );
  }
  for (const s of categorical.slice(0, 3)) {
    const top = s.top[0];
    if (top && s.distinct < table.rows.length)
      parts.push(`The most frequent ${s.column} is ${top.value} (${top.count} of ${s.count} rows).`);
    else parts.push(`${s.column} has ${s.distinct} distinct values.`);
  }
  const missing = stats.reduce((a, s) => a + s.missing, 0);
  if (missing > 0) parts.push(`${missing} cells are empty or not numbers.`);
  return parts.join(" ");
}

/** A plain-language summary of prose statistics. */
export function summariseText(stats: TextStats, top: readonly TermCount[], key: string): string {
  const parts = [
    `The text has ${fmt(stats.words)} words in ${stats.sentences} sentences (${stats.avgWordsPerSentence} words per sentence on average, ${stats.readingMinutes < 1 ? "under a minute" : `about ${Math.round(stats.readingMinutes)} min`} to read).`,
  ];
  if (top.length)
    parts.push(
      `Its main terms are ${top
        .slice(0, 5)
        .map((t) => `"${t.term}"`)
        .join(", ")}.`,
    );
  parts.push(`Lexical diversity is ${stats.lexicalDiversity}%.`);
  if (key) parts.push(`Key sentence: "${key}"`);
  return parts.join(" ");
}

/** Removes a leading instruction such as "Analyze this text:" from the material. */
export function stripInstruction(text: string): string {
  return text.replace(
    /^\s*(?:please\s+)?(?:analy[sz]e|summari[sz]e|stats? (?:for|of)|statistics (?:for|of))\b[^:\n]*[:\n]\s*/i,
    "",
  );
}
