import type { StorybookConfig } from "@storybook/react-vite";
import { defaultClientConditions, mergeConfig } from "vite";

// Telemetry off even for code paths that read the environment before main.ts (a build would
// otherwise wait on the network).
process.env.STORYBOOK_DISABLE_TELEMETRY = "1";

/**
 * Workspace packages resolve to their TypeScript sources through the "@agentstream/source"
 * export condition (see vitest.shared.ts), so Storybook never needs a prior build. Vite's
 * `resolve.conditions` replaces the defaults, so the browser defaults are listed too.
 */
const storybookConditions = ["@agentstream/source", ...defaultClientConditions];

const config: StorybookConfig = {
  stories: ["../packages/react/src/**/*.mdx", "../packages/react/src/**/*.stories.@(ts|tsx)"],
  addons: ["@storybook/addon-docs", "@storybook/addon-a11y", "@storybook/addon-vitest"],
  framework: { name: "@storybook/react-vite", options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // TypeScript 7 (native) has no compiler API, so react-docgen-typescript cannot run.
  typescript: { reactDocgen: "react-docgen" },
  async viteFinal(viteConfig) {
    return mergeConfig(viteConfig, {
      resolve: { conditions: storybookConditions },
      // Storybook's own preview bundles (axe, docs blocks) are over Vite's 500 kB warning limit.
      build: { chunkSizeWarningLimit: 1600 },
    });
  },
};

export default config;
