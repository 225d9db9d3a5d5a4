import { defineConfig } from "tsup";

// Types come from `tsc -p tsconfig.build.json` (TypeScript 7 has no compiler API for dts plugins).
export default defineConfig({
  entry: ["src/index.ts", "src/main.ts"],
  format: "esm",
  platform: "node",
  target: "node20",
  dts: false,
  clean: false,
  sourcemap: true,
});
