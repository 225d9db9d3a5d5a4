import { defineConfig } from "vitest/config";
import "./vitest.shared.js";

// One run for the whole workspace: every package or app with a vitest config is a project.
export default defineConfig({
  test: {
    projects: [
      "packages/*/vitest.config.ts",
      "packages/react/vitest.browser.config.ts",
      "packages/runtime/vitest.ai7.config.ts",
      "apps/*/vitest.config.ts",
      "bench/vitest.config.ts",
      "packaging/vitest.config.ts",
      "vitest.storybook.config.ts",
      "examples/vitest.config.ts",
    ],
  },
});
