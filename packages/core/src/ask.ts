/**
 * Questions an agent asks the user (`ask` chunks): the choices as written by user code, and the
 * check an answer must pass before it reaches the waiting agent (the server's answer route
 * answers 422 with the reason; `AskCard` shows it before sending).
 *
 * The schema check covers the JSON Schema keywords a question needs: `type` (one or a list),
 * `enum`, `const`, `minLength`, `maxLength`, `pattern`, `format: "email"`, `minimum`,
 * `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `properties`, `required`,
 * `additionalProperties: false`, `items`, `minItems`, `maxItems`. Other keywords are ignored.
 *
 * @packageDocumentation
 */
import type { AskChoice } from "./chunk.js";
import { describeValue as describe } from "./validate.js";

/** What a question needs to check an answer: its choices or its schema. */
export interface AskShape {
  choices?: readonly AskChoice[];
  schema?: Record<string, unknown>;
}

/** Choices as user code writes them (`"Publish"` or `{ label, value }`) as `{ label, value }`. */
export function normalizeChoices(choices: readonly unknown[]): unknown[] {
  return choices.map((choice) => {
    if (typeof choice === "string") return { label: choice, value: choice };
    if (typeof choice === "number" || typeof choice === "boolean")
      return { label: String(choice), value: choice };
    if (typeof choice === "object" && choice !== null && !Array.isArray(choice)) {
      const c = choice as Record<string, unknown>;
      if (typeof c.label !== "string" && c.value !== undefined) return { ...c, label: String(c.value) };
      if (c.value === undefined && typeof c.label === "string") return { ...c, value: c.label };
    }
    return choice;
  });
}

/** JSON equality of two JSON values (member order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bkeys = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return keys.length === bkeys.length && keys.every((k) => jsonEqual(ao[k], bo[k]));
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function fitsType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Why `value` does not fit the JSON schema `schema`, or `undefined` when it fits. `path` names
 * the place in the value (`value`, `value.name`, `value[2]`).
 */
export function checkSchema(
  schema: Record<string, unknown>,
  value: unknown,
  path = "value",
): string | undefined {
  const s = schema;
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => fitsType(value, t)))
      return `${path} must be ${types.map((t) => (t === "integer" ? "an integer" : t === "array" || t === "object" ? `an ${t}` : `a ${t}`)).join(" or ")}, got ${describe(value)}`;
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => jsonEqual(e, value)))
    return `${path} must be one of ${s.enum.map((e) => JSON.stringify(e)).join(", ")}, got ${describe(value)}`;
  if ("const" in s && !jsonEqual(s.const, value))
    return `${path} must be ${JSON.stringify(s.const)}, got ${describe(value)}`;
  if (typeof value === "string") {
    if (typeof s.minLength === "number" && value.length < s.minLength)
      return s.minLength === 1
        ? `${path} must not be empty`
        : `${path} must have at least ${s.minLength} characters`;
    if (typeof s.maxLength === "number" && value.length > s.maxLength)
      return `${path} must have at most ${s.maxLength} characters`;
    if (typeof s.pattern === "string") {
      let re: RegExp | undefined;
      try {
        re = new RegExp(s.pattern, "u");
      } catch {
        re = undefined;
      }
      if (re && !re.test(value)) return `${path} must match the pattern ${s.pattern}`;
    }
    if (s.format === "email" && !EMAIL.test(value)) return `${path} must be an email address`;
  }
  if (typeof value === "number") {
    if (typeof s.minimum === "number" && value < s.minimum) return `${path} must be at least ${s.minimum}`;
    if (typeof s.maximum === "number" && value > s.maximum) return `${path} must be at most ${s.maximum}`;
    if (typeof s.exclusiveMinimum === "number" && value <= s.exclusiveMinimum)
      return `${path} must be greater than ${s.exclusiveMinimum}`;
    if (typeof s.exclusiveMaximum === "number" && value >= s.exclusiveMaximum)
      return `${path} must be less than ${s.exclusiveMaximum}`;
    if (typeof s.multipleOf === "number" && s.multipleOf > 0 && !Number.isInteger(value / s.multipleOf))
      return `${path} must be a multiple of ${s.multipleOf}`;
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === "number" && value.length < s.minItems)
      return `${path} must have at least ${s.minItems} items`;
    if (typeof s.maxItems === "number" && value.length > s.maxItems)
      return `${path} must have at most ${s.maxItems} items`;
    if (typeof s.items === "object" && s.items !== null && !Array.isArray(s.items)) {
      for (let i = 0; i < value.length; i++) {
        const why = checkSchema(s.items as Record<string, unknown>, value[i], `${path}[${i}]`);
        if (why) return why;
      }
    }
  }
  if (typeOf(value) === "object") {
    const obj = value as Record<string, unknown>;
    const props =
      typeof s.properties === "object" && s.properties !== null
        ? (s.properties as Record<string, Record<string, unknown>>)
        : {};
    if (Array.isArray(s.required)) {
      for (const key of s.required as string[])
        if (obj[key] === undefined) return `${path}.${key} is missing`;
    }
    for (const [key, sub] of Object.entries(props)) {
      if (obj[key] === undefined) continue;
      const why = checkSchema(sub, obj[key], `${path}.${key}`);
      if (why) return why;
    }
    if (s.additionalProperties === false) {
      const extra = Object.keys(obj).find((k) => !(k in props));
      if (extra !== undefined) return `${path}.${extra} is not allowed`;
    }
  }
  return undefined;
}

/**
 * Why `value` is not an acceptable answer to the question, or `undefined` when it is one. With
 * choices the value must equal one choice's value; with a schema it must fit it; a question with
 * neither takes any string.
 *
 * @example
 * checkAnswer({ choices: [{ label: "Publish", value: "Publish" }] }, "Later")
 * // 'value must be one of "Publish", got the string "Later"'
 */
export function checkAnswer(ask: AskShape, value: unknown): string | undefined {
  if (value === undefined) return "value is missing";
  if (ask.choices && ask.choices.length > 0) {
    if (ask.choices.some((c) => jsonEqual(c.value, value))) return undefined;
    const allowed = ask.choices.map((c) => JSON.stringify(c.value)).join(", ");
    return `value must be one of ${allowed}, got ${describe(value)}`;
  }
  return checkSchema(ask.schema ?? { type: "string" }, value);
}

/**
 * The answer to a free-input question from the text the user typed: parsed as the schema's type
 * asks (`number`, `integer`, `boolean`, `object`/`array` as JSON), else the text itself.
 */
export function parseAnswerText(ask: AskShape, text: string): unknown {
  const t = ask.schema?.type;
  const types = Array.isArray(t) ? (t as string[]) : typeof t === "string" ? [t] : ["string"];
  if (types.includes("string")) return text;
  const trimmed = text.trim();
  if (
    (types.includes("number") || types.includes("integer")) &&
    trimmed !== "" &&
    Number.isFinite(Number(trimmed))
  )
    return Number(trimmed);
  if (types.includes("boolean") && /^(true|false)$/i.test(trimmed)) return trimmed.toLowerCase() === "true";
  if (types.includes("object") || types.includes("array") || types.includes("null")) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
