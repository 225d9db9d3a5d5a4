/**
 * Matching a request to the frontend tools the host offered, and taking the tool's arguments
 * from the message — no model needed. Used by the `default` agent.
 *
 * @packageDocumentation
 */
import type { Tool } from "@ag-ui/core";
import { STOP_WORDS, stem, terms, truncate, words } from "./text.js";

/** A tool that matches a request. */
export interface ToolMatch {
  tool: Tool;
  score: number;
  /** Words of the tool's name found in the request. */
  matched: string[];
}

/** Splits an identifier into lower-case words: "setBackgroundColor" → ["set", "background", "color"]. */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_\-.]+/g, " ")
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean);
}

const GENERIC = new Set([
  "set",
  "get",
  "update",
  "change",
  "tool",
  "action",
  "run",
  "call",
  "do",
  "add",
  "fetch",
]);

/** Words that make a message a request to do something (rather than a question about it). */
const ACTION_CUE =
  /\b(?:set|change|make|show|add|open|close|turn|switch|use|create|update|toggle|display|go|navigate|put|remove|delete|clear|reset|start|stop|play|highlight|select|send|call|run|please|can you|could you)\b/i;

/**
 * The offered tool that best matches the request, if any. A tool matches when the request
 * contains a significant word of its name plus either a word of its description or an action
 * word ("set", "show", "add", "please"…), or all the significant words of a multi-word name; or
 * at least two words of its description plus an action word. "use/call <toolName>" always
 * matches. Words are stemmed.
 */
export function matchFrontendTool(message: string, tools: readonly Tool[]): ToolMatch | undefined {
  if (tools.length === 0 || !message.trim()) return undefined;
  const lower = message.toLowerCase();
  const msg = new Set(words(message).map(stem));
  const action = ACTION_CUE.test(message);
  let best: ToolMatch | undefined;
  for (const tool of tools) {
    if (
      new RegExp(
        `\\b(?:use|call|run|invoke)\\s+(?:the\\s+)?\`?${escapeRegExp(tool.name.toLowerCase())}\\b`,
      ).test(lower)
    ) {
      return { tool, score: 100, matched: [tool.name] };
    }
    const nameWords = identifierWords(tool.name).filter(
      (w) => !GENERIC.has(w) && !STOP_WORDS.has(w) && w.length > 2,
    );
    const matched = nameWords.filter((w) => msg.has(stem(w)));
    const desc = [...new Set(terms(tool.description ?? ""))].filter(
      (w) => !nameWords.includes(w) && msg.has(stem(w)),
    );
    const ok =
      (matched.length > 0 &&
        (desc.length > 0 || action || (nameWords.length >= 2 && matched.length === nameWords.length))) ||
      (desc.length >= 2 && action);
    if (!ok) continue;
    const score = matched.length * 2 + desc.length;
    if (!best || score > best.score) best = { tool, score, matched: matched.length ? matched : desc };
  }
  return best;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

interface JsonSchemaProperty {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
  default?: unknown;
}

function typeOf(prop: JsonSchemaProperty): string {
  const t = Array.isArray(prop.type) ? prop.type.find((x) => x !== "null") : prop.type;
  return t ?? (prop.enum ? typeof prop.enum[0] : "string");
}

function coerce(value: string, type: string): unknown {
  if (type === "number" || type === "integer") {
    const n = Number(value.replace(/,/g, ""));
    return Number.isFinite(n) ? (type === "integer" ? Math.round(n) : n) : undefined;
  }
  if (type === "boolean") return !/^(false|no|off|0)$/i.test(value);
  if (type === "array") return value.split(/\s*,\s*/).filter(Boolean);
  return value;
}

/**
 * Takes a tool's arguments from the message, following its JSON schema: `key: value` or
 * `key = value` when written, enum values mentioned, numbers, quoted strings, on/off words,
 * and for a required string the text after "to", "as", "saying", "named", ":"….
 */
export function argsFromMessage(message: string, tool: Tool): Record<string, unknown> {
  const schema = (tool.parameters ?? {}) as {
    properties?: Record<string, JsonSchemaProperty>;
    required?: string[];
  };
  const props = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const args: Record<string, unknown> = {};
  const quoted = [...message.matchAll(/"([^"]+)"|“([^”]+)”|'([^']{2,})'/g)].map(
    (m) => m[1] ?? m[2] ?? m[3] ?? "",
  );
  const numbers = [...message.matchAll(/-?\d+(?:[.,]\d+)*/g)].map((m) => m[0]);
  const nameWords = new Set(identifierWords(tool.name));
  for (const [key, prop] of Object.entries(props)) {
    const type = typeOf(prop);
    const explicit = new RegExp(
      `\\b${escapeRegExp(key)}\\s*[:=]\\s*(?:"([^"]*)"|'([^']*)'|([^\\s,;]+))`,
      "i",
    ).exec(message);
    if (explicit) {
      const v = coerce(explicit[1] ?? explicit[2] ?? explicit[3] ?? "", type);
      if (v !== undefined) {
        args[key] = v;
        continue;
      }
    }
    if (prop.enum?.length) {
      const hit = prop.enum.find(
        (e) => typeof e === "string" && new RegExp(`\\b${escapeRegExp(e)}\\b`, "i").test(message),
      );
      if (hit !== undefined) args[key] = hit;
      else if (required.has(key)) args[key] = prop.default ?? prop.enum[0];
      continue;
    }
    if (type === "number" || type === "integer") {
      const n = numbers.shift();
      if (n !== undefined) args[key] = coerce(n, type);
      else if (prop.default !== undefined) args[key] = prop.default;
      continue;
    }
    if (type === "boolean") {
      if (required.has(key) || /\b(on|off|enable|disable|true|false|yes|no)\b/i.test(message)) {
        args[key] = !/\b(off|disable|false|no|hide)\b/i.test(message);
      }
      continue;
    }
    if (type === "string") {
      const q = quoted.shift();
      if (q !== undefined) {
        args[key] = q;
        continue;
      }
      if (!required.has(key) && Object.keys(props).length > 1) continue;
      args[key] = trailingPhrase(message, nameWords) ?? truncate(message.trim(), 500);
      continue;
    }
    if (required.has(key)) args[key] = type === "array" ? [] : type === "object" ? {} : null;
  }
  return args;
}

/** The phrase after the last "to/as/saying/named/called/with/:" that is not part of the tool's name. */
function trailingPhrase(message: string, nameWords: ReadonlySet<string>): string | undefined {
  const re =
    /\b(?:to|as|saying|that says|named|called|titled|with(?: the)? (?:text|message|title))\s+|:\s*/gi;
  let last: RegExpExecArray | null = null;
  for (let m = re.exec(message); m; m = re.exec(message)) last = m;
  if (!last) return undefined;
  const phrase = message
    .slice(last.index + last[0].length)
    .trim()
    .replace(/[.!?]+$/, "");
  if (!phrase || words(phrase).every((w) => nameWords.has(w))) return undefined;
  return phrase;
}

/** A short plain-language account of a tool result. */
export function describeToolResult(value: unknown): string {
  if (value === null || value === undefined || value === "") return "nothing";
  if (typeof value === "string") return `"${truncate(value, 500)}"`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    const head = value.slice(0, 3).map((v) => describeToolResult(v));
    return `${value.length} item${value.length === 1 ? "" : "s"}${head.length ? `: ${head.join(", ")}${value.length > 3 ? ", …" : ""}` : ""}`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).slice(0, 8);
    if (entries.length === 0) return "an empty object";
    return entries
      .map(
        ([k, v]) =>
          `${k}: ${typeof v === "object" && v !== null ? truncate(JSON.stringify(v), 120) : String(v)}`,
      )
      .join("; ");
  }
  return String(value);
}
