import { defineProject } from "vitest/config";
// The shared settings also install the Map.groupBy polyfill vitest's reporter needs on Node 20.
import "../vitest.shared.js";

// The packed packages, checked as npm users get them. They read the built dist/ of every package
// (turbo builds them first: they are this project's devDependencies). The consumer test installs
// the tarballs with pnpm from the registry (packages already in the store are not downloaded).
export default defineProject({
  test: {
    name: "packaging",
    environment: "node",
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
