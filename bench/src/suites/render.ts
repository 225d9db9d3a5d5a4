/**
 * Suite 5, rendering in real Chromium: StreamView fed 20,000 tokens as fast as they come,
 * against the seed's naive list (`setMessages(prev => [...prev, msg])` per token). React's
 * profiling build counts commits (<Profiler>), a PerformanceObserver counts long tasks (> 50 ms),
 * the DevTools protocol's Performance domain gives scripting time, and the final text on screen
 * must equal the streamed text.
 *
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { launchChromium, serveFiles } from "../lib/browser.js";
import { benchDir, SOURCE_CONDITION } from "../lib/build.js";
import { fmt, num, ratioOf, type Stat, stat } from "../lib/stats.js";
import type { Headline, Suite, SuiteOptions, SuiteResult, Target } from "../lib/types.js";
import type { RenderResult } from "../render/page.js";

type Mode = "agentstream" | "agentstream-blocks" | "naive";
const MODES: Mode[] = (process.env.BENCH_RENDER_MODES?.split(",") as Mode[] | undefined) ?? [
  "agentstream",
  "agentstream-blocks",
  "naive",
];

const LABELS: Record<Mode, string> = {
  agentstream: "AgentStream StreamView (store + useRun)",
  "agentstream-blocks": "StreamView with text in memoized blocks (proposed fix, bench-only renderText)",
  naive: "naive list (setState per token, seed 000)",
};

/** Bundles the page: production mode, React's profiling build, the kit from source. */
async function buildPage(): Promise<string> {
  const out = await esbuild.build({
    entryPoints: [join(benchDir, "src/render/page.tsx")],
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    jsx: "automatic",
    conditions: [SOURCE_CONDITION],
    define: { "process.env.NODE_ENV": '"production"' },
    loader: { ".css": "empty" },
    logLevel: "error",
  });
  return out.outputFiles[0]?.text ?? "";
}

function kitStyles(): string {
  try {
    return readFileSync(join(benchDir, "node_modules/@agentstream/react/src/styles.css"), "utf8");
  } catch {
    return "";
  }
}

interface Sample extends RenderResult {
  scriptMs: number;
  taskMs: number;
  layoutMs: number;
  styleMs: number;
}

export const renderSuite: Suite = {
  id: "render",
  title: "5. Rendering in Chromium (20,000 tokens)",
  async run({ smoke, log }: SuiteOptions): Promise<SuiteResult> {
    const tokens = Number(process.env.BENCH_RENDER_TOKENS ?? (smoke ? 500 : 20_000));
    const batch = Number(process.env.BENCH_RENDER_BATCH ?? 10);
    // The naive list is quadratic (about 1.5 minutes for 20,000 tokens here): one run of it.
    const repsOf = (mode: Mode) => (smoke ? 1 : mode === "naive" ? 1 : 5);
    const reps = Math.max(...MODES.map(repsOf));
    const timeoutMs = smoke ? 30_000 : 180_000;
    const js = await buildPage();
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>loading</title><style>${kitStyles()}</style></head><body><div id="root"></div><script type="module" src="/page.js"></script></body></html>`;
    const files = await serveFiles({
      "/": { type: "text/html; charset=utf-8", body: html },
      "/page.js": { type: "text/javascript; charset=utf-8", body: js },
    });
    const browser = await launchChromium();
    const version = browser.version();
    const samples = new Map<Mode, Sample[]>(MODES.map((m) => [m, []]));
    try {
      const once = async (mode: Mode, n: number): Promise<Sample> => {
        const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
        const page = await context.newPage();
        try {
          await page.goto(`${files.url}/`);
          await page.waitForFunction(() => document.title === "ready");
          const cdp = await context.newCDPSession(page);
          await cdp.send("Performance.enable");
          const metric = async () => {
            const { metrics } = (await cdp.send("Performance.getMetrics")) as {
              metrics: { name: string; value: number }[];
            };
            const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
            return {
              script: get("ScriptDuration") * 1000,
              task: get("TaskDuration") * 1000,
              layout: get("LayoutDuration") * 1000,
              style: get("RecalcStyleDuration") * 1000,
            };
          };
          const before = await metric();
          const result = (await page.evaluate(
            ([m, t, b, to]) =>
              (window as unknown as { __bench: { run: (...a: unknown[]) => Promise<unknown> } }).__bench.run(
                m,
                t,
                b,
                to,
              ),
            [mode, n, batch, timeoutMs] as const,
          )) as RenderResult;
          const after = await metric();
          return {
            ...result,
            scriptMs: after.script - before.script,
            taskMs: after.task - before.task,
            layoutMs: after.layout - before.layout,
            styleMs: after.style - before.style,
          };
        } finally {
          await context.close();
        }
      };
      // Warm-up: both views once on a short stream.
      for (const mode of MODES) await once(mode, 200);
      for (let r = 0; r < reps; r++) {
        for (const mode of r % 2 === 0 ? MODES : [...MODES].reverse()) {
          if (r >= repsOf(mode)) continue;
          log(`render: ${mode}, ${num(tokens)} tokens, run ${r + 1}/${reps}`);
          const s = await once(mode, tokens);
          samples.get(mode)?.push(s);
          log(
            `render: ${mode}: ${s.commits} commits in ${s.frames} frames, ${s.longTasks} long tasks ${JSON.stringify(s.longTaskList.slice(0, 8))}, script ${num(s.scriptMs)} ms, layout ${num(s.layoutMs)} ms, style ${num(s.styleMs)} ms, tasks ${num(s.taskMs)} ms, ${num(s.totalMs)} ms, text ${s.textOk ? "ok" : "DIFFERENT"}`,
          );
        }
      }
    } finally {
      await browser.close();
      await files.close();
    }

    const rows: string[][] = [];
    const figures: Record<string, number> = {};
    const notes: string[] = [];
    const get = (m: Mode, f: (s: Sample) => number): Stat => stat((samples.get(m) ?? []).map(f));
    for (const mode of MODES) {
      const list = samples.get(mode) ?? [];
      const stopped = list.filter((s) => s.timedOut);
      const ge = stopped.length ? "≥ " : "";
      for (const s of stopped)
        notes.push(
          `${LABELS[mode]}: stopped at the ${num(timeoutMs / 1000)} s limit after ${num(s.fed)} of ${num(tokens)} tokens.`,
        );
      rows.push([
        LABELS[mode],
        `${ge}${fmt(get(mode, (s) => s.commits))}`,
        fmt(get(mode, (s) => s.frames)),
        fmt(
          get(mode, (s) => s.commits / Math.max(1, s.frames)),
          "",
          2,
        ),
        `${ge}${fmt(get(mode, (s) => s.longTasks))}`,
        fmt(
          get(mode, (s) => s.maxLongTaskMs),
          "ms",
        ),
        `${ge}${fmt(
          get(mode, (s) => s.scriptMs),
          "ms",
        )}`,
        `${ge}${fmt(
          get(mode, (s) => s.layoutMs + s.styleMs),
          "ms",
        )}`,
        `${ge}${fmt(
          get(mode, (s) => s.totalMs),
          "ms",
        )}`,
        list.every((s) => s.textOk) ? "identical" : stopped.length ? "stopped early" : "DIFFERENT",
        String(list.length),
      ]);
      const key = mode.replace(/-/g, "_");
      figures[`${key}_commits`] = get(mode, (s) => s.commits).median;
      figures[`${key}_frames`] = get(mode, (s) => s.frames).median;
      figures[`${key}_long_tasks`] = get(mode, (s) => s.longTasks).median;
      figures[`${key}_script_ms`] = get(mode, (s) => s.scriptMs).median;
      figures[`${key}_layout_ms`] = get(mode, (s) => s.layoutMs).median;
      figures[`${key}_total_ms`] = get(mode, (s) => s.totalMs).median;
    }
    const as = samples.get("agentstream") ?? [];
    const maxCommitsPerFrame = Math.max(...as.map((s) => s.commits / Math.max(1, s.frames)));
    const maxLong = Math.max(...as.map((s) => s.longTasks));
    const textOk = (m: Mode) => (samples.get(m) ?? []).every((s) => s.textOk);
    const headlines: Headline[] = [];
    if (samples.has("naive")) {
      headlines.push(
        {
          label: `Rendering ${num(tokens)} tokens: scripting time`,
          ratio: ratioOf(
            get("naive", (s) => s.scriptMs),
            get("agentstream", (s) => s.scriptMs),
          ),
          meaning: "naive list ÷ StreamView (Chromium main-thread script time)",
        },
        {
          label: `Rendering ${num(tokens)} tokens: React commits`,
          ratio: ratioOf(
            get("naive", (s) => s.commits),
            get("agentstream", (s) => s.commits),
          ),
          meaning: "naive list ÷ StreamView",
        },
      );
    }
    const longNote =
      "Long tasks, when there are any, are layout: the browser lays out the text that changed in a frame. " +
      "StreamView renders a text segment as memoized blocks (split after line breaks, at most ~2 KB each), so only the growing tail block is laid out again per frame.";
    if (samples.has("agentstream-blocks")) {
      const layoutOf = (m: Mode) => get(m, (x) => x.layoutMs);
      notes.push(
        `Layout per run: StreamView ${fmt(layoutOf("agentstream"), "ms")}; the same text through a \`renderText\` that splits it into memoized blocks of its own ${fmt(layoutOf("agentstream-blocks"), "ms")} (StreamView's default rendering already works this way, so the two should be close).`,
      );
    }
    const targets: Target[] = [
      {
        label: "StreamView commits",
        target: "at most one per animation frame",
        actual: `${num(maxCommitsPerFrame, 2)} commits per frame (worst run)`,
        pass: maxCommitsPerFrame <= 1,
      },
      {
        label: "StreamView long tasks",
        target: "zero tasks over 50 ms",
        actual: `${maxLong} (worst run); layout ${fmt(
          get("agentstream", (s) => s.layoutMs),
          "ms",
        )} per run`,
        pass: maxLong === 0,
        ...(maxLong === 0 ? {} : { note: longNote }),
      },
      {
        label: "Final text",
        target: "identical to the streamed text on every view",
        actual: MODES.map((m) => `${m}: ${textOk(m) ? "identical" : "different"}`).join(", "),
        pass: MODES.every(textOk),
      },
    ];
    return {
      id: "render",
      title: this.title,
      method: [
        `Chromium ${version} (headless, ${"`/usr/bin/chromium`"}), driven by playwright-core. The page is bundled by esbuild (minified, \`NODE_ENV=production\`, React's profiling build \`react-dom/profiling\` so <Profiler> reports commits, the kit from source with its stylesheet) and served from 127.0.0.1; each run gets a fresh browser context.`,
        `The stream: ${num(tokens)} tokens (about ${num(tokens * 6)} characters), fed as fast as they come: ${batch} token${batch === 1 ? "" : "s"} per macrotask (a MessageChannel message, as SSE reads arrive), no artificial delay.`,
        "AgentStream: `<StreamView store={store} />`, each token a `store.pushEvent(TEXT_MESSAGE_CONTENT)`; React reads the store through `useRun` (frame-coalesced `useSyncExternalStore`). Naive: the pattern of seed 000, `setMessages(prev => [...prev, msg])` per token and one <span> per message.",
        "Commits: <Profiler onRender> calls; frames: requestAnimationFrame callbacks over the same span; long tasks: PerformanceObserver `longtask` entries; scripting and layout: the `ScriptDuration`, `LayoutDuration` and `RecalcStyleDuration` metrics of the DevTools Performance domain; time: from the first token to the last one on screen. The views alternate; the naive list, quadratic in the stream's length, runs once.",
      ].join(" "),
      tables: [
        {
          head: [
            "view",
            "React commits",
            "frames",
            "commits per frame",
            "long tasks (> 50 ms)",
            "longest task",
            "scripting time",
            "layout + style time",
            "time to last token on screen",
            "final text",
            "runs",
          ],
          rows,
        },
      ],
      headlines,
      targets,
      figures,
      notes,
    };
  },
};
