/**
 * The workspace's publishable packages (packages/* without `private`), packed as `pnpm publish`
 * would pack them: `pnpm pack` applies `files` and rewrites `workspace:` specifiers.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const workspaceRoot = resolve(import.meta.dirname, "../..");
export const packagingDir = resolve(import.meta.dirname, "..");

/** The fields of a manifest these checks read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  main?: string;
  types?: string;
  bin?: string | Record<string, string>;
  files?: string[];
  engines?: Record<string, string>;
  exports?: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export interface Publishable {
  name: string;
  dir: string;
  manifest: Manifest;
}

export function publishablePackages(): Publishable[] {
  const dir = join(workspaceRoot, "packages");
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "package.json")))
    .map((entry) => {
      const manifest = JSON.parse(readFileSync(join(dir, entry.name, "package.json"), "utf8")) as Manifest;
      return { name: manifest.name, dir: join(dir, entry.name), manifest };
    })
    .filter((pkg) => pkg.manifest.private !== true)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Every file an export, `main`, `types` or `bin` names, relative to the package (no "./"). */
export function entryFiles(manifest: Manifest): string[] {
  const files = new Set<string>();
  const add = (path: string | undefined) => {
    if (path) files.add(path.replace(/^\.\//, ""));
  };
  for (const target of Object.values(manifest.exports ?? {})) {
    if (typeof target === "string") add(target);
    else for (const path of Object.values(target)) add(path);
  }
  add(manifest.main);
  add(manifest.types);
  if (typeof manifest.bin === "string") add(manifest.bin);
  else for (const path of Object.values(manifest.bin ?? {})) add(path);
  return [...files].sort();
}

/** Fails with a clear message when a package's built files are missing (the checks read dist/). */
export function assertBuilt(pkg: Publishable): void {
  const missing = entryFiles(pkg.manifest).filter((file) => !existsSync(join(pkg.dir, file)));
  if (missing.length > 0)
    throw new Error(
      `${pkg.name} is not built (missing ${missing.join(", ")}): run \`pnpm exec turbo run build\` first`,
    );
}

/** Packs a package into `destination` with `pnpm pack`; returns the tarball's path. */
export function pack(pkg: Publishable, destination: string): string {
  assertBuilt(pkg);
  execFileSync("pnpm", ["pack", "--pack-destination", destination], {
    cwd: pkg.dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tarball = join(
    destination,
    `${pkg.name.replace(/^@/, "").replace("/", "-")}-${pkg.manifest.version}.tgz`,
  );
  if (!existsSync(tarball)) throw new Error(`pnpm pack did not write ${tarball}`);
  return tarball;
}

/** The paths in a tarball, relative to its `package/` folder. */
export function tarballFiles(tarball: string): string[] {
  return execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map((path) => path.replace(/^package\//, ""));
}

/** The package.json inside a tarball (what the registry would serve). */
export function tarballManifest(tarball: string): Manifest {
  return JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }));
}
