/**
 * A small RFC 6902 JSON Patch applier (add, remove, replace, move, copy, test) for STATE_DELTA
 * and ACTIVITY_DELTA events. Immutable: returns a new document and never mutates the input
 * (only the containers on the patched paths are copied).
 *
 * @packageDocumentation
 */
import { isPlainObject } from "../validate.js";

/** One RFC 6902 operation. */
export interface JsonPatchOperation {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  value?: unknown;
  from?: string;
}

function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new Error(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function get(doc: unknown, tokens: string[]): unknown {
  let cur = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isPlainObject(cur)) cur = cur[t];
    else return undefined;
  }
  return cur;
}

function shallowCopy(node: unknown): unknown {
  if (Array.isArray(node)) return node.slice();
  if (isPlainObject(node)) return { ...node };
  throw new Error("path does not exist");
}

function setAt(doc: unknown, tokens: string[], mode: "add" | "replace" | "remove", value?: unknown): unknown {
  if (tokens.length === 0) return mode === "remove" ? undefined : value;
  const [head, ...rest] = tokens as [string, ...string[]];
  const copy = shallowCopy(doc);
  if (Array.isArray(copy)) {
    const idx = head === "-" ? copy.length : Number(head);
    if (!Number.isInteger(idx) || idx < 0 || idx > copy.length)
      throw new Error(`invalid array index "${head}"`);
    if (rest.length > 0) copy[idx] = setAt(copy[idx], rest, mode, value);
    else if (mode === "add") copy.splice(idx, 0, value);
    else if (mode === "replace") copy[idx] = value;
    else copy.splice(idx, 1);
    return copy;
  }
  const obj = copy as Record<string, unknown>;
  if (rest.length > 0) obj[head] = setAt(obj[head], rest, mode, value);
  else if (mode === "remove") delete obj[head];
  else obj[head] = value;
  return obj;
}

/**
 * Applies a JSON patch and returns the new document.
 *
 * @param doc - the document (not modified)
 * @param patch - RFC 6902 operations
 * @throws Error on a malformed operation or a failing `test`
 */
export function applyJsonPatch(doc: unknown, patch: readonly JsonPatchOperation[]): unknown {
  let cur = doc;
  for (const op of patch) {
    const path = parsePointer(op.path);
    switch (op.op) {
      case "add":
        cur = setAt(cur, path, "add", op.value);
        break;
      case "replace":
        cur = setAt(cur, path, "replace", op.value);
        break;
      case "remove":
        cur = setAt(cur, path, "remove");
        break;
      case "move": {
        const from = parsePointer(op.from ?? "");
        const v = get(cur, from);
        cur = setAt(setAt(cur, from, "remove"), path, "add", v);
        break;
      }
      case "copy":
        cur = setAt(cur, path, "add", structuredCloneJson(get(cur, parsePointer(op.from ?? ""))));
        break;
      case "test":
        if (JSON.stringify(get(cur, path)) !== JSON.stringify(op.value))
          throw new Error(`test failed at "${op.path}"`);
        break;
      default:
        throw new Error(`unknown JSON patch op "${String((op as { op: unknown }).op)}"`);
    }
  }
  return cur;
}

function structuredCloneJson(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}
