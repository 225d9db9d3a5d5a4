import { defineProject } from "vitest/config";
import { sharedResolve } from "../../vitest.shared.js";

export default defineProject({
  ...sharedResolve,
  test: {
    name: "runtime",
    environment: "node",
    include: ["test/**/*.test.ts"],
    env: { COPILOTKIT_TELEMETRY_DISABLED: "true", DO_NOT_TRACK: "1", AI_SDK_MAJOR: "6" },
    testTimeout: 20_000,
  },
});
