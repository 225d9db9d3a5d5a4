/**
 * A consumer project installs the packed `@agentstream/runtime` and `@agentstream/core` (nothing
 * else of ours), `express` (the optional peer of `@agentstream/runtime/express`), `@ag-ui/client` 1.0.0 (what npm installs today) and, aliased, 0.0.59 (what the
 * CopilotKit runtime pins), then:
 *
 * - `tsc --noEmit` compiles packaging/consumer/src/index.ts (the README's
 *   `fromAgUiAgent(new HttpAgent(...))` with both versions, Express's types through `server.app`)
 *   against the tarballs' .d.ts, as a Node app (NodeNext) and as a bundled one (Bundler, DOM lib);
 * - packaging/consumer/src/run.mjs runs the packed runtime: an agent read over HTTP through
 *   `fromAgUiAgent` with each version's `HttpAgent`.
 *
 * The install is pnpm's without hoisting (`hoist: false`): a type or module our packages use
 * without declaring it is not reachable, as it would not be for an npm user whose tree lacks it.
 * skipLibCheck is off, so every .d.ts is compiled; errors in other packages' .d.ts (the AI SDK's
 * need the DOM lib, for instance) are not ours and are only counted, errors in ours or in the
 * consumer's code fail the test.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack, packagingDir, publishablePackages } from "../lib/packages.js";

let app: string;

beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), "agentstream-consumer-"));
  cpSync(join(packagingDir, "consumer"), app, { recursive: true });
  const byName = new Map(publishablePackages().map((p) => [p.name, p]));
  const tarball = (name: string) => {
    const pkg = byName.get(name);
    if (!pkg) throw new Error(`${name} is not a publishable package`);
    return `file:./${basename(pack(pkg, app))}`;
  };
  const core = tarball("@agentstream/core");
  const runtime = tarball("@agentstream/runtime");
  writeFileSync(
    join(app, "package.json"),
    `${JSON.stringify(
      {
        name: "agentstream-consumer",
        private: true,
        type: "module",
        dependencies: {
          "@agentstream/core": core,
          "@agentstream/runtime": runtime,
          "@ag-ui/client": "1.0.0",
          "ag-ui-client-0059": "npm:@ag-ui/client@0.0.59",
          // The optional peer of `@agentstream/runtime/express`, which the consumer imports.
          express: "5.3.0",
        },
        // Every Node app written in TypeScript has Node's types; nothing else is added.
        devDependencies: { "@types/node": "22.20.5" },
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(
    join(app, "pnpm-workspace.yaml"),
    [
      "hoist: false",
      "overrides:",
      // Not on the registry yet: the runtime's `@agentstream/core: ^0.1.0` is the tarball.
      `  "@agentstream/core": "${core}"`,
      // As in the workspace: @copilotkit/runtime's transitive ranges are not all on the registry.
      '  "@langchain/langgraph-sdk": 1.12.4',
      '  "@langchain/langgraph": 1.4.18',
      "",
    ].join("\n"),
  );
  execFileSync(
    "pnpm",
    ["install", "--ignore-scripts", "--prefer-offline", "--no-frozen-lockfile", "--reporter=append-only"],
    { cwd: app, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "" } },
  );
});
afterAll(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

interface TscResult {
  /** Errors in our .d.ts (any @agentstream package) or in the consumer's own code. */
  ours: string[];
  /** Errors in other packages' .d.ts. */
  theirs: number;
  status: number | null;
}

function tsc(project: string): TscResult {
  const run = spawnSync(join(packagingDir, "node_modules/.bin/tsc"), ["-p", project, "--pretty", "false"], {
    cwd: app,
    encoding: "utf8",
  });
  const errors: string[] = [];
  for (const line of `${run.stdout}${run.stderr}`.split("\n")) {
    if (/^\S.*\(\d+,\d+\): error TS\d+/.test(line) || /^error TS\d+/.test(line)) errors.push(line);
    else if (line.startsWith(" ") && errors.length > 0) errors[errors.length - 1] += `\n${line}`;
  }
  const isOurs = (error: string) => !error.startsWith("node_modules/") || error.includes("/@agentstream/");
  return {
    ours: errors.filter(isOurs),
    theirs: errors.filter((e) => !isOurs(e)).length,
    status: run.status,
  };
}

describe("a consumer of the packed runtime", () => {
  it("compiles as a Node app (NodeNext): fromAgUiAgent takes HttpAgent of @ag-ui/client 1.0 and 0.0.59, Express's types resolve", () => {
    const result = tsc("tsconfig.json");
    expect(result.ours).toEqual([]);
    console.log(`NodeNext: ${result.theirs} errors in other packages' .d.ts (skipLibCheck off)`);
  });

  it("compiles as a bundled app (Bundler, DOM lib)", () => {
    const result = tsc("tsconfig.bundler.json");
    expect(result.ours).toEqual([]);
    console.log(`Bundler: ${result.theirs} errors in other packages' .d.ts (skipLibCheck off)`);
  });

  it("with skipLibCheck on (what most apps use), tsc succeeds", () => {
    const result = tsc("tsconfig.skiplibcheck.json");
    expect(result.ours).toEqual([]);
    expect(result.theirs).toBe(0);
    expect(result.status).toBe(0);
  });

  it("runs: an agent served by the packed runtime, read through fromAgUiAgent with HttpAgent 1.0 and 0.0.59", () => {
    const run = spawnSync(process.execPath, ["src/run.mjs"], {
      cwd: app,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, COPILOTKIT_TELEMETRY_DISABLED: "true", DO_NOT_TRACK: "1" },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "")).toEqual({
      v1: "hello from echo",
      v0059: "hello from echo",
    });
  });
});
