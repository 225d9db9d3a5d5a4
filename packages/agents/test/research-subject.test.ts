/**
 * The research agent answers what was asked (issue 26): the first sentence of its answer is about
 * the question's subject, preferring a definition of it; its sources are a markdown list; and a
 * question about nothing in the knowledge base gets an honest "nothing found". The questions below
 * go through the real agent over the real knowledge base (bundled corpus plus the repository's docs).
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runAgentChunks } from "@agentstream/runtime";
import { describe, expect, it } from "vitest";
import { routeByIntent } from "../src/default.js";
import type { KnowledgeBase, SearchHit } from "../src/knowledge.js";
import { defaultKnowledgeBase } from "../src/knowledge.js";
import { createResearchAgent, type ResearchResult, renderSources, researchAgent } from "../src/research.js";
import { findSubject, isDefinition } from "../src/subject.js";
import { runInput } from "./helpers.js";

interface Asked {
  result: ResearchResult;
  /** Passages each `search` tool call returned. */
  searches: { query: string; passages: { n: number; title: string }[] }[];
}

async function ask(question: string, agent = researchAgent): Promise<Asked> {
  let result: ResearchResult | undefined;
  const searches: Asked["searches"] = [];
  for await (const chunk of runAgentChunks(agent, runInput(question))) {
    if (chunk.type === "result") result = chunk.output as ResearchResult;
    if (chunk.type === "tool_result" && chunk.name === "search") searches.push(chunk.result as never);
  }
  if (!result) throw new Error(`no result for ${question}`);
  return { result, searches };
}

/** The answer's text before the sources. */
function body(answer: string): string {
  return answer.split("\n\nSources:")[0] ?? "";
}

/** The first quoted sentence, without its citation mark, and the passage it cites. */
function firstSentence(answer: string): { text: string; cite: number } {
  const m = /^(.+?) \[(\d+)\]([.!?]["”')]?)(?:\s|$)/.exec(body(answer));
  return { text: m ? `${m[1]}${m[3]}` : body(answer), cite: Number(m?.[2] ?? 0) };
}

/** Questions the demo suggests (apps/demo/src/agent/suggestions.ts) that the research agent answers. */
const DEMO: [question: string, ...subject: RegExp[]][] = [
  // default agent, "Ask a question" (routed to research)
  ["What is backpressure in streaming?", /^Backpressure means/],
  // default agent, "Draft a section" (the demo's draftSection tool takes it; without the tool, research answers)
  ["Draft a section about backpressure", /backpressure/i],
  // research agent
  ["What is backpressure and how do streams handle it?", /^Backpressure means/],
  [
    "How do server-sent events reconnect after a dropped connection?",
    /\bSSE\b|server-sent events/i,
    /reconnect/i,
  ],
  ["What events does the AG-UI protocol define?", /AG-UI/, /event/i],
  // team agent (its research lane gets the same prompt)
  ["Research and analyze how server-sent events handle backpressure", /\bSSE\b|server-sent events/i],
];

/**
 * Ordinary questions about the corpus' topics, phrased in many ways; no code path knows any of
 * them. Each names the subject the first sentence must be about (and, for "what is" questions
 * whose subject the knowledge base defines, that the answer opens with the definition).
 */
const ORDINARY: [question: string, ...subject: RegExp[]][] = [
  ["What is BM25?", /^BM25 is a ranking function/],
  ["What does BM25 mean?", /^BM25 is/],
  ["How does BM25 rank documents?", /BM25/],
  ["Explain backpressure", /^Backpressure means/],
  ["backpressure", /^Backpressure means/],
  ["Why does backpressure matter?", /backpressure/i],
  ["How do streams handle backpressure?", /backpressure/i],
  ["What are server-sent events?", /^Server-Sent Events \(SSE\) is/],
  ["SSE", /\bSSE\b/],
  ["Why use SSE instead of WebSockets?", /\bSSE\b/],
  ["What is the difference between SSE and WebSockets?", /\bSSE\b|server-sent events/i],
  ["heartbeats", /heartbeat/i],
  ["bounded queues", /bounded queue/i],
  ["What's a bounded queue?", /bounded queue/i],
  ["What is time to first token?", /^Time to first token is/],
  ["What is the CopilotKit runtime?", /^The CopilotKit runtime is/],
  ["What is a frontend tool?", /^A frontend tool is/],
  ["What is AG-UI?", /^AG-UI, the Agent-User Interaction protocol, is/],
  ["How does the AG-UI verifier work?", /verifier/i],
  ["What is an activity message?", /activity message/i],
  ["Tell me about extractive answers", /extractive answer/i],
  ["Why do streaming responses need X-Accel-Buffering?", /streaming response/i, /X-Accel-Buffering/],
  ["What happens when the client disconnects?", /client disconnects/i],
  ["How do you secure an agent endpoint?", /agent endpoint/i],
  ["How should a server handle errors mid-stream?", /error/i],
  ["Why memoize markdown blocks?", /memoize/i],
  ["How is progress reported to the user?", /progress/i],
  ["Kubernetes", /Kubernetes/],
];

describe("research answers open with the question's subject", () => {
  it.each(DEMO)("demo suggestion: %s", async (question, ...subject) => {
    const { result } = await ask(question);
    const first = firstSentence(result.answer).text;
    for (const re of subject) expect(first, result.answer).toMatch(re);
    expect(first).not.toMatch(/^A load test/);
  });

  it.each(ORDINARY)("%s", async (question, ...subject) => {
    const { result } = await ask(question);
    const first = firstSentence(result.answer).text;
    for (const re of subject) expect(first, result.answer).toMatch(re);
    expect(result.citations.length).toBeGreaterThan(0);
  });

  it.each([
    ["How does cancellation work?", /^Cancellation/],
    ["Explain graceful shutdown", /^Graceful shutdown/],
    ["How do multi-agent streams work?", /^Multi-agent streams/],
  ])(
    "a subject only a passage title names (%s): the answer opens with that passage",
    async (question, title) => {
      const { result } = await ask(question);
      const { cite } = firstSentence(result.answer);
      expect(result.citations.find((c) => c.n === cite)?.title, result.answer).toMatch(title);
      // Not a lone sentence: the passage goes on.
      expect(body(result.answer).match(/ \[\d+\][.!?]/g)?.length).toBeGreaterThanOrEqual(2);
    },
  );

  it("covers every research question the demo suggests", () => {
    const file = fileURLToPath(new URL("../../../apps/demo/src/agent/suggestions.ts", import.meta.url));
    if (!existsSync(file)) return;
    const source = readFileSync(file, "utf8");
    const block = (agent: string) =>
      [
        ...(new RegExp(`\\n  ${agent}: \\[([\\s\\S]*?)\\n  \\],`).exec(source)?.[1] ?? "").matchAll(
          /message:\s*"([^"]+)"/g,
        ),
      ].map((m) => m[1] as string);
    const suggested = [
      ...block("research"),
      ...block("team"),
      // The default agent's questions, i.e. what it routes to research that is not a document action.
      ...block("default").filter((m) => /\?$/.test(m) && routeByIntent(m).agent.name === "research"),
    ];
    expect(suggested.length).toBeGreaterThanOrEqual(5);
    const covered = new Set(DEMO.map(([q]) => q));
    expect(suggested.filter((m) => !covered.has(m))).toEqual([]);
  });
});

describe("finding the subject", () => {
  const lexicon = defaultKnowledgeBase().lexicon;
  if (!lexicon) throw new Error("the default knowledge base has a lexicon");
  it.each([
    ["What is backpressure in streaming?", "backpressure", "definition"],
    ["How do server-sent events reconnect after a dropped connection?", "server-sent events", "explanation"],
    ["What is time to first token?", "time to first token", "definition"],
    ["How do I write a generator action?", "generator action", "explanation"],
    ["Why do streaming responses need X-Accel-Buffering?", "streaming responses", "explanation"],
    ["What is the difference between SSE and WebSockets?", "sse", "definition"],
    ["Draft a section about backpressure", "backpressure", "definition"],
    ["Why does the server send heartbeats?", "heartbeats", "explanation"],
    ["bounded queues", "bounded queues", "definition"],
  ])("%s → %s", (question, text, asks) => {
    const subject = findSubject(question, lexicon);
    expect(subject).toMatchObject({ text, asks, known: true });
  });

  it("learns acronyms from the knowledge base: SSE is server-sent events", () => {
    expect(findSubject("What is SSE?", lexicon)?.aliases).toContainEqual(["server", "sent", "event"]);
  });

  it("recognises definitions under any name of the subject", () => {
    const sse = findSubject("What are server-sent events?", lexicon);
    if (!sse) throw new Error("no subject");
    expect(isDefinition("Server-Sent Events (SSE) is a one-way streaming protocol.", sse)).toBe(true);
    expect(isDefinition("SSE is a one-way streaming protocol over plain HTTP.", sse)).toBe(true);
    expect(isDefinition("Browsers consume SSE with EventSource, which reconnects.", sse)).toBe(false);
    const agui = findSubject("What is AG-UI?", lexicon);
    if (!agui) throw new Error("no subject");
    expect(
      isDefinition("AG-UI, the Agent-User Interaction protocol, is an open event vocabulary.", agui),
    ).toBe(true);
  });
});

describe("the Sources block", () => {
  it("is a markdown list: a blank line after Sources:, then one - [n] item per cited passage", async () => {
    const { result } = await ask("What is backpressure in streaming?");
    const [text, sources] = result.answer.split("\n\nSources:\n\n");
    expect(sources, result.answer).toBeDefined();
    const items = (sources ?? "").split("\n");
    expect(items.length).toBe(result.citations.length);
    for (const [i, item] of items.entries()) {
      const c = result.citations[i];
      expect(item).toBe(`- [${c?.n}] ${c?.title} — knowledge/corpus.json`);
    }
    // The citation marks stay in the text, and every one of them is listed.
    const marks = new Set([...(text ?? "").matchAll(/ \[(\d+)\][.!?]/g)].map((m) => Number(m[1])));
    expect([...marks].sort((a, b) => a - b)).toEqual(result.citations.map((c) => c.n));
  });

  it("names a docs passage by its heading and file", () => {
    expect(
      renderSources([
        { n: 1, title: "SSE", source: "docs/protocol.md — SSE" },
        { n: 3, title: "Backpressure", source: "knowledge/corpus.json — Backpressure" },
      ]),
    ).toBe("Sources:\n\n- [1] SSE — docs/protocol.md\n- [3] Backpressure — knowledge/corpus.json");
  });
});

describe("questions the knowledge base has nothing on", () => {
  it("no passage at all: says so, quotes nothing, lists no sources", async () => {
    const { result, searches } = await ask("What is the capital of France?");
    expect(searches[0]?.passages).toEqual([]);
    expect(result.answer).toBe(
      'I found nothing about "capital of france" in the knowledge base. Try other words, e.g. SSE, backpressure, AG-UI or CopilotKit.',
    );
    expect(result.citations).toEqual([]);
  });

  it("passages that only share other words (or fuzzy matches): says so instead of quoting them", async () => {
    // The search finds passages through "started" (a fuzzy match of "starter") and "streaming".
    for (const question of ["What is a sourdough starter?", "What is a sourdough starter for streaming?"]) {
      const { result, searches } = await ask(question);
      expect(searches[0]?.passages.length, question).toBeGreaterThan(0);
      expect(result.answer).toMatch(/^I found nothing about "sourdough starter[^"]*" in the knowledge base/);
      expect(result.answer).not.toMatch(/Sources:|\[\d+\]/);
      expect(result.citations).toEqual([]);
    }
  });

  it("a misspelt subject is read as the word the knowledge base has, and says so", async () => {
    const { result } = await ask("What is backpresure?");
    expect(firstSentence(result.answer).text).toMatch(/^Backpressure means/);
    expect(body(result.answer)).toContain('(I read "backpresure" as "backpressure".)');
  });

  it("a subject the passages name only in code or a table: lists them instead of quoting other sentences", async () => {
    // A knowledge base of its own, without a lexicon: the agent builds one from the hits.
    const hits: SearchHit[] = [
      {
        id: "api",
        title: "API",
        text: "`generatorAction(handler)` | wraps a generator",
        source: "api.md — API",
        score: 2,
        terms: ["generator"],
      },
      {
        id: "testing",
        title: "Testing",
        text: "Write a test for each action you add, and run it before you ship.",
        source: "testing.md — Testing",
        score: 1,
        terms: ["write", "action"],
      },
    ];
    const knowledge: KnowledgeBase = {
      size: hits.length,
      sources: ["api.md", "testing.md"],
      search: () => hits,
    };
    const { result } = await ask(
      "How do I write a generator?",
      createResearchAgent({ knowledge: () => knowledge }),
    );
    expect(result.answer).toBe(
      'I found 1 passage that mentions "generator", but no sentence in it answers it in plain words. The sources are listed below.\n\nSources:\n\n- [1] API — api.md',
    );
  });
});
