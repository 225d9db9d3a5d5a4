/**
 * What each entry of `@agentstream/runtime` loads, read off the built files (the module graph of
 * dist/<entry>.js: its own chunks followed, every other specifier collected): the main entry, which
 * a Next.js route file or Hono imports, loads no Express and none of the Node adapter (its HTTP
 * bridge and zlib); the `/node` and `/express` entries do; the `/edge` entry loads neither
 * CopilotKit's runtime nor Prometheus nor any Node built-in an edge runtime lacks.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dist = resolve(dirname(fileURLToPath(import.meta.url)), "../../packages/runtime/dist");
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g;

/** The bare (non-relative) specifiers the graph of `entry` imports, statically or dynamically. */
function importsOf(entry: string): Set<string> {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, "utf8").matchAll(SPECIFIER)) {
      if (spec === undefined) continue;
      if (spec.startsWith(".")) visit(join(dirname(file), spec));
      else bare.add(spec);
    }
  };
  visit(join(dist, entry));
  return bare;
}

describe("@agentstream/runtime's entries", () => {
  it("the main entry loads no Express and no Node adapter", () => {
    const main = importsOf("index.js");
    expect(main.has("@copilotkit/runtime/v2")).toBe(true); // the graph was read
    expect(
      [...main].filter((s) => /^(express|@remix-run\/node-fetch-server|node:zlib|zlib)$/.test(s)),
    ).toEqual([]);
  });

  it("/node loads the Node adapter, /express loads Express", () => {
    const node = importsOf("node.js");
    expect(node.has("@remix-run/node-fetch-server")).toBe(true);
    expect(node.has("node:zlib") || node.has("zlib")).toBe(true); // esbuild may drop the node: prefix
    expect(node.has("express")).toBe(false);
    expect(importsOf("express.js").has("express")).toBe(true);
  });

  it("/edge loads no CopilotKit runtime, no Prometheus, and no Node built-in but async_hooks", () => {
    const edge = importsOf("edge.js");
    expect(edge.has("@agentstream/core")).toBe(true); // the graph was read
    const builtins = new Set([
      "async_hooks",
      "crypto",
      "fs",
      "path",
      "http",
      "https",
      "net",
      "stream",
      "zlib",
      "os",
      "url",
      "util",
      "events",
      "buffer",
      "child_process",
      "worker_threads",
    ]);
    const offending = [...edge].filter(
      (s) =>
        s.startsWith("@copilotkit/") ||
        s === "prom-client" ||
        s === "express" ||
        ((s.startsWith("node:") || builtins.has(s)) && s.replace(/^node:/, "") !== "async_hooks"),
    );
    expect(offending).toEqual([]);
  });
});
