import { defineConfig } from "tsup";

// Types come from `tsc -p tsconfig.build.json` (TypeScript 7 has no compiler API for dts plugins).
// Every source file is transpiled to its own dist file (no bundling): with `"sideEffects": false`
// an app's bundler drops every file it does not use, so a component that needs one helper of
// core does not carry the module-level tables of the rest (a bundled dist did: the kit's
// ProgressBar alone was 1.33 KiB instead of 0.8). eventsource-parser is therefore a dependency.
export default defineConfig({
  entry: ["src/**/*.ts"],
  format: "esm",
  platform: "neutral",
  target: "es2022",
  dts: false,
  clean: false,
  sourcemap: true,
  bundle: false,
});
