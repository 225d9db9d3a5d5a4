/**
 * The copilot actions of the document workspace. Each is an `async function*`: every `yield`
 * shows up in the chat (a tool card with live progress) while it runs, and the `return` value is
 * what the agent receives. They work on the app's own state: the document in the editor.
 *
 * The embedded `default` agent calls a frontend tool when the user's words match its name and
 * description, so "analyze the document", "draft a section about backpressure" and "publish the
 * document" work with no API key.
 */

import { ask, useStreamingCopilotAction } from "@agentstream/react/copilot";
import { useAgentContext } from "@copilotkit/react-core/v2";
import { reviewSection, summarize, words } from "../document/analyze.js";
import { useDocument } from "../document/document-context.js";
import { documentAsMarkdown, newSectionId, type SectionReview } from "../document/model.js";
import { sleep, useActionRuns } from "./action-runs.js";
import { streamAgent } from "./research-stream.js";

/** Milliseconds per section: long enough to watch, short enough not to bore. */
const PACE = { quick: 250, thorough: 700, default: 450 } as const;

/** "Draft a section about backpressure handling." → "backpressure handling". */
export function topicFromRequest(text: string): string {
  const cleaned = text
    .trim()
    .replace(/^["“']|["”']$/g, "")
    .replace(
      /^(?:please\s+|can you\s+|could you\s+)?(?:draft|write|add|create|compose)\s+(?:me\s+)?(?:a|an|the|one)?\s*(?:new\s+|short\s+)?(?:section|paragraph|part)\s*(?:about|on|for|covering|titled|called|named|that explains|explaining)?\s*/i,
      "",
    )
    .replace(/\s+(?:to|into|in)\s+(?:the|my|this)\s+(?:document|doc|plan)\b.*$/i, "")
    .replace(/[.!?]+$/, "")
    .trim();
  return cleaned || text.trim();
}

function headingFor(topic: string): string {
  const t = topic.replace(/\s+/g, " ").trim();
  const short = t.length > 60 ? `${t.slice(0, 59)}…` : t;
  return short.charAt(0).toUpperCase() + short.slice(1);
}

export function useDocumentActions(): void {
  const { doc, dispatch, docRef } = useDocument();
  const { setLatest } = useActionRuns();

  // The agent sees the document (an LLM agent uses it; the embedded ones ignore it).
  useAgentContext({
    description: "The document the user is editing (markdown)",
    value: documentAsMarkdown(doc),
  });

  useStreamingCopilotAction({
    name: "analyzeDocument",
    description:
      "Analyze the document the user is editing, section by section: length, readability, long sentences, passive voice, filler words and open TODOs. Writes review notes next to each section and returns a summary.",
    parameters: [
      {
        name: "depth",
        type: "string",
        enum: ["quick", "thorough"],
        description: "quick or thorough (slower, shows each step longer)",
        required: false,
      },
    ],
    async *handler({ depth }, { signal, store, toolCallId }) {
      setLatest({ name: "analyzeDocument", toolCallId, store });
      const pace = PACE[depth === "quick" || depth === "thorough" ? depth : "default"];
      const { sections } = docRef.current;
      const total = sections.length;
      dispatch({ type: "clearReviews" });
      yield { type: "status", status: "acting", iteration: 1 };
      const reviews: SectionReview[] = [];
      try {
        for (const [index, section] of sections.entries()) {
          const label = section.heading || `Section ${index + 1}`;
          dispatch({ type: "setActiveSection", id: section.id });
          yield { type: "progress", step: label, current: index, total, message: "Reading the section" };
          await sleep(pace / 2, signal);
          yield {
            type: "progress",
            step: label,
            current: index,
            total,
            message: "Checking sentences and wording",
          };
          await sleep(pace / 2, signal);
          const review = reviewSection(section);
          reviews.push(review);
          dispatch({ type: "setReview", review });
          const top = review.notes[0]?.message ?? "";
          yield `${label}: ${review.score}/100, ${review.words} words. ${top}\n`;
        }
        const summary = summarize(reviews);
        const last = sections.at(-1)?.heading || `Section ${total}`;
        yield {
          type: "progress",
          step: last,
          current: total,
          total,
          message: `Review complete: ${summary.issues} issues in ${summary.sections} sections`,
        };
        yield { type: "status", status: "completed" };
        dispatch({ type: "reviewFinished", at: Date.now() });
        return summary;
      } finally {
        dispatch({ type: "setActiveSection", id: null });
      }
    },
  });

  useStreamingCopilotAction({
    name: "draftSection",
    description:
      "Draft a new section of the document about a topic and write it into the editor as it streams, with cited sources from the research agent. Use when the user asks to draft, write or add a section.",
    parameters: [
      { name: "topic", type: "string", description: "What the new section is about", required: true },
    ],
    async *handler({ topic }, { signal, store, toolCallId }) {
      setLatest({ name: "draftSection", toolCallId, store });
      const subject = topicFromRequest(String(topic ?? ""));
      const heading = headingFor(subject);
      const id = newSectionId();
      const after = docRef.current.activeSectionId ?? docRef.current.sections.at(-1)?.id;
      dispatch({
        type: "addSection",
        section: { id, heading, body: "" },
        ...(after ? { afterId: after } : {}),
      });
      dispatch({ type: "setActiveSection", id });
      const total = 3;
      yield {
        type: "progress",
        step: "Research",
        current: 0,
        total,
        message: `Searching the knowledge base for “${subject}”`,
      };
      let written = "";
      let sources = 0;
      try {
        for await (const chunk of streamAgent("research", subject, signal)) {
          if (chunk.type === "thinking") yield { type: "thinking", text: chunk.text };
          else if (chunk.type === "tool_result" && chunk.name === "search") {
            const passages = (chunk.result as { passages?: unknown[] } | undefined)?.passages ?? [];
            sources = passages.length;
            yield {
              type: "progress",
              step: "Write",
              current: 1,
              total,
              message: `${sources} passages found; writing`,
            };
          } else if (chunk.type === "token") {
            written += chunk.text;
            dispatch({ type: "appendToSection", id, text: chunk.text });
            if (written.length % 8 < chunk.text.length) {
              yield {
                type: "progress",
                step: "Write",
                current: 1,
                total,
                message: `${words(written).length} words written`,
              };
            }
          } else if (chunk.type === "error" && chunk.recoverable !== true) {
            throw new Error(chunk.message);
          }
        }
        yield { type: "progress", step: "Review", current: 2, total, message: "Checking the new section" };
        const review = reviewSection({ id, heading, body: written });
        yield { type: "progress", step: "Review", current: total, total, message: "Section added" };
        const count = words(written).length;
        yield `Added “${heading}” to the document: ${count} words, ${sources} sources.`;
        return { section: heading, words: count, sources, readingEase: review.readingEase };
      } finally {
        dispatch({ type: "setActiveSection", id: null });
      }
    },
  });

  useStreamingCopilotAction({
    name: "publishDocument",
    description:
      "Publish the document to the team wiki. It first asks the user to confirm (Publish or Cancel); a cancelled result means nothing was published. In this demo the wiki is down, so publishing fails midway: it shows how a failed run keeps its partial output.",
    parameters: [],
    async *handler(_args, { signal, store, toolCallId }) {
      setLatest({ name: "publishDocument", toolCallId, store });
      const sections = docRef.current.sections;
      const total = sections.length;
      const choice: unknown = yield ask({
        prompt: `Publish ${total} section${total === 1 ? "" : "s"}?`,
        choices: ["Publish", "Cancel"],
      });
      if (choice !== "Publish") {
        yield "Publishing cancelled: nothing was sent to the wiki.";
        return { published: false, cancelled: true, reason: "The user chose Cancel." };
      }
      yield { type: "status", status: "acting", iteration: 1 };
      for (const [index, section] of sections.entries()) {
        const label = section.heading || `Section ${index + 1}`;
        yield { type: "progress", step: `Upload ${label}`, current: index, total, message: "Uploading" };
        await sleep(350, signal);
        if (index === Math.min(2, sections.length - 1)) {
          throw new Error(
            `wiki.example.internal stopped answering while uploading “${label}” (simulated outage). ${index} of ${sections.length} sections were uploaded; nothing was published.`,
          );
        }
        yield `Uploaded “${label}” (${words(section.body).length} words).\n`;
      }
      return { published: true };
    },
  });
}
