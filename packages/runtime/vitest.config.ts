import { defineProject } from "vitest/config";
import { sharedResolve } from "../../vitest.shared.js";

// The shared conditions list "import", which vite then also applies to `require()` calls inside
// CommonJS dependencies: express's router would get is-promise's ESM build and fail ("isPromise is
// not a function"). Vite adds "import"/"require" by itself per call, so they are left out here.
const conditions = ["@agentstream/source", "module", "node", "development|production"];

export default defineProject({
  ...sharedResolve,
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@agentstream/source"] } },
  test: {
    name: "runtime",
    environment: "node",
    include: ["test/**/*.test.ts"],
    env: { COPILOTKIT_TELEMETRY_DISABLED: "true", DO_NOT_TRACK: "1" },
    testTimeout: 20_000,
  },
});
