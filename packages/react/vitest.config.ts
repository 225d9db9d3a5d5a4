import { defineProject } from "vitest/config";
import { sharedResolve } from "../../vitest.shared.js";

export default defineProject({
  ...sharedResolve,
  test: {
    name: "react",
    environment: "happy-dom",
    include: ["test/**/*.test.tsx"],
    setupFiles: ["test/setup.ts"],
    // CopilotKit's v2 entry imports its own CSS: let Vite process it instead of Node's loader.
    server: { deps: { inline: [/@copilotkit\/react-core/] } },
  },
});
