import { defineConfig } from "tsup";

// Types come from `tsc -p tsconfig.build.json` (TypeScript 7 has no compiler API for dts plugins).
// eventsource-parser is bundled so that @ag-ui/core stays the only runtime dependency.
export default defineConfig({
  entry: ["src/index.ts", "src/internal.ts"],
  format: "esm",
  platform: "neutral",
  target: "es2022",
  dts: false,
  clean: false,
  sourcemap: true,
  noExternal: ["eventsource-parser"],
});
