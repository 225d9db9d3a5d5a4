/**
 * The host app's own state: a document made of sections (a heading and a body each), plus the
 * review notes the `analyzeDocument` action writes into it. Nothing here knows about agents.
 */

/** One section of the document. */
export interface Section {
  id: string;
  heading: string;
  body: string;
}

/** How serious a review note is. */
export type Severity = "info" | "suggestion" | "warning";

/** One remark about a section. */
export interface Note {
  severity: Severity;
  message: string;
}

/** What the analysis found in one section. */
export interface SectionReview {
  sectionId: string;
  heading: string;
  words: number;
  sentences: number;
  /** Flesch reading ease, 0 (hard) to 100 (easy). */
  readingEase: number;
  /** 0–100: 100 is a section with nothing to fix. */
  score: number;
  notes: Note[];
}

/** The document as the app keeps it. */
export interface DocumentState {
  title: string;
  sections: Section[];
  /** Review notes by section id (written by the analyzeDocument action). */
  reviews: Record<string, SectionReview>;
  /** The section an action is working on (highlighted in the editor). */
  activeSectionId: string | null;
  /** When the last full review finished (ms since epoch). */
  reviewedAt: number | null;
}

export type DocumentAction =
  | { type: "setTitle"; title: string }
  | { type: "editSection"; id: string; heading?: string; body?: string }
  | { type: "addSection"; section: Section; afterId?: string }
  | { type: "removeSection"; id: string }
  | { type: "appendToSection"; id: string; text: string }
  | { type: "setActiveSection"; id: string | null }
  | { type: "clearReviews" }
  | { type: "setReview"; review: SectionReview }
  | { type: "reviewFinished"; at: number }
  | { type: "reset" };

let nextId = 0;
/** A new section id, unique in this page. */
export function newSectionId(): string {
  nextId += 1;
  return `s${Date.now().toString(36)}${nextId}`;
}

export const INITIAL_DOCUMENT: DocumentState = {
  title: "Launch plan: live agent views",
  sections: [
    {
      id: "overview",
      heading: "Overview",
      body:
        "Our users wait up to forty seconds for an agent to answer, and during that time the screen shows a spinner and nothing else. " +
        "This plan describes how we show the agent's work while it happens: its thinking, the tools it calls, its progress and the answer as it streams.",
    },
    {
      id: "goals",
      heading: "Goals",
      body:
        "Show the first token in under one second. Let users stop a run at any moment and keep what was already written. " +
        "Make progress on long tasks visible step by step, so that nobody wonders whether the agent is stuck.",
    },
    {
      id: "approach",
      heading: "Approach",
      body:
        "The agents are written as async generators and every yield is sent to the browser as an AG-UI event over server-sent events, " +
        "which is a format that was chosen because it is supported by the CopilotKit runtime and by every browser without any additional library being required, " +
        "and the React components fold those events into a run state that is rendered once per animation frame. " +
        "Tool calls are rendered as cards. The results are shown when they arrive.",
    },
    {
      id: "risks",
      heading: "Risks",
      body:
        "Slow clients could make the server buffer a lot of events. TODO: decide on a limit. " +
        "It is basically very important that a stopped run really stops on the server too, otherwise it keeps spending tokens.",
    },
    {
      id: "timeline",
      heading: "Timeline",
      body: "Week 1: streaming components. Week 2: copilot actions. Week 3: the demo and end-to-end tests.",
    },
  ],
  reviews: {},
  activeSectionId: null,
  reviewedAt: null,
};

export function documentReducer(state: DocumentState, action: DocumentAction): DocumentState {
  switch (action.type) {
    case "setTitle":
      return { ...state, title: action.title };
    case "editSection":
      return {
        ...state,
        sections: state.sections.map((s) =>
          s.id === action.id
            ? { ...s, heading: action.heading ?? s.heading, body: action.body ?? s.body }
            : s,
        ),
      };
    case "addSection": {
      const index = action.afterId ? state.sections.findIndex((s) => s.id === action.afterId) : -1;
      const sections = [...state.sections];
      sections.splice(index >= 0 ? index + 1 : sections.length, 0, action.section);
      return { ...state, sections };
    }
    case "removeSection": {
      const { [action.id]: _removed, ...reviews } = state.reviews;
      return { ...state, sections: state.sections.filter((s) => s.id !== action.id), reviews };
    }
    case "appendToSection":
      return {
        ...state,
        sections: state.sections.map((s) => (s.id === action.id ? { ...s, body: s.body + action.text } : s)),
      };
    case "setActiveSection":
      return { ...state, activeSectionId: action.id };
    case "clearReviews":
      return { ...state, reviews: {}, reviewedAt: null };
    case "setReview":
      return { ...state, reviews: { ...state.reviews, [action.review.sectionId]: action.review } };
    case "reviewFinished":
      return { ...state, reviewedAt: action.at };
    case "reset":
      return INITIAL_DOCUMENT;
  }
}

/** The document as plain text with markdown headings (for the agent's context). */
export function documentAsMarkdown(doc: Pick<DocumentState, "title" | "sections">): string {
  return [`# ${doc.title}`, ...doc.sections.map((s) => `## ${s.heading}\n\n${s.body}`)].join("\n\n");
}
