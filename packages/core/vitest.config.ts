import { defineProject } from "vitest/config";
import { sharedResolve } from "../../vitest.shared.js";

export default defineProject({
  ...sharedResolve,
  test: { name: "core", environment: "node", include: ["test/**/*.test.ts"] },
});
