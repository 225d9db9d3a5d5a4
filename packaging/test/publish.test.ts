/**
 * Every publishable package as npm users get it: packed with `pnpm pack` (what `pnpm publish`
 * uploads), then judged on the tarball by publint (strict: warnings count as errors, every level
 * reported) and by arethetypeswrong with the ESM-only profile (the packages are ESM only: the
 * CommonJS resolutions, node10 and node16-from-CJS, are not judged). publint skips files behind
 * custom conditions, so the `@agentstream/source` targets are checked here: every file an export of
 * any condition, `main`, `types` or `bin` names must be in the tarball.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  entryFiles,
  type Manifest,
  pack,
  packagingDir,
  publishablePackages,
  tarballFiles,
  tarballManifest,
} from "../lib/packages.js";

const packages = publishablePackages();
const tarballs = new Map<string, string>();
let destination: string;

beforeAll(() => {
  destination = mkdtempSync(join(tmpdir(), "agentstream-pack-"));
  for (const pkg of packages) tarballs.set(pkg.name, pack(pkg, destination));
});
afterAll(() => rmSync(destination, { recursive: true, force: true }));

const tarballOf = (name: string): string => {
  const tarball = tarballs.get(name);
  if (!tarball) throw new Error(`${name} was not packed`);
  return tarball;
};

/**
 * Dependencies that stay exact on purpose: `@ag-ui/*` and `rxjs` at the versions
 * `@copilotkit/runtime` pins (0.0.59 and 7.8.1), or two copies of them fight.
 */
const EXACT_ON_PURPOSE = /^(@ag-ui\/(client|core|encoder)@0\.0\.59|rxjs@7\.8\.1)$/;

/** Export subpaths that are not modules (a stylesheet): arethetypeswrong has no types to find there. */
const notModules = (manifest: Manifest): string[] =>
  Object.entries(manifest.exports ?? {})
    .filter(([, target]) => typeof target === "object" && !("types" in target))
    .map(([subpath]) => subpath);

describe("the publishable packages", () => {
  it("are the six packages under packages/", () => {
    expect(packages.map((p) => p.name)).toEqual([
      "@agentstream/agents",
      "@agentstream/cli",
      "@agentstream/core",
      "@agentstream/react",
      "@agentstream/runner-redis",
      "@agentstream/runtime",
    ]);
  });
});

describe.each(packages)("$name, packed", (pkg) => {
  it("publint (strict) reports nothing", async () => {
    const data = readFileSync(tarballOf(pkg.name));
    const tarball = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
    const { messages, pkg: manifest } = await publint({
      pack: { tarball },
      level: "suggestion",
      strict: true,
    });
    const lines = messages.map((m) => `${m.type} ${m.code}: ${formatMessage(m, manifest, { color: false })}`);
    expect(lines).toEqual([]);
  });

  it("arethetypeswrong --profile esm-only finds no problem", () => {
    const excluded = notModules(pkg.manifest);
    const args = [
      tarballOf(pkg.name),
      "--profile",
      "esm-only",
      "--format",
      "json",
      "--no-definitely-typed",
      ...(excluded.length > 0 ? ["--exclude-entrypoints", ...excluded] : []),
    ];
    const run = spawnSync(join(packagingDir, "node_modules/.bin/attw"), args, { encoding: "utf8" });
    const report = JSON.parse(run.stdout) as {
      analysis: { problems?: { kind: string; entrypoint: string; resolutionKind?: string }[] };
    };
    // The profile ignores the CommonJS resolutions; attw's exit code says whether anything else failed.
    const judged = (report.analysis.problems ?? []).filter(
      (p) => p.resolutionKind !== "node10" && p.resolutionKind !== "node16-cjs",
    );
    expect(judged).toEqual([]);
    expect(run.status, run.stderr).toBe(0);
  });

  it("every entry file (exports of every condition, main, types, bin) is in the tarball", () => {
    const files = new Set(tarballFiles(tarballOf(pkg.name)));
    const missing = entryFiles(pkg.manifest).filter((file) => !files.has(file));
    expect(missing).toEqual([]);
    expect(files.has("LICENSE") && files.has("README.md")).toBe(true);
    // src ships for the @agentstream/source condition; tests and stories do not.
    expect([...files].filter((f) => /\.(test|stories)\.tsx?$/.test(f))).toEqual([]);
  });

  it("the published manifest: engines node >=20, ranges, no workspace: specifiers, a default condition", () => {
    const published = tarballManifest(tarballOf(pkg.name));
    expect(published.engines).toEqual({ node: ">=20" });
    const specs = { ...published.dependencies, ...published.peerDependencies };
    for (const [name, spec] of Object.entries(specs)) {
      expect(spec, name).not.toMatch(/^workspace:/);
      if (/^\d/.test(spec))
        expect(`${name}@${spec}`, "an exact pin not listed as intended").toMatch(EXACT_ON_PURPOSE);
    }
    for (const [subpath, target] of Object.entries(published.exports ?? {})) {
      if (typeof target === "string") continue;
      const keys = Object.keys(target);
      expect(keys.at(-1), `${subpath}: default comes last`).toBe("default");
      if ("import" in target) expect(target.default, subpath).toBe(target.import);
    }
  });
});
