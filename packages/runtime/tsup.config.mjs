import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

// Types come from `tsc -p tsconfig.build.json` (TypeScript 7 has no compiler API for dts plugins).
// Every dependency stays external; the knowledge corpus ships as a file (package.json "files").
const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

export default defineConfig({
  entry: ["src/index.ts", "src/node.ts", "src/express.ts", "src/runner.ts", "src/edge.ts"],
  format: "esm",
  platform: "node",
  target: "node20",
  dts: false,
  clean: false,
  sourcemap: true,
  external: [
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    /^@copilotkit\/runtime\//,
  ],
});
