/**
 * Parsing of tool-call arguments while they stream: partial JSON is parsed as far as it goes
 * (via the `partial-json` package, bundled into dist).
 *
 * @packageDocumentation
 */
import { Allow, parse } from "partial-json";
import { isPlainObject } from "../validate.js";

/**
 * Parses the (possibly incomplete) JSON text of a tool call's arguments.
 *
 * @param text - the JSON text received so far
 * @param previous - returned when the text is malformed (not merely incomplete)
 * @returns the arguments object as far as it can be parsed; `{}` for empty text or a non-object
 */
export function parsePartialArgs(
  text: string,
  previous: Record<string, unknown> = {},
): Record<string, unknown> {
  if (text.trim() === "") return {};
  try {
    const value: unknown = parse(text, Allow.ALL);
    return isPlainObject(value) ? value : {};
  } catch {
    return previous;
  }
}
