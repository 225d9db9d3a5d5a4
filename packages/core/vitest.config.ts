import { defineProject } from "vitest/config";
import { sharedResolve } from "../../vitest.shared.js";

export default defineProject({
  ...sharedResolve,
  // Property tests run hundreds of cases: 4.6 s of a 5 s default on a loaded CI machine. Nothing
  // here is timed; the timeout only catches a hang.
  test: { name: "core", environment: "node", include: ["test/**/*.test.ts"], testTimeout: 30_000 },
});
