/**
 * Markdown to prose for the research agent: markdown is rendered to plain paragraphs first (no
 * code blocks, tables, HTML, link targets, list markers or emphasis marks), then split into
 * sentences without cutting inside a code span or after an abbreviation, and a sentence is quoted
 * only when it reads as prose ({@link isProse}).
 *
 * @packageDocumentation
 */

/** One block of rendered markdown: the heading it sits under and its paragraphs. */
export interface ProseSection {
  title: string;
  paragraphs: string[];
}

/** Inline markdown to text: links keep their text, images and tags go, emphasis marks go; code spans stay in backticks. */
export function renderInline(text: string): string {
  // Code spans are set aside first so nothing inside them is touched.
  const spans: string[] = [];
  let out = text.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_m, _ticks: string, body: string) => {
    spans.push(`\`${body.trim()}\``);
    return `\uE000${spans.length - 1}\uE000`;
  });
  out = out
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/!\[[^\]]*\]\[[^\]]*\]/g, "")
    .replace(/\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)/g, "$1")
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1")
    .replace(/<(https?:\/\/[^>\s]+)>/g, "$1")
    .replace(/<\/?[A-Za-z][^>]*>/g, "")
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, "$2")
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?!\w)/g, "$1$2")
    .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, "$1$2")
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, "$1")
    .replace(/\\([\\`*_{}[\]()#+\-.!|>])/g, "$1")
    .replace(/[ \t]+/g, " ");
  return out.replace(/\uE000(\d+)\uE000/g, (_m, i: string) => spans[Number(i)] ?? "").trim();
}

const FENCE = /^\s*(```|~~~)/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const LIST_ITEM = /^\s*(?:[-*+]|\d{1,3}[.)])\s+(.*)$/;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const HTML_BLOCK =
  /^\s*<\/?(?:div|p|table|tr|td|th|img|br|details|summary|picture|source|a|span|sub|sup|!--)/i;
const SETEXT = /^\s*(=+|-+)\s*$/;
const HR = /^\s*([-*_])(\s*\1){2,}\s*$/;

/**
 * Renders markdown into sections of plain paragraphs. Fenced and indented code blocks, tables,
 * HTML blocks and rules are left out; every list item and blockquote paragraph is a paragraph of
 * its own (without its marker); inline markup is rendered with {@link renderInline}.
 */
export function renderMarkdown(markdown: string, firstTitle = ""): ProseSection[] {
  const sections: ProseSection[] = [{ title: firstTitle, paragraphs: [] }];
  let current: string[] = [];
  let fence: string | undefined;
  const section = () => sections[sections.length - 1] as ProseSection;
  const end = () => {
    if (current.length === 0) return;
    // A bold lead-in ("**Ids and resume.** …") is a heading inside the paragraph, not a sentence.
    const joined = current.join(" ").replace(/^(\*\*|__)[^*_]{1,80}?[.:!?]\1\s*/, "");
    const text = renderInline(joined);
    current = [];
    if (text) section().paragraphs.push(text);
  };
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const fenceMatch = FENCE.exec(raw);
    if (fence !== undefined) {
      if (fenceMatch && fenceMatch[1] === fence) fence = undefined;
      continue;
    }
    if (fenceMatch) {
      end();
      fence = fenceMatch[1];
      continue;
    }
    const heading = HEADING.exec(raw);
    if (heading) {
      end();
      sections.push({ title: renderInline(heading[2] ?? "").replace(/`/g, ""), paragraphs: [] });
      continue;
    }
    const next = lines[i + 1];
    if (next !== undefined && raw.trim() && SETEXT.test(next) && current.length === 0 && !raw.includes("|")) {
      end();
      sections.push({ title: renderInline(raw.trim()).replace(/`/g, ""), paragraphs: [] });
      i++;
      continue;
    }
    const line = raw.replace(/^\s*(>\s?)+/, "");
    if (!line.trim() || HR.test(line)) {
      end();
      continue;
    }
    // Tables (a row has pipes; the rule under the header has dashes) and HTML blocks are not prose.
    if (TABLE_RULE.test(line) || /^\s*\|/.test(line) || (line.match(/(?<!\\)\|/g)?.length ?? 0) >= 2) {
      end();
      continue;
    }
    if (HTML_BLOCK.test(line)) {
      end();
      continue;
    }
    // Indented code (not the continuation of a paragraph or a list item).
    if (/^( {4}|\t)/.test(raw) && current.length === 0) continue;
    const item = LIST_ITEM.exec(line);
    if (item) {
      end();
      current.push(item[1] ?? "");
      continue;
    }
    current.push(line.trim());
  }
  end();
  return sections.filter((s) => s.paragraphs.length > 0);
}

const ABBREVIATIONS = new Set([
  "e.g",
  "i.e",
  "etc",
  "vs",
  "cf",
  "approx",
  "mr",
  "mrs",
  "ms",
  "dr",
  "no",
  "fig",
  "p",
]);

/**
 * Splits text into sentences. Paragraph breaks (blank lines) always end a sentence; inside a
 * paragraph a sentence ends at `.`, `!` or `?` (with closing quotes or brackets) followed by a
 * space and a capital letter, digit, quote, bracket or code span — never inside a code span,
 * after an abbreviation ("e.g.", "etc.") or inside a number or a name ("v2.0", "ctx.signal").
 */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const p = paragraph.replace(/\s+/g, " ").trim();
    if (!p) continue;
    let start = 0;
    let inCode = false;
    for (let i = 0; i < p.length; i++) {
      const ch = p[i];
      if (ch === "`") {
        inCode = !inCode;
        continue;
      }
      if (inCode || (ch !== "." && ch !== "!" && ch !== "?")) continue;
      let j = i + 1;
      while (j < p.length && /[.!?"'”’)\]]/.test(p[j] as string)) j++;
      if (j < p.length && p[j] !== " ") continue;
      const after = p.slice(j + 1, j + 2);
      if (j < p.length && !/[A-Z0-9"“‘'(`[]/.test(after)) continue;
      if (ch === ".") {
        const word = /([A-Za-z.]+)$/.exec(p.slice(start, i))?.[1]?.toLowerCase() ?? "";
        if (ABBREVIATIONS.has(word) || /^[a-z]$/.test(word)) continue;
      }
      const sentence = p.slice(start, j).trim();
      if (sentence) out.push(sentence);
      start = j;
      i = j - 1;
    }
    const rest = p.slice(start).trim();
    if (rest) out.push(rest);
  }
  return out;
}

/**
 * True when a sentence reads as prose and may be quoted: a capital (or digit, quote, code span)
 * first, an end mark last, 4 to 80 words; outside code spans no markdown left (`|`, `[`, `]`,
 * `#`, `*`, `_`, `<`, `>`, `{`, `}`), no URL, path or file name, no separator dots (`·`); code
 * spans balanced, at most three and under 45% of the sentence; brackets and quotes balanced;
 * mostly letters; not a `key: value` line.
 */
export function isProse(sentence: string): boolean {
  const s = sentence.trim();
  if (s.length < 25 || s.length > 500) return false;
  if (!/^[A-Z0-9"“`(]/.test(s)) return false;
  if (!/[.!?]["”')]?$/.test(s)) return false;
  if (((s.match(/`/g)?.length ?? 0) & 1) === 1) return false;
  const code = [...s.matchAll(/`[^`]*`/g)].reduce((n, m) => n + m[0].length, 0);
  if (code > s.length * 0.45 || (s.match(/`[^`]*`/g)?.length ?? 0) > 3) return false;
  const plain = s.replace(/`[^`]*`/g, "code");
  if (/[|[\]#*_<>{}·\\]|:\/\/|\w\.(?:md|ts|tsx|js|json)\b|\/\/|=>|->|\.\.\./.test(plain)) return false;
  const words = plain.split(/\s+/).filter(Boolean);
  if (words.length < 4 || words.length > 80) return false;
  if ((plain.match(/\(/g)?.length ?? 0) !== (plain.match(/\)/g)?.length ?? 0)) return false;
  if (((plain.match(/"/g)?.length ?? 0) & 1) === 1) return false;
  if ((plain.match(/“/g)?.length ?? 0) !== (plain.match(/”/g)?.length ?? 0)) return false;
  const letters = plain.match(/[\p{L}]/gu)?.length ?? 0;
  const visible = plain.replace(/\s/g, "").length;
  if (letters < visible * 0.7) return false;
  // A path, a route or a key: value line is not a sentence.
  if (/(^|\s)\/[\w:-]/.test(plain) || /^\w+:\s/.test(plain)) return false;
  return true;
}
