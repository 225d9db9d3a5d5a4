import { copyFile, mkdir } from "node:fs/promises";
import { defineConfig } from "tsup";

// Types come from `tsc -p tsconfig.build.json` (TypeScript 7 has no compiler API for dts plugins).
// Every source file is transpiled to its own dist file (no bundling, no shared chunks): with
// `"sideEffects"` in package.json an app's bundler then drops every file it does not use, so
// importing one component costs what that component needs (a bundled dist kept module-level code
// of unused components: ProgressBar alone was 1.33 KiB instead of 0.8).
const entry = [
  "src/**/*.ts",
  "src/**/*.tsx",
  "!src/**/*.stories.tsx",
  "!src/**/*.test.ts",
  "!src/**/*.test.tsx",
  "!src/docs/**",
  // The standalone page is bundled on its own (scripts/build-dashboard-page.mjs).
  "!src/dashboard/standalone.tsx",
];

export default defineConfig({
  entry,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  dts: false,
  clean: true,
  sourcemap: true,
  bundle: false,
  // Every output file is a client module for React Server Components.
  banner: { js: '"use client";' },
  external: [
    "uplot",
    "react",
    "react-dom",
    "react/jsx-runtime",
    "@agentstream/core",
    /^@copilotkit\//,
    "react-markdown",
    "remend",
    "zod",
    /^@ag-ui\//,
    "rxjs",
  ],
  esbuildOptions(options) {
    options.jsx = "automatic";
  },
  async onSuccess() {
    await mkdir("dist", { recursive: true });
    await copyFile("src/styles.css", "dist/styles.css");
    await copyFile("src/dashboard.css", "dist/dashboard.css");
  },
});
