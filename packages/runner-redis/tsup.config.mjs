import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

// Types come from `tsc -p tsconfig.build.json`; every dependency stays external.
const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

export default defineConfig({
  entry: ["src/index.ts"],
  format: "esm",
  platform: "node",
  target: "node20",
  dts: false,
  clean: false,
  sourcemap: true,
  external: Object.keys(pkg.dependencies ?? {}),
});
