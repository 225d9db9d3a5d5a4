/**
 * Parsing of tool-call arguments while they stream: incomplete JSON is parsed as far as it goes.
 *
 * Hand-written rather than the `partial-json` package: the kit's main entry has a 15 kB
 * min+gzip budget and this parser is a third of that library's size. It accepts exactly JSON
 * (RFC 8259) that may stop anywhere: an unfinished string value is kept as far as it goes, an
 * unfinished key, literal or number sign is dropped, open objects and arrays are closed.
 *
 * @packageDocumentation
 */
import { isPlainObject } from "../validate.js";

/** Thrown inside the parser when the text ends in the middle of a value that cannot be kept. */
const END = Symbol("end of input");

/**
 * Parses JSON text that may be cut off anywhere.
 *
 * @returns the value as far as it can be read
 * @throws SyntaxError when the text is malformed (not merely incomplete), or is empty
 */
export function parsePartialJson(text: string): unknown {
  let i = 0;
  const n = text.length;
  const fail = (): never => {
    throw new SyntaxError(`Unexpected character at position ${i} of partial JSON`);
  };
  /** The text ran out in the middle of a value that cannot be kept: skip to the end and unwind. */
  const end = (): never => {
    i = n;
    throw END;
  };
  const space = (): void => {
    while (i < n && " \t\n\r".includes(text[i] as string)) i++;
  };
  const string = (keepPartial: boolean): string => {
    let out = "";
    i++; // opening quote
    while (i < n) {
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === "\\") {
        const escaped = text[i + 1];
        if (escaped === undefined) break;
        if (escaped === "u") {
          const hex = text.slice(i + 2, i + 6);
          if (hex.length < 4) break;
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 6;
        } else {
          const simple = ({ b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" } as Record<string, string>)[escaped];
          out += simple ?? escaped;
          i += 2;
        }
        continue;
      }
      out += c;
      i++;
    }
    if (!keepPartial) return end();
    i = n;
    return out;
  };
  const value = (): unknown => {
    space();
    if (i >= n) return end();
    const c = text[i];
    if (c === "{") {
      i++;
      const object: Record<string, unknown> = {};
      for (;;) {
        space();
        if (i >= n) return object;
        if (text[i] === "}") {
          i++;
          return object;
        }
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] !== '"') fail();
        let key: string;
        try {
          key = string(false);
        } catch (e) {
          if (e === END) return object;
          throw e;
        }
        space();
        if (i >= n) return object;
        if (text[i] !== ":") fail();
        i++;
        try {
          // defineProperty, not assignment: a "__proto__" key is data, never the prototype.
          Object.defineProperty(object, key, {
            value: value(),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } catch (e) {
          if (e === END) return object;
          throw e;
        }
      }
    }
    if (c === "[") {
      i++;
      const array: unknown[] = [];
      for (;;) {
        space();
        if (i >= n) return array;
        if (text[i] === "]") {
          i++;
          return array;
        }
        if (text[i] === ",") {
          i++;
          continue;
        }
        try {
          array.push(value());
        } catch (e) {
          if (e === END) return array;
          throw e;
        }
      }
    }
    if (c === '"') return string(true);
    // A literal or number cut off before it can be read ("tr", "-", "1.", "2e") is dropped.
    if (
      /^(?:t(?:r(?:u)?)?|f(?:a(?:l(?:s)?)?)?|n(?:u(?:l)?)?|-|-?\d+\.|-?\d+(?:\.\d+)?[eE][+-]?)$/.test(
        text.slice(i),
      )
    ) {
      return end();
    }
    const literal = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (literal) {
      const token = literal[0];
      i += token.length;
      // A number cut off at the end may go on ("12" of "123"): keep it, it is the best reading so far.
      return token === "true" ? true : token === "false" ? false : token === "null" ? null : Number(token);
    }
    return fail();
  };
  try {
    return value();
  } catch (e) {
    if (e === END) throw new SyntaxError("Partial JSON holds no value yet");
    throw e;
  }
}

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
    const value = parsePartialJson(text);
    return isPlainObject(value) ? value : {};
  } catch {
    return previous;
  }
}
