/**
 * A locked-down mathjs instance for the calculator: no `import`, `createUnit`, nested
 * `evaluate`/`parse`/`compile`, symbolic functions, or functions that allocate or loop by a
 * size given in the expression (`ones`, `zeros`, `range`, `combinations`, …). Expressions are
 * length-limited and evaluated in a fresh, empty scope.
 *
 * @packageDocumentation
 */
import { all, create, type MathNode } from "mathjs";

const math = create(all as NonNullable<typeof all>, {});
const evaluateExpression = math.evaluate;
const parseExpression = math.parse;
const format = math.format;

/** Functions unreachable from expressions. */
export const DISABLED_FUNCTIONS = [
  "import",
  "createUnit",
  "evaluate",
  "parse",
  "compile",
  "parser",
  "simplify",
  "simplifyConstant",
  "simplifyCore",
  "derivative",
  "resolve",
  "rationalize",
  "reviver",
  "replacer",
  "ones",
  "zeros",
  "identity",
  "range",
  "resize",
  "reshape",
  "diag",
  "random",
  "randomInt",
  "pickRandom",
  "combinations",
  "combinationsWithRep",
  "permutations",
  "stirlingS2",
  "bellNumbers",
  "catalan",
  "composition",
  "multinomial",
  "kron",
  "map",
  "forEach",
  "apply",
  "sparse",
] as const;

const disabled: Record<string, () => never> = {};
for (const name of DISABLED_FUNCTIONS) {
  if (name in math) {
    disabled[name] = () => {
      throw new Error(`Function ${name} is disabled`);
    };
  }
}
math.import(disabled, { override: true });

/** Longest expression accepted. */
export const MAX_EXPRESSION_LENGTH = 300;

/** One step of a calculation. */
export interface CalcStep {
  expression: string;
  value: string;
}

/** A finished calculation. */
export interface Calculation {
  expression: string;
  /** The value, formatted (units kept). */
  result: string;
  /** Sub-expressions evaluated innermost first. */
  steps: CalcStep[];
}

const fmt = (value: unknown): string => format(value, { precision: 10 });

/** Evaluates one expression safely. @throws with a readable message */
export function calculate(expression: string): Calculation {
  const expr = expression.trim();
  if (!expr) throw new Error("Empty expression");
  if (expr.length > MAX_EXPRESSION_LENGTH)
    throw new Error(`Expression longer than ${MAX_EXPRESSION_LENGTH} characters`);
  const node = parseExpression(expr);
  const steps: CalcStep[] = [];
  const inner: { node: MathNode; depth: number }[] = [];
  const walk = (n: MathNode, depth: number) => {
    n.forEach((child) => {
      walk(child, depth + 1);
    });
    if ((n.type === "OperatorNode" || n.type === "FunctionNode") && n.toString() !== expr)
      inner.push({ node: n, depth });
  };
  if (node.type !== "BlockNode" && node.type !== "AssignmentNode" && node.type !== "FunctionAssignmentNode")
    walk(node, 0);
  inner.sort((a, b) => b.depth - a.depth);
  const seen = new Set<string>();
  for (const { node: n } of inner) {
    const text = n.toString();
    if (seen.has(text) || /^-?[\d.]+$/.test(text)) continue;
    seen.add(text);
    try {
      const value = fmt(evaluateExpression(text, {}));
      // "5 km = 5 km" teaches nothing
      if (value.replace(/\s+/g, "") !== text.replace(/\s+/g, "")) steps.push({ expression: text, value });
    } catch {
      // a sub-expression may not stand alone (e.g. a unit conversion operand); skip it
    }
    if (steps.length >= 8) break;
  }
  const value: unknown = evaluateExpression(expr, {});
  const shown = (value as { entries?: unknown[] })?.entries
    ? (value as { entries: unknown[] }).entries.at(-1)
    : value;
  if (typeof shown === "function")
    throw new Error("The expression defines a function; call it too, e.g. f(x) = x^2; f(3)");
  const result = fmt(shown);
  if (result.length > 2_000) throw new Error("Result too large to show");
  steps.push({ expression: node.toString(), value: result });
  return { expression: expr, result, steps };
}

/**
 * Pulls the expression out of a message: "What is 2 + 2?" → "2 + 2", "convert 5 km to miles" →
 * "5 km to miles", "15% of 80" → "15 / 100 * 80", "3 × 4" → "3 * 4".
 */
export function extractExpression(message: string): string {
  let text = message.trim();
  const code = /`([^`]+)`/.exec(text);
  if (code?.[1]) text = code[1];
  text = text
    .replace(/^\s*(?:hey|hi|ok|please|pls|can you|could you)[\s,]+/i, "")
    .replace(
      /^\s*(?:please\s+)?(?:calculate|compute|evaluate|eval|solve|work out|what(?:'s| is)|how much is|convert|calc)\b[:\s]*/i,
      "",
    )
    .replace(/[?!]+\s*$/, "")
    .replace(/\s*=\s*$/, "")
    .replace(/×/g, "*")
    .replace(/÷/g, "/")
    .replace(/−/g, "-")
    .replace(/(\d)\s*x\s*(?=\d)/gi, "$1 * ")
    .replace(/(\d+(?:\.\d+)?)\s*%\s*of\s+/gi, "$1 / 100 * ")
    .replace(/\bsquare root of\s+([\d.]+)/gi, "sqrt($1)")
    .replace(/\b(plus)\b/gi, "+")
    .replace(/\b(minus)\b/gi, "-")
    .replace(/\b(times|multiplied by)\b/gi, "*")
    .replace(/\b(divided by|over)\b/gi, "/")
    .replace(/\bin\b(?=\s+[a-z]+\s*$)/i, "to")
    .replace(/\.\s*$/, "")
    .trim();
  return text;
}

/** True when the message looks like arithmetic or a unit conversion. */
export function looksLikeMath(message: string): boolean {
  const text = message.trim();
  if (/^\s*(?:please\s+)?(?:calculate|compute|evaluate|eval|solve|calc)\b/i.test(text)) return true;
  if (/\bconvert\b.*\d/i.test(text) || /\d\s*[a-z°]+\s+(?:to|in)\s+[a-z°]+\s*\??$/i.test(text)) return true;
  if (/\d+(?:\.\d+)?\s*%\s*of\s+\d/i.test(text)) return true;
  const expr = extractExpression(text);
  if (!/\d/.test(expr) || expr.length > MAX_EXPRESSION_LENGTH) return false;
  if (!/[-+*/^()]|sqrt|sin|cos|tan|log|exp|abs|\bto\b/.test(expr)) return false;
  try {
    parseExpression(expr);
    // mostly symbols and numbers, few words
    const wordCount = (expr.match(/[a-z]{3,}/gi) ?? []).length;
    return wordCount <= 4;
  } catch {
    return false;
  }
}
