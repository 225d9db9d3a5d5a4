import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig } from "vite";

const server = process.env.AGENTSTREAM_SERVER_URL ?? "http://127.0.0.1:4000";

/**
 * `vite` (dev): workspace packages resolve to their TypeScript sources through the
 * "@agentstream/source" export condition, so edits in packages/* hot-reload here; /api goes to
 * the AgentStream server (AGENTSTREAM_SERVER_URL, default http://127.0.0.1:4000).
 * `vite build`: the packages' built dist, as an installed app would get them.
 */
export default defineConfig(({ command }) => ({
  plugins: [react()],
  resolve: {
    conditions:
      command === "serve"
        ? ["@agentstream/source", ...defaultClientConditions]
        : [...defaultClientConditions],
    // One copy of each: the kit and the demo must share React, CopilotKit's context and zod.
    dedupe: ["react", "react-dom", "@copilotkit/react-core", "zod"],
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    proxy: {
      "/api": { target: server },
      "/healthz": { target: server },
    },
  },
  preview: { host: "127.0.0.1", port: 4173 },
  build: {
    outDir: "dist",
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
  },
}));
