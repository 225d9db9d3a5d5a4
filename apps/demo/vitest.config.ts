import { defineProject } from "vitest/config";

/**
 * End-to-end tests: the built demo served by the real server (node apps/server/dist/main.js),
 * driven in Chromium (playwright-core, /usr/bin/chromium). Build first:
 * `pnpm exec turbo run build`, then `pnpm exec vitest run --project e2e` at the root.
 */
export default defineProject({
  test: {
    name: "e2e",
    environment: "node",
    include: ["e2e/**/*.test.ts"],
    globalSetup: ["e2e/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One browser, one server: the tests share them and run in order.
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
