import { defineProject } from "vitest/config";

/**
 * The examples as users get them: each example is copied out of the repository, installed with
 * npm from our packed tarballs (no workspace links), built, started on a free port and used
 * (Chromium through playwright-core for the pages, fetch for the API). Slow by nature (npm
 * installs, `next build`), so the project runs after every other project (`groupOrder`) and its
 * files one at a time. Run alone: `pnpm exec vitest run --project examples` at the root.
 */
export default defineProject({
  test: {
    name: "examples",
    environment: "node",
    include: ["test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 900_000,
    fileParallelism: false,
    sequence: { concurrent: false, groupOrder: 1 },
  },
});
