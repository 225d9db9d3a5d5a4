import { defineProject } from "vitest/config";
import { sharedResolve } from "../../vitest.shared.js";

export default defineProject({
  ...sharedResolve,
  test: {
    name: "runner-redis",
    environment: "node",
    include: ["test/**/*.test.ts"],
    env: { COPILOTKIT_TELEMETRY_DISABLED: "true", DO_NOT_TRACK: "1" },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file starts its own redis-server (and server processes): keep the 2 CPUs calm.
    fileParallelism: false,
  },
});
