/**
 * Suite 6, bundle size: every entry built the same way (esbuild: bundle, minify, ESM, browser
 * platform, React external, CSS ignored, entry `export * from "<pkg>"`), gzip level 9.
 *
 * @packageDocumentation
 */
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { benchDir, SOURCE_CONDITION } from "../lib/build.js";
import { packageVersion } from "../lib/env.js";
import { fmtBytes, fmtRatio, single, stat } from "../lib/stats.js";
import type { Headline, Suite, SuiteOptions, SuiteResult } from "../lib/types.js";

interface Entry {
  id: string;
  spec: string;
  label: string;
  /** Extra externals (to show what the kit adds on top of a peer the app already has). */
  external?: string[];
}

const REACT_EXTERNAL = ["react", "react-dom", "react/jsx-runtime"];

const ENTRIES: Entry[] = [
  { id: "agentstream-react", spec: "@agentstream/react", label: "@agentstream/react" },
  { id: "agentstream-markdown", spec: "@agentstream/react/markdown", label: "@agentstream/react/markdown" },
  {
    id: "agentstream-copilot",
    spec: "@agentstream/react/copilot",
    label: "@agentstream/react/copilot (CopilotKit v2 included)",
  },
  {
    id: "agentstream-copilot-own",
    spec: "@agentstream/react/copilot",
    label: "@agentstream/react/copilot, own code only (@copilotkit/*, zod external)",
    external: ["@copilotkit/*", "zod"],
  },
  { id: "assistant-ui", spec: "@assistant-ui/react", label: "@assistant-ui/react" },
  { id: "streamdown", spec: "streamdown", label: "streamdown" },
  {
    id: "copilotkit-headless",
    spec: "@copilotkit/react-core/v2/headless",
    label: "@copilotkit/react-core/v2/headless",
  },
  { id: "copilotkit-v2", spec: "@copilotkit/react-core/v2", label: "@copilotkit/react-core/v2" },
];

const SMOKE_ENTRIES = new Set(["agentstream-react", "copilotkit-headless"]);

function pkgName(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
}

interface Built {
  minified: number;
  gzipped: number;
  ms: number;
}

/**
 * What the kit loads on demand (`import(…)`, e.g. AskCard's answer check, loaded with the first
 * answer) is its own chunk in an app's bundle, fetched when needed: not counted in the entry
 * (the same rule as `.size-limit.js`).
 */
const onDemandExternal: esbuild.Plugin = {
  name: "on-demand-external",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) =>
      args.kind === "dynamic-import" ? { path: args.path, external: true } : undefined,
    );
  },
};

async function build(entry: Entry): Promise<Built> {
  const t0 = performance.now();
  const out = await esbuild.build({
    stdin: {
      contents: `export * from ${JSON.stringify(entry.spec)};`,
      resolveDir: benchDir,
      loader: "js",
      sourcefile: "entry.js",
    },
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    // Selects the workspace packages' TypeScript sources; no other package defines this condition.
    conditions: [SOURCE_CONDITION],
    external: [...REACT_EXTERNAL, ...(entry.external ?? [])],
    loader: { ".css": "empty" },
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
    legalComments: "none",
    plugins: [onDemandExternal],
  });
  const code = out.outputFiles.map((f) => f.contents).filter((c) => c.length > 0);
  const bytes = Buffer.concat(code.map((c) => Buffer.from(c)));
  return {
    minified: bytes.length,
    gzipped: gzipSync(bytes, { level: 9 }).length,
    ms: performance.now() - t0,
  };
}

export const bundleSuite: Suite = {
  id: "bundle",
  title: "6. Bundle size (min + gzip, React excluded)",
  async run({ smoke, log }: SuiteOptions): Promise<SuiteResult> {
    const entries = smoke ? ENTRIES.filter((e) => SMOKE_ENTRIES.has(e.id)) : ENTRIES;
    const sizes = new Map<string, Built>();
    const rows: string[][] = [];
    const figures: Record<string, number> = {};
    const notes: string[] = [];
    for (const entry of entries) {
      log(`bundle: ${entry.spec}${entry.external ? " (peers external)" : ""}`);
      try {
        const b = await build(entry);
        sizes.set(entry.id, b);
        figures[`${entry.id}_gzip_bytes`] = b.gzipped;
        figures[`${entry.id}_min_bytes`] = b.minified;
      } catch (error) {
        const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
        notes.push(`${entry.label}: build failed (${message})`);
        throw new Error(`bundle: ${entry.spec} failed to build: ${message}`);
      }
    }
    const ours = sizes.get("agentstream-react") as Built;
    const copilot = sizes.get("agentstream-copilot");
    const own = sizes.get("agentstream-copilot-own");
    const headless = sizes.get("copilotkit-headless");
    if (copilot && own && headless) {
      notes.push(
        `\`@agentstream/react/copilot\` weighs ${fmtBytes(copilot.gzipped)} because its hooks import \`@copilotkit/react-core/v2\` (the full UI entry) and it re-exports \`AgentStreamProvider\` (which wraps \`CopilotKitProvider\`); its own code is ${fmtBytes(own.gzipped)}. ` +
          `CopilotKit's \`v2/headless\` entry (${fmtBytes(headless.gzipped)}) exports the same hooks, but it is not a drop-in: it shares CopilotKit's core context with the full entry, not the chat configuration context, so a headless \`useAgent()\` inside the full \`CopilotChat\` follows the "default" agent instead of the chat's (pinned by packages/react/test/copilot/context-sharing.browser.tsx). ` +
          "A copilot subpath on the headless entry would need an explicit agent id everywhere; the apps this kit targets use CopilotKit's chat, which already loads the full entry.",
      );
    }
    for (const entry of entries) {
      const b = sizes.get(entry.id) as Built;
      rows.push([
        entry.label,
        packageVersion(pkgName(entry.spec)),
        fmtBytes(b.minified),
        fmtBytes(b.gzipped),
        fmtRatio(single(b.gzipped / ours.gzipped)),
      ]);
    }
    const ratio = (id: string) => {
      const b = sizes.get(id);
      return b ? stat([b.gzipped / ours.gzipped]) : stat([]);
    };
    const headlines: Headline[] = [];
    if (sizes.has("assistant-ui"))
      headlines.push({
        label: "Bundle: @assistant-ui/react vs @agentstream/react",
        ratio: ratio("assistant-ui"),
        meaning: "their min+gzip ÷ ours",
      });
    if (sizes.has("copilotkit-headless"))
      headlines.push({
        label: "Bundle: @copilotkit/react-core/v2/headless vs @agentstream/react",
        ratio: ratio("copilotkit-headless"),
        meaning: "their min+gzip ÷ ours",
      });
    if (sizes.has("copilotkit-v2"))
      headlines.push({
        label: "Bundle: @copilotkit/react-core/v2 vs @agentstream/react",
        ratio: ratio("copilotkit-v2"),
        meaning: "their min+gzip ÷ ours",
      });
    if (sizes.has("streamdown") && sizes.has("agentstream-markdown")) {
      const md = sizes.get("agentstream-markdown") as Built;
      headlines.push({
        label: "Bundle: streamdown vs @agentstream/react/markdown",
        ratio: stat([(sizes.get("streamdown") as Built).gzipped / md.gzipped]),
        meaning: "their min+gzip ÷ ours",
      });
    }
    return {
      id: "bundle",
      title: this.title,
      method: [
        'Each entry is the module `export * from "<entry>"` bundled by esbuild with the same options: bundle, minify, ESM, browser platform, `NODE_ENV=production`, `react`, `react-dom` and `react/jsx-runtime` external (subpaths included), `.css` loaded as empty; the output is gzipped at level 9.',
        "The AgentStream entries are built from their TypeScript sources (the `@agentstream/source` condition, which no other package defines). Sizes are exact byte counts, so there is no spread; the ratio column is each entry ÷ `@agentstream/react`.",
        '`@agentstream/react/copilot` imports `@copilotkit/react-core/v2`, so its full bundle contains CopilotKit; the "own code only" row keeps CopilotKit and zod external, which is what the kit adds to an app that already uses CopilotKit.',
      ].join(" "),
      tables: [{ head: ["entry", "version", "minified", "min + gzip", "vs @agentstream/react"], rows }],
      headlines,
      targets: [],
      figures,
      notes,
    };
  },
};
