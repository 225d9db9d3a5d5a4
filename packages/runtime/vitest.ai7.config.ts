import { defineProject } from "vitest/config";
import { sharedResolve } from "../../vitest.shared.js";

// The AI SDK adapter's tests once more, against `ai` 7 (the devDependency alias `ai7`): every import
// of `ai` and `ai/test` in them resolves to ai 7 here. vitest.config.ts runs them against ai 6.
export default defineProject({
  ...sharedResolve,
  resolve: {
    ...sharedResolve.resolve,
    alias: [{ find: /^ai(\/test)?$/, replacement: "ai7$1" }],
  },
  test: {
    name: "runtime-ai7",
    environment: "node",
    include: ["test/ai-sdk.test.ts"],
    env: { COPILOTKIT_TELEMETRY_DISABLED: "true", DO_NOT_TRACK: "1", AI_SDK_MAJOR: "7" },
    testTimeout: 20_000,
  },
});
