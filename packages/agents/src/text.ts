/**
 * Small text helpers shared by the embedded agents: words, sentences, stop words, and streaming
 * a text token by token at the configured pace.
 *
 * @packageDocumentation
 */
import type { AgentContext } from "@agentstream/runtime";

/** Common English words that carry no topic. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by
  can could did do does doing down during each few for from further had has have having he her here hers herself him himself
  his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours
  ourselves out over own same she should so some such than that the their theirs them themselves then there these they this
  those through to too under until up very was we were what when where which while who whom why will with would you your
  yours yourself yourselves also may might must shall us one two let get got use used using way ways like well many much
  make makes made tell explain please show give want need know thing things does done etc via per within without`.split(
    /\s+/,
  ),
);

/** Lower-case word tokens (letters, digits, apostrophes and inner hyphens). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? [];
}

/** Word tokens that are not stop words and are at least `min` characters long. */
export function terms(text: string, min = 3): string[] {
  return words(text).filter((w) => w.length >= min && !STOP_WORDS.has(w) && !/^\d+$/.test(w));
}

/** A crude stem: enough to match "streams" with "streaming" and "buffers" with "buffer". */
export function stem(word: string): string {
  return word
    .toLowerCase()
    .replace(/(?:ing|ed|es|s)$/u, "")
    .replace(/(.)\1$/u, "$1");
}

/** Splits text into sentences (see prose.ts). */
export { sentences } from "./prose.js";

/** Splits text into word-sized tokens that keep their trailing whitespace ("Hello ", "world."). */
export function tokens(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** Yields `text` token by token, waiting the configured pace before each token. */
export async function* streamText(
  ctx: AgentContext,
  text: string,
): AsyncGenerator<string, string, undefined> {
  for (const token of tokens(text)) {
    await ctx.pace();
    yield token;
  }
  return text;
}

/** Yields `text` as thinking chunks, token by token, at the configured pace. */
export async function* streamThinking(
  ctx: AgentContext,
  text: string,
): AsyncGenerator<{ type: "thinking"; text: string }, void, undefined> {
  for (const token of tokens(text)) {
    await ctx.pace();
    yield { type: "thinking", text: token };
  }
}

/** Shortens `text` to at most `max` characters on a word boundary. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${cut.slice(0, space > max * 0.6 ? space : max).trimEnd()}…`;
}
