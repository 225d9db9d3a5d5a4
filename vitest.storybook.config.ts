import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { storybookTest } from "@storybook/addon-vitest/vitest-plugin";
import { playwright } from "@vitest/browser-playwright";
import { defaultClientConditions } from "vite";
import { defineProject } from "vitest/config";
import { chromiumLaunchOptions } from "./chromium.shared.js";
// Also installs the Map.groupBy polyfill vitest's reporter needs on Node 20.
import { sourceConditions } from "./vitest.shared.js";

const root = dirname(fileURLToPath(import.meta.url));

// Browser conditions first from the shared list ("@agentstream/source": workspace packages resolve
// to their TypeScript sources), then vite's client defaults (module, browser, development|production).
const conditions = [...new Set([sourceConditions[0] as string, ...defaultClientConditions])];

/**
 * Every story of the kit as a test, in real Chromium (Debian's, no browser download): it renders,
 * its play function passes, and axe finds no accessibility violation (`a11y.test = "error"` in
 * .storybook/preview.tsx). Run with `pnpm exec vitest run --project storybook`.
 */
export default defineProject({
  plugins: [storybookTest({ configDir: join(root, ".storybook") })],
  resolve: { conditions },
  test: {
    name: "storybook",
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: chromiumLaunchOptions,
      }),
      instances: [{ browser: "chromium" }],
    },
  },
});
