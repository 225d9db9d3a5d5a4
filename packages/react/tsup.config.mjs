import { existsSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import { defineConfig } from "tsup";

// Types come from `tsc -p tsconfig.build.json` (TypeScript 7 has no compiler API for dts plugins).
// Entries: the main one, the markdown and sse subpaths, and the CopilotKit subpath once src/copilot exists.
const entry = {
  index: "src/index.ts",
  "markdown/index": "src/markdown/index.ts",
  "sse/index": "src/sse/index.ts",
};
if (existsSync("src/copilot/index.ts")) entry["copilot/index"] = "src/copilot/index.ts";

export default defineConfig({
  entry,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  dts: false,
  clean: true,
  sourcemap: true,
  splitting: true,
  // Every output file (entries and shared chunks) is a client module for React Server Components.
  banner: { js: '"use client";' },
  external: [
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
  },
});
