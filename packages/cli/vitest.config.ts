import { defineProject } from "vitest/config";
import { sharedResolve } from "../../vitest.shared.js";

export default defineProject({
  ...sharedResolve,
  test: {
    name: "cli",
    environment: "node",
    include: ["test/**/*.test.ts"],
    // Every test starts the CLI as a process (several, some) against a real server: on a loaded
    // machine one start takes seconds. The timeout is a guard against a hang, not a speed check.
    testTimeout: 60_000,
  },
});
