import { defineProject } from "vitest/config";
import { sharedResolve, sourceConditions } from "../../vitest.shared.js";

export default defineProject({
  ...sharedResolve,
  // Without the shared "module" condition: OpenTelemetry's "module" builds import files without
  // extensions (for bundlers) and fail in Node; Node itself picks their CommonJS builds.
  ssr: {
    resolve: {
      conditions: sourceConditions.filter((c) => c !== "module"),
      externalConditions: ["@agentstream/source"],
    },
  },
  test: {
    name: "server",
    environment: "node",
    include: ["test/**/*.test.ts"],
    env: { COPILOTKIT_TELEMETRY_DISABLED: "true", DO_NOT_TRACK: "1" },
    testTimeout: 20_000,
  },
});
