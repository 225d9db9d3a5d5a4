#!/usr/bin/env node
/**
 * Packs the @agentstream/* packages the examples install, as npm would publish them: `pnpm pack`
 * in each package (pnpm rewrites `workspace:*` to the version), renamed without the version so
 * the examples' `file:` paths stay put: `<dest>/agentstream-<name>.tgz`.
 *
 * Usage (from the repository root, after `pnpm exec turbo run build`):
 *   node examples/pack.mjs [dest]     # dest defaults to examples/packs
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
/** The packages an example may install (their dependencies among themselves included). */
export const PACKED = ["core", "runtime", "agents", "react"];

export function pack(dest = join(here, "packs")) {
  mkdirSync(dest, { recursive: true });
  const out = {};
  for (const name of PACKED) {
    const scratch = mkdtempSync(join(tmpdir(), `agentstream-pack-${name}-`));
    try {
      execFileSync("pnpm", ["pack", "--pack-destination", scratch], {
        cwd: join(root, "packages", name),
        stdio: ["ignore", "ignore", "inherit"],
      });
      const [file] = readdirSync(scratch).filter((f) => f.endsWith(".tgz"));
      if (!file) throw new Error(`pnpm pack wrote no tarball for packages/${name}`);
      const target = join(dest, `agentstream-${name}.tgz`);
      renameSync(join(scratch, file), target);
      out[`@agentstream/${name}`] = target;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = pack(process.argv[2] ? resolve(process.argv[2]) : undefined);
  for (const [name, file] of Object.entries(written)) console.log(`${name} -> ${file}`);
}
