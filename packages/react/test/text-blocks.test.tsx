import { createRunStore } from "@agentstream/core";
import { act, render, screen } from "@testing-library/react";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_BLOCK, MIN_BLOCK, splitTextBlocks, type TextBlocks } from "../src/components/text-blocks.js";
import { StreamView } from "../src/index.js";
import { chunker } from "./chunks.js";

const para = (i: number) => `Paragraph ${i}: ${"lorem ipsum ".repeat(25)}`;

/** Texts whose rendering must keep every character. */
const CASES: Record<string, string> = {
  empty: "",
  "one line": "Hello, world",
  "mixed newlines": `${para(1)}\n${para(2)}\n\n\n${para(3)}\n\n${"short\n".repeat(80)}end`,
  "CRLF line breaks": `${para(1)}\r\n\r\n${para(2)}\r\n${para(3)}\r\n\r\n\r\nlast`,
  "lone CR": `${para(1)}\r${para(2)}\n\r${para(3)}\r\r\nx`,
  "leading and trailing newlines": `\n\n\n${para(1)}\n\n${para(2)}\n\n\n`,
  "only newlines": "\n".repeat(600),
  "long line without newlines": "lorem ipsum dolor sit amet. ".repeat(500),
  "long line without spaces": "x".repeat(7_001),
  "long line of emoji": "😀".repeat(3_000),
  "long line then short lines": `${"word ".repeat(1_000)}\n${"a\n".repeat(300)}`,
};

/** The finished blocks and the tail: together, the text. */
function pieces(split: TextBlocks): string[] {
  const tail = split.text.slice(split.start);
  return tail ? [...split.blocks, tail] : split.blocks;
}

/** Splits `text` token by token (cut at `cuts`), checking the invariants at every step. */
function splitIncrementally(text: string, cuts: number[]): TextBlocks {
  const ends = [...new Set([...cuts.map((c) => c % (text.length + 1)), text.length])].sort((a, b) => a - b);
  let split: TextBlocks | undefined;
  for (const end of ends) {
    const before: TextBlocks | undefined = split;
    split = splitTextBlocks(text.slice(0, end), split);
    expect(pieces(split).join("")).toBe(text.slice(0, end));
    // Finished blocks never change: the previous ones are a prefix of the new ones.
    if (before) expect(split.blocks.slice(0, before.blocks.length)).toEqual(before.blocks);
  }
  return split as TextBlocks;
}

describe("splitTextBlocks", () => {
  it.each(Object.entries(CASES))("keeps every character: %s", (_, text) => {
    const split = splitTextBlocks(text);
    expect(pieces(split).join("")).toBe(text);
    for (const block of split.blocks) expect(block.length).toBeGreaterThan(0);
  });

  it("ends blocks right after a run of line breaks, once they are long enough", () => {
    const text = `${para(1)}\n\n${para(2)}\r\n${"a\n".repeat(10)}${para(3)}\nrest`;
    const { blocks } = splitTextBlocks(text);
    // Short lines are grouped with what follows until the block is MIN_BLOCK long.
    expect(blocks).toEqual([`${para(1)}\n\n`, `${para(2)}\r\n`, `${"a\n".repeat(10)}${para(3)}\n`]);
  });

  it("keeps a run of line breaks open while it may still grow", () => {
    expect(splitTextBlocks(`${para(1)}\n\n`).blocks).toEqual([]);
    expect(splitTextBlocks(`${para(1)}\r`).blocks).toEqual([]);
    expect(splitTextBlocks(`${para(1)}\n\r`).blocks).toEqual([]);
    expect(splitTextBlocks(`${para(1)}\n\r\nx`).blocks).toEqual([`${para(1)}\n\r\n`]);
  });

  it("cuts a long line near MAX_BLOCK characters, after a sentence end or a space", () => {
    const sentences = splitTextBlocks("Lorem ipsum dolor sit amet. ".repeat(300));
    expect(sentences.blocks.length).toBeGreaterThan(2);
    for (const block of sentences.blocks) {
      expect(block.length).toBeLessThanOrEqual(MAX_BLOCK);
      expect(block.length).toBeGreaterThan(MAX_BLOCK / 2);
      expect(block.endsWith(". ")).toBe(true);
    }
    const words = splitTextBlocks("lorem ipsum ".repeat(600));
    for (const block of words.blocks) expect(block.endsWith(" ")).toBe(true);
    const solid = splitTextBlocks("x".repeat(5_000));
    expect(solid.blocks.map((b) => b.length)).toEqual([MAX_BLOCK, MAX_BLOCK]);
    // Never inside a surrogate pair.
    const emoji = splitTextBlocks("😀".repeat(3_000));
    for (const block of emoji.blocks) expect(block).toBe("😀".repeat(block.length / 2));
  });

  it("scans only the new text: the finished blocks are reused while the tail grows", () => {
    const first = splitTextBlocks(`${para(1)}\n\n${para(2)}`);
    const second = splitTextBlocks(`${para(1)}\n\n${para(2)} more`, first);
    expect(second.blocks).toBe(first.blocks);
    expect(second.start).toBe(first.start);
    expect(splitTextBlocks(second.text, second)).toBe(second);
  });

  it("starts over when the text does not extend the previous one", () => {
    const first = splitTextBlocks(`${para(1)}\n\n${para(2)}\n\nx`);
    const other = `${para(3)}\n\n${para(4)}\n\ny`;
    expect(splitTextBlocks(other, first)).toEqual(splitTextBlocks(other));
    expect(splitTextBlocks("short", first)).toEqual(splitTextBlocks("short"));
    // Longer, but the tail (the text after the finished blocks) was rewritten: a line break now
    // sits where the previous scan had already looked.
    const head = `${para(1)}\n\n${para(2)}\n\n`;
    const before = splitTextBlocks(`${head}${"a".repeat(300)}`);
    const rewritten = `${head}${"a".repeat(260)}\n${"b".repeat(100)}`;
    expect(splitTextBlocks(rewritten, before)).toEqual(splitTextBlocks(rewritten));
    expect(splitTextBlocks(rewritten).blocks).toHaveLength(before.blocks.length + 1);
  });

  it("gives the same blocks token by token as all at once", () => {
    const unit = fc.constantFrom("a", "b", "c", " ", " ", ".", "\n", "\r", "é", "😀");
    const line = fc.string({ unit: fc.constantFrom("w", "o", "r", "d", " ", "."), maxLength: 3 * MAX_BLOCK });
    const text = fc
      .array(fc.oneof(fc.string({ unit, maxLength: 2 * MIN_BLOCK }), line), { maxLength: 6 })
      .map((parts) => parts.join("\n"));
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 40 }), (t, cuts) => {
        const incremental = splitIncrementally(t, cuts);
        const whole = splitTextBlocks(t);
        expect(incremental.blocks).toEqual(whole.blocks);
        expect(incremental.start).toBe(whole.start);
      }),
      { numRuns: 200 },
    );
  });
});

/** Runs queued animation frames synchronously. */
function flushFrames() {
  act(() => {
    vi.runOnlyPendingTimers();
  });
}

function streamView() {
  vi.useFakeTimers({ toFake: ["requestAnimationFrame", "cancelAnimationFrame"] });
  const store = createRunStore();
  const c = chunker();
  render(<StreamView store={store} data-testid="view" />);
  const view = screen.getByTestId("view");
  const text = () => view.querySelector(".as-segment[data-kind='text'] > .as-text") as HTMLElement;
  return { store, push: (t: string) => store.push(c({ type: "token", text: t })), text, view };
}

describe("StreamView plain text in blocks", () => {
  afterEach(() => vi.useRealTimers());

  it.each(Object.entries(CASES).filter(([, t]) => t !== ""))(
    "renders exactly the segment's text, streamed or at once: %s",
    (_, text) => {
      // All at once, from a snapshot.
      const store = createRunStore();
      store.push(chunker()({ type: "token", text }));
      const { unmount, container } = render(<StreamView run={store.getSnapshot()} />);
      const once = container.querySelector(".as-text") as HTMLElement;
      expect(once.textContent).toBe(text);
      expect(container.querySelectorAll(".as-segment[data-kind='text']")).toHaveLength(1);
      const blocks = once.querySelectorAll(":scope > .as-text__block");
      expect(blocks.length).toBeGreaterThanOrEqual(text.length > MAX_BLOCK ? 2 : 1);
      // No giant node: a block outgrows MAX_BLOCK only by a run of line breaks.
      for (const block of blocks)
        expect(block.textContent?.replace(/[\r\n]+$/, "").length).toBeLessThanOrEqual(MAX_BLOCK);
      unmount();

      // Streamed in uneven tokens (cutting \r\n pairs and surrogate-free boundaries alike).
      const { push, text: live } = streamView();
      let at = 0;
      for (let i = 0; at < text.length; i++) {
        let size = 1 + ((i * 7) % 13);
        // Keep surrogate pairs whole, as a real token stream does.
        if (/[\uD800-\uDBFF]/.test(text.charAt(at + size - 1))) size++;
        push(text.slice(at, at + size));
        at += size;
        if (i % 5 === 0) {
          flushFrames();
          expect(text.startsWith(live().textContent ?? "")).toBe(true);
        }
      }
      flushFrames();
      expect(live().textContent).toBe(text);
      expect([...live().children].map((b) => b.textContent)).toEqual([...blocks].map((b) => b.textContent));
    },
  );

  it("keeps an empty .as-text while a segment has no text yet", () => {
    const run = {
      ...createRunStore().getSnapshot(),
      timeline: [{ kind: "text" as const, id: "s", text: "" }],
    };
    const { container } = render(<StreamView run={run} />);
    const text = container.querySelector(".as-segment[data-kind='text'] > .as-text") as HTMLElement;
    expect(text.textContent).toBe("");
    // Empty, so that the streaming caret (`.as-text:empty::after`) still shows.
    expect(text.childNodes).toHaveLength(0);
  });

  it("changes only the last block's DOM while tokens stream", () => {
    const { push, text } = streamView();
    for (let i = 0; i < 30; i++) push(`${para(i)}\n\n`);
    push("Tail");
    flushFrames();
    const before = [...text().children];
    expect(before).toHaveLength(31);
    const changed = new Set<Node>();
    const observer = new MutationObserver((records) => {
      for (const r of records)
        changed.add(r.type === "characterData" ? (r.target.parentNode as Node) : r.target);
    });
    observer.observe(text(), { subtree: true, childList: true, characterData: true });
    for (let i = 0; i < 20; i++) {
      push(" more");
      flushFrames();
    }
    observer.takeRecords().forEach((r) => {
      changed.add(r.type === "characterData" ? (r.target.parentNode as Node) : r.target);
    });
    observer.disconnect();
    const after = [...text().children];
    expect(after).toHaveLength(31);
    // The finished blocks are the very same elements, untouched.
    expect(after.slice(0, 30)).toEqual(before.slice(0, 30));
    for (const node of changed) expect(node).toBe(after[30]);
    expect(after[30]?.textContent).toBe(`Tail${" more".repeat(20)}`);
  });

  it("keeps renderText in charge when given: no plain-text blocks", () => {
    const store = createRunStore();
    const text = `${para(1)}\n\n${para(2)}\n\n${para(3)}`;
    store.push(chunker()({ type: "token", text }));
    const seen: string[] = [];
    const renderText = (t: string) => {
      seen.push(t);
      return <p className="custom">{t}</p>;
    };
    const { container } = render(<StreamView run={store.getSnapshot()} renderText={renderText} />);
    expect(seen).toEqual([text]);
    expect(container.querySelector(".custom")?.textContent).toBe(text);
    expect(container.querySelector(".as-text, .as-text__block")).toBeNull();
  });
});
