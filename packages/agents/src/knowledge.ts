/**
 * The research agent's knowledge base: the bundled corpus (packages/agents/knowledge/corpus.json)
 * plus the project's own docs (docs/*.md and README.md of the repository, when present), split
 * into passages and indexed with MiniSearch (BM25).
 *
 * @packageDocumentation
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import MiniSearch from "minisearch";
import { renderMarkdown } from "./prose.js";
import { buildLexicon, type Lexicon } from "./subject.js";
import { STOP_WORDS } from "./text.js";

/** One searchable passage. */
export interface Passage {
  id: string;
  title: string;
  text: string;
  /** Where it comes from: `corpus` or a repository-relative file path (with its heading). */
  source: string;
}

/** One search hit. */
export interface SearchHit extends Passage {
  score: number;
  /** Query terms that matched. */
  terms: string[];
}

/** A searchable knowledge base. */
export interface KnowledgeBase {
  readonly size: number;
  /** Where the passages were loaded from. */
  readonly sources: readonly string[];
  search(query: string, limit?: number): SearchHit[];
  /**
   * Phrase statistics over every passage (title and text), with which the research agent finds a
   * question's subject. Optional: without it, the agent builds one from the hits of each search.
   */
  readonly lexicon?: Lexicon;
}

/** Options of {@link loadKnowledgeBase}. */
export interface KnowledgeOptions {
  /** Directories whose *.md files are indexed (default: the repository's docs/ and its README.md). */
  docs?: string[];
  /** Extra passages. */
  passages?: Passage[];
  /** Skip the bundled corpus. */
  noCorpus?: boolean;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Walks up from this module until `test(dir)` holds. */
function findUp(test: (dir: string) => boolean): string | undefined {
  let dir = here;
  for (let i = 0; i < 8; i++) {
    if (test(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** The bundled corpus file (works from src/ in tests and from dist/ once built). */
export function corpusPath(): string | undefined {
  const dir = findUp((d) => existsSync(join(d, "knowledge", "corpus.json")));
  return dir ? join(dir, "knowledge", "corpus.json") : undefined;
}

/** The monorepo root (the directory with pnpm-workspace.yaml), when the package runs inside it. */
export function repositoryRoot(): string | undefined {
  return findUp((d) => existsSync(join(d, "pnpm-workspace.yaml")));
}

/**
 * Splits a markdown file into passages, one per section (long sections are cut between
 * paragraphs). The text is the rendered markdown ({@link renderMarkdown}): no code blocks, tables,
 * link targets or list markers; paragraphs stay separated by a blank line, so that a sentence never
 * runs from one list item or paragraph into the next.
 */
export function markdownPassages(markdown: string, source: string): Passage[] {
  const passages: Passage[] = [];
  for (const { title: heading, paragraphs } of renderMarkdown(markdown)) {
    const title = heading || source;
    const text = paragraphs.join("\n\n");
    if (text.length < 40) continue;
    let part = "";
    let n = 0;
    const push = () => {
      passages.push({
        id: `${source}#${passages.length}`,
        title,
        text: part,
        source: `${source} — ${title}${n ? ` (${n + 1})` : ""}`,
      });
      n++;
      part = "";
    };
    for (const para of paragraphs) {
      if (part && part.length + para.length > 700) push();
      part = part ? `${part}\n\n${para}` : para;
    }
    if (part) push();
  }
  return passages;
}

function readCorpus(): Passage[] {
  const path = corpusPath();
  if (!path) return [];
  const data = JSON.parse(readFileSync(path, "utf8")) as {
    passages: { id: string; title: string; text: string }[];
  };
  return data.passages.map((p) => ({
    ...p,
    id: `corpus:${p.id}`,
    source: `knowledge/corpus.json — ${p.title}`,
  }));
}

function readMarkdownFiles(paths: string[], root: string | undefined): Passage[] {
  const out: Passage[] = [];
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => f.toLowerCase().endsWith(".md"))
          .sort()
          .map((f) => join(path, f))
      : [path];
    for (const file of files) {
      const name = root ? relative(root, file) : file;
      out.push(...markdownPassages(readFileSync(file, "utf8"), name));
    }
  }
  return out;
}

/** Loads the corpus and the docs and indexes them. Cheap (tens of milliseconds); call once per process. */
export function loadKnowledgeBase(options: KnowledgeOptions = {}): KnowledgeBase {
  const root = repositoryRoot();
  const docPaths = options.docs ?? (root ? [join(root, "docs"), join(root, "README.md")] : []);
  const passages = [
    ...(options.noCorpus ? [] : readCorpus()),
    ...readMarkdownFiles(
      docPaths.map((p) => resolve(p)),
      root,
    ),
    ...(options.passages ?? []),
  ];
  const seen = new Set<string>();
  const unique = passages.filter((p) => {
    if (seen.has(p.id)) return false;
    seen.add(p.id);
    return true;
  });
  const index = new MiniSearch<Passage>({
    fields: ["title", "text"],
    storeFields: ["title", "text", "source"],
    processTerm: (term) => {
      const t = term.toLowerCase();
      return STOP_WORDS.has(t) ? null : t;
    },
    searchOptions: {
      boost: { title: 2 },
      prefix: (t) => t.length > 3,
      fuzzy: (t) => (t.length > 5 ? 0.2 : false),
      combineWith: "OR",
    },
  });
  index.addAll(unique);
  const sources = [...new Set(unique.map((p) => p.source.split(" — ")[0] ?? p.source))];
  let lexicon: Lexicon | undefined;
  return {
    size: unique.length,
    sources,
    get lexicon() {
      lexicon ??= buildLexicon(unique);
      return lexicon;
    },
    search(query, limit = 4) {
      return index
        .search(query)
        .slice(0, limit)
        .map((hit) => ({
          id: String(hit.id),
          title: String(hit.title),
          text: String(hit.text),
          source: String(hit.source),
          score: Math.round(hit.score * 100) / 100,
          terms: hit.terms,
        }));
    },
  };
}

let shared: KnowledgeBase | undefined;
/** The process-wide default knowledge base (loaded on first use). */
export function defaultKnowledgeBase(): KnowledgeBase {
  shared ??= loadKnowledgeBase({ docs: envDocs() });
  return shared;
}

function envDocs(): string[] | undefined {
  const value = process.env.AGENTSTREAM_DOCS_DIR;
  if (!value) return undefined;
  const root = repositoryRoot();
  return [
    ...value.split(/[,:]/).filter(Boolean),
    ...(root ? [join(root, "docs"), join(root, "README.md")] : []),
  ];
}
