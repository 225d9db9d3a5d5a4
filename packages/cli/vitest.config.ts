import { defineProject } from "vitest/config";
import { sharedResolve } from "../../vitest.shared.js";

export default defineProject({
  ...sharedResolve,
  test: { name: "cli", environment: "node", include: ["test/**/*.test.ts"] },
});
