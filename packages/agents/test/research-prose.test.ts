/**
 * The research agent answers in clean prose: passages are split into sentences on the rendered
 * markdown, and a sentence that is not prose is never quoted. Ten varied questions go through the
 * real agent; every quoted sentence is checked against rules written here, independently of the
 * agent's own `isProse`.
 */
import { runAgentChunks } from "@agentstream/runtime";
import { describe, expect, it } from "vitest";
import { isProse, renderMarkdown, sentences } from "../src/prose.js";
import { type ResearchResult, researchAgent } from "../src/research.js";
import { runInput } from "./helpers.js";

const QUESTIONS = [
  "What is backpressure in streaming and how does SSE handle it?",
  "How do I resume a stream after a disconnect?",
  "What happens when the client disconnects?",
  "How do I write a generator action?",
  "How do I stop a run?",
  "What is AG-UI?",
  "How does CopilotKit render frontend tools?",
  "What is the difference between SSE and WebSockets?",
  "How is progress reported to the user?",
  "How do I install and start the demo?",
];

/** The sentences an answer quotes: the text before "Sources:", cut after each citation mark. */
function quoted(answer: string): string[] {
  const body = answer.split("\n\nSources:")[0] ?? "";
  return [...body.matchAll(/(.+?) \[\d+\]([.!?]["”')]?)(?:\s|$)/g)].map((m) => `${m[1]}${m[2]}`.trim());
}

/** Why a quoted sentence is not clean prose, or undefined when it is. */
function fault(s: string): string | undefined {
  const outsideCode = s.replace(/`[^`]*`/g, "x");
  if (!/^[A-Z0-9"“`(]/.test(s)) return "does not start like a sentence";
  if (!/[.!?]["”')]?$/.test(s)) return "does not end like a sentence";
  if ((s.match(/`/g)?.length ?? 0) % 2) return "a code span cut in half";
  if (/\]\(|\[[^\]]*\]/.test(outsideCode)) return "a link or its target";
  if (/^\s*(?:[-*+]|\d+[.)])\s/.test(s) || /\s[-*+]\s+[A-Z]/.test(outsideCode)) return "a list marker";
  if (/\|/.test(outsideCode)) return "a table pipe";
  if (/<[^>]*>|:\d+>|\w>/.test(outsideCode)) return "an HTML tag or autolink residue";
  if (/https?:|:\/\//.test(outsideCode)) return "a URL";
  if (/[*_#·]/.test(outsideCode)) return "markdown marks";
  if (/^```|```/.test(s)) return "a code fence";
  if (s.split(/\s+/).length < 4) return "too short to be a sentence";
  return undefined;
}

describe("research answers quote only clean prose", () => {
  it("the issue's question no longer ends with a fragment of the README's markdown", async () => {
    const answer = await ask(QUESTIONS[0] as string);
    expect(answer).not.toMatch(/1:4000>|Analyze the document ·|_What is/);
    expect(quoted(answer).length).toBeGreaterThan(0);
  });

  it("ten varied questions: every quoted sentence is prose", async () => {
    const report: string[] = [];
    let total = 0;
    for (const question of QUESTIONS) {
      const answer = await ask(question);
      const parts = quoted(answer);
      const body = answer.split("\n\nSources:")[0] ?? "";
      // Every citation mark belongs to a sentence the splitter found (nothing unparsed is quoted).
      expect(parts.length, question).toBe(body.match(/ \[\d+\][.!?]/g)?.length ?? 0);
      for (const s of parts) {
        total++;
        const why = fault(s);
        if (why) report.push(`${question}\n  ${why}: ${s}`);
      }
    }
    expect(report).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(15);
  });
});

async function ask(question: string): Promise<string> {
  let result: ResearchResult | undefined;
  for await (const chunk of runAgentChunks(researchAgent, runInput(question))) {
    if (chunk.type === "result") result = chunk.output as ResearchResult;
  }
  return result?.answer ?? "";
}

describe("markdown rendering and sentence splitting", () => {
  const md = [
    "# Quick start",
    "",
    "Open <http://127.0.0.1:4000> and try, with the default agent: _Analyze the document_ · _Draft a section_.",
    "",
    "- **Streams** arrive as [chunks](docs/protocol.md#chunks) over SSE.",
    "- The pump calls `ctx.signal.aborted` before every step. It then stops.",
    "1. First item without an end",
    "2. Second item.",
    "",
    "| chunk | event |",
    "| ----- | ----- |",
    "| token | TEXT_MESSAGE_CONTENT |",
    "",
    "```ts",
    "const x = a.b(); // Not prose.",
    "```",
    "",
    "**Ids and resume.** Every event has an id, e.g. 12, and a client resumes with it.",
    '<div align="center">Logo</div>',
  ].join("\n");

  it("renders paragraphs without link targets, list markers, tables, code blocks, tags or bold lead-ins", () => {
    const [section] = renderMarkdown(md);
    expect(section?.title).toBe("Quick start");
    expect(section?.paragraphs).toEqual([
      "Open http://127.0.0.1:4000 and try, with the default agent: Analyze the document · Draft a section.",
      "Streams arrive as chunks over SSE.",
      "The pump calls `ctx.signal.aborted` before every step. It then stops.",
      "First item without an end",
      "Second item.",
      "Every event has an id, e.g. 12, and a client resumes with it.",
    ]);
  });

  it("splits sentences at paragraph breaks, never inside code spans, numbers or after abbreviations", () => {
    expect(
      sentences(
        "The pump calls `ctx.signal.aborted` first. Version 2.0 is out, e.g. on npm. Next one!\n\nNo end",
      ),
    ).toEqual([
      "The pump calls `ctx.signal.aborted` first.",
      "Version 2.0 is out, e.g. on npm.",
      "Next one!",
      "No end",
    ]);
  });

  it("isProse refuses fragments, URLs, separators, paths and code-heavy lines", () => {
    expect(isProse("Streams arrive as chunks over SSE and render as they come.")).toBe(true);
    expect(isProse("The pump calls `ctx.signal.aborted` before every step.")).toBe(true);
    for (const bad of [
      "1:4000> and try, with the default agent: Analyze the document · Draft a section about backpressure.",
      "Open http://127.0.0.1:4000 and try it in the browser.",
      "GET /api/agents/:agentId/stream?",
      "First item without an end",
      "`a.b()` `c.d()` `e.f()` `g.h()` are the calls.",
      "see the [docs](x) for more on this.",
      "Status: done and dusted for now.",
    ])
      expect(isProse(bad), bad).toBe(false);
  });
});
