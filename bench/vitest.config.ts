import { defineProject } from "vitest/config";
// The shared settings also install the Map.groupBy polyfill vitest's reporter needs on Node 20.
import "../vitest.shared.js";

// The bench smoke test: each suite runs in smoke mode (tiny sizes, one repetition) in a child
// process and the test checks only that it produced finite figures. No timed assertions.
export default defineProject({
  test: {
    name: "bench",
    environment: "node",
    include: ["test/**/*.test.ts"],
    env: { COPILOTKIT_TELEMETRY_DISABLED: "true", DO_NOT_TRACK: "1" },
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
