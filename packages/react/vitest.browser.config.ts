import { fileURLToPath } from "node:url";
import { playwright } from "@vitest/browser-playwright";
import { defineProject } from "vitest/config";
import { chromiumLaunchOptions } from "../../chromium.shared.js";
import { sharedResolve } from "../../vitest.shared.js";

/**
 * The CopilotKit integration tests of @agentstream/react/copilot, in real Chromium (Debian's, at
 * /usr/bin/chromium: no browser download). A global setup starts a real AgentStream server
 * (CopilotKit runtime v2 + embedded agents + test agents) and provides its URL to the tests.
 *
 * Run: `pnpm exec vitest run --config packages/react/vitest.browser.config.ts` (or through the
 * root `vitest.config.ts` once this file is listed in its projects).
 */
export default defineProject({
  ...sharedResolve,
  // Paths below are relative to this package, wherever vitest is started from.
  root: fileURLToPath(new URL(".", import.meta.url)),
  optimizeDeps: {
    // Pre-bundle CopilotKit and its dependencies once, before the first test file loads.
    include: [
      "@copilotkit/react-core/v2",
      "react",
      "react-dom",
      "react-dom/client",
      "react/jsx-runtime",
      "react/jsx-dev-runtime",
      "zod",
    ],
  },
  test: {
    name: "react-browser",
    include: ["test/**/*.browser.tsx"],
    globalSetup: ["test/copilot/fixtures/global-setup.ts"],
    setupFiles: ["test/copilot/fixtures/browser-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: chromiumLaunchOptions,
      }),
      instances: [{ browser: "chromium" }],
    },
  },
});
