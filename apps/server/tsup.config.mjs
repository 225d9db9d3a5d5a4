import { defineConfig } from "tsup";

// One file, dist/main.js. Dependencies (the workspace runtime and, through it, CopilotKit) stay
// external and are loaded from node_modules at run time.
export default defineConfig({
  entry: ["src/main.ts"],
  format: "esm",
  platform: "node",
  target: "node20",
  dts: false,
  clean: true,
  sourcemap: true,
  external: [
    "@agentstream/runtime",
    "@agentstream/runner-redis",
    "@agentstream/agents",
    "@ag-ui/client",
    "@ag-ui/core",
    "rxjs",
  ],
});
