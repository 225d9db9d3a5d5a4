import { memo } from "react";

/**
 * A block ends after a run of line breaks once it holds at least this many characters, so that
 * short lines are grouped (fewer elements) while the growing tail stays small.
 */
export const MIN_BLOCK = 256;
/** A block without a line break is cut (at a sentence end or a space) near this many characters. */
export const MAX_BLOCK = 2000;

/**
 * The blocks of one growing text, kept between renders so that each update scans only the new
 * text. `blocks` holds the finished blocks (they never change); the tail is `text.slice(start)`.
 */
export interface TextBlocks {
  /** The text these blocks were computed for. */
  text: string;
  /** The finished blocks, in order. Concatenated with the tail they give `text` exactly. */
  blocks: string[];
  /** Where the tail (the block still growing) starts. */
  start: number;
  /** Where to look for the next line break: `text` has none in `[start + MIN_BLOCK - 1, scan)`. */
  scan: number;
}

const EMPTY: TextBlocks = { text: "", blocks: [], start: 0, scan: 0 };

/**
 * The end of the run of line breaks (`\n`, `\r\n`) going on at `from`, or -1 while the run
 * reaches the end of `text` (more breaks may follow).
 */
function endOfBreaks(text: string, from: number): number {
  let end = from;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    if (code === 10) end++;
    else if (code === 13 && end + 1 === text.length) return -1;
    else if (code === 13 && text.charCodeAt(end + 1) === 10) end += 2;
    else return end;
  }
  return -1;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9;
}

/**
 * Where to cut a block of `text` starting at `start` that has no usable line break within
 * `MAX_BLOCK` characters: after the last line break in the window, else after the last sentence
 * end or space in its second half, else at `MAX_BLOCK` (never inside a surrogate pair).
 */
function cutLongBlock(text: string, start: number): number {
  const end = start + MAX_BLOCK;
  const lastBreak = text.lastIndexOf("\n", end - 1);
  if (lastBreak >= start) return lastBreak + 1;
  const half = start + (MAX_BLOCK >> 1);
  let space = -1;
  for (let i = end - 1; i >= half; i--) {
    if (!isSpace(text.charCodeAt(i))) continue;
    const before = text.charCodeAt(i - 1);
    // ".", "!", "?" or a CJK full stop before the space: a sentence ends here.
    if (before === 46 || before === 33 || before === 63 || before === 0x3002) return i + 1;
    if (space < 0) space = i + 1;
  }
  if (space >= 0) return space;
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}

/**
 * Whether `text` goes on from `prev`: it is longer and still holds `prev`'s tail where it was.
 * Only the tail is compared (O(tail), not O(text)): the finished blocks are trusted, since a
 * streamed segment's text only grows at its end. A whole-text `startsWith` here made every
 * update of a long answer cost O(text) — on V8's concatenated strings, ≈2 ms per update at
 * 1,000,000 characters (BENCHMARKS.md §12).
 */
function extendsTail(text: string, prev: TextBlocks): boolean {
  const end = prev.text.length;
  return text.slice(prev.start, end) === prev.text.slice(prev.start);
}

/**
 * Splits `text` into blocks for rendering, reusing `prev` when `text` extends `prev.text` (the way
 * a streamed segment grows: only the text after `prev`'s finished blocks is compared), so that an
 * update costs O(new text), not O(text).
 *
 * Blocks end right after a run of line breaks (`\n`, `\r\n`, blank lines), once at least
 * `MIN_BLOCK` characters long; a block with no line break is cut near `MAX_BLOCK` characters. A
 * block is finished only once text follows it, so a finished block never changes and the result
 * is the same whether computed at once or token by token. Rendered one element per block with
 * `white-space: pre-wrap`, the blocks show exactly what the whole text shows: a block ends with
 * its line break, and a trailing line break adds no line. Only a cut inside a very long line
 * starts a new visual line.
 */
export function splitTextBlocks(text: string, prev: TextBlocks = EMPTY): TextBlocks {
  if (text === prev.text) return prev;
  const grows = text.length > prev.text.length && extendsTail(text, prev);
  let blocks = grows ? prev.blocks : [];
  let start = grows ? prev.start : 0;
  let scan = grows ? prev.scan : 0;
  const added: string[] = [];
  for (;;) {
    const from = Math.max(scan, start + MIN_BLOCK - 1);
    const nl = text.indexOf("\n", from);
    if (nl >= 0 && nl < start + MAX_BLOCK) {
      const end = endOfBreaks(text, nl + 1);
      // The run of line breaks may still grow: the block is not finished yet.
      if (end < 0) {
        scan = nl;
        break;
      }
      added.push(text.slice(start, end));
      start = end;
      scan = end;
      continue;
    }
    // No line break within reach: cut a long block once its whole window has arrived.
    if (text.length > start + MAX_BLOCK) {
      const end = cutLongBlock(text, start);
      added.push(text.slice(start, end));
      start = end;
      scan = end;
      continue;
    }
    scan = nl >= 0 ? nl : text.length;
    break;
  }
  if (added.length > 0) blocks = blocks.concat(added);
  return { text, blocks, start, scan };
}

/**
 * One block of plain text. Memoized on its text: finished blocks never re-render (nor lay out
 * again) while the tail streams. Style hook: `.as-text__block`.
 */
export const TextBlock = /* @__PURE__ */ memo(function TextBlock({ text }: { text: string }) {
  return <div className="as-text__block">{text}</div>;
});
