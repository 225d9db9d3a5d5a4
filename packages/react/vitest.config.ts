import { defineProject } from "vitest/config";
import { sharedResolve } from "../../vitest.shared.js";

export default defineProject({
  ...sharedResolve,
  test: {
    name: "react",
    environment: "happy-dom",
    include: ["test/**/*.test.tsx"],
    setupFiles: ["test/setup.ts"],
  },
});
