/**
 * esbuild helpers: the workspace packages are bundled from their TypeScript sources (the
 * `@agentstream/source` export condition), so every run measures the code as it is now.
 *
 * @packageDocumentation
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** bench/ */
export const benchDir = join(dirname(fileURLToPath(import.meta.url)), "../..");
/** bench/.cache/: build outputs (git-ignored by bench/.gitignore). */
export const cacheDir = join(benchDir, ".cache");

/** Creates and returns bench/.cache/<sub>. */
export function cachePath(...sub: string[]): string {
  const p = join(cacheDir, ...sub);
  mkdirSync(dirname(p), { recursive: true });
  return p;
}

/** The export condition that selects the workspace packages' sources. */
export const SOURCE_CONDITION = "@agentstream/source";
