import { defineProject } from "vitest/config";
import { sharedResolve } from "../../vitest.shared.js";

export default defineProject({
  ...sharedResolve,
  test: {
    name: "agents",
    environment: "node",
    include: ["test/**/*.test.ts"],
    env: { COPILOTKIT_TELEMETRY_DISABLED: "true", DO_NOT_TRACK: "1" },
    testTimeout: 20_000,
  },
});
