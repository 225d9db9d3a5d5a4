/**
 * Suite 11, long runs in Chromium: a 1,000,000-character answer (≈170,000 tokens) and a run of
 * 50,000 tool/progress/status chunks fed into StreamView through a RunStore, against the naive
 * list (setState per item) and CopilotKit v2's `CopilotChatAssistantMessage` rendering the same
 * text. Per view: the wall time of each successive window (10,000 tokens or 5,000 chunks; flat
 * means the cost of a token does not grow with the run), p95 frame time while streaming and while
 * scrolling, long tasks, JS heap and DOM size at the end, and keypress-to-paint latency of an
 * input beside the view while it streams. `BENCH_LONGRUN_PROFILE=1` also records a CPU profile
 * (DevTools `Profiler`) of one StreamView run of each kind and prints where its time went.
 *
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import type { Page } from "playwright-core";
import { launchChromium, serveFiles } from "../lib/browser.js";
import { benchDir, SOURCE_CONDITION } from "../lib/build.js";
import { fmt, fmtBytes, median, num, percentile, ratioOf, type Stat, stat } from "../lib/stats.js";
import type { Headline, Suite, SuiteOptions, SuiteResult, Target } from "../lib/types.js";
import type { LongRunOptions, LongRunResult } from "../longrun/page.js";

type Mode = LongRunOptions["mode"];
type Kind = LongRunOptions["kind"];

const LABELS: Record<Mode, string> = {
  agentstream: "AgentStream StreamView (RunStore + useRun)",
  naive: "naive list (setState per item, seed 000)",
  copilotkit: "CopilotKit v2 CopilotChatAssistantMessage (Streamdown markdown)",
};

/** The page and its chunks (CopilotKit's view is a chunk of its own), by URL path. */
async function buildPage(minify: boolean): Promise<Record<string, string>> {
  const out = await esbuild.build({
    entryPoints: { page: join(benchDir, "src/longrun/page.tsx") },
    bundle: true,
    write: false,
    splitting: true,
    outdir: "/out",
    minify,
    format: "esm",
    platform: "browser",
    target: "es2022",
    jsx: "automatic",
    conditions: [SOURCE_CONDITION],
    define: { "process.env.NODE_ENV": '"production"' },
    loader: { ".css": "empty" },
    logLevel: "error",
  });
  return Object.fromEntries(out.outputFiles.map((f) => [f.path.replace(/^\/out/, ""), f.text]));
}

function readCss(path: string): string {
  try {
    return readFileSync(join(benchDir, path), "utf8");
  } catch {
    return "";
  }
}

interface Sample extends LongRunResult {
  scrollFrames: number[];
  heapBytes: number;
  domNodes: number;
  elements: number;
  segments: number;
  blocks: number;
}

/** Median of the first and of the last tenth (at least one) of the windows, and their ratio. */
function deciles(w: readonly number[]): { first: number; last: number; growth: number } {
  const k = Math.max(1, Math.ceil(w.length / 10));
  const first = median(w.slice(0, k));
  const last = median(w.slice(-k));
  return { first, last, growth: last / first };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** The functions with the most self time in a CPU profile, as `name (share)`. */
function topSelf(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, n = 12): string {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const name = node ? node.callFrame.functionName || `(anonymous:${node.callFrame.lineNumber})` : "?";
    self.set(name, (self.get(name) ?? 0) + dt);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, t]) => `${name} ${num((100 * t) / total, 1)}%`)
    .join(", ");
}

export const longrunSuite: Suite = {
  id: "longrun",
  title: "12. Long runs in Chromium (1,000,000 characters; 50,000 chunks)",
  async run({ smoke, log }: SuiteOptions): Promise<SuiteResult> {
    const profiling = process.env.BENCH_LONGRUN_PROFILE === "1";
    const textTokens = Number(process.env.BENCH_LONGRUN_TOKENS ?? (smoke ? 600 : 170_000));
    const chunkCount = Number(process.env.BENCH_LONGRUN_CHUNKS ?? (smoke ? 400 : 50_000));
    const textWindow = smoke ? 200 : 10_000;
    const chunkWindow = smoke ? 100 : 5_000;
    const batch = 10;
    // The naive list and CopilotKit's message grow quadratically: each stops at a time limit.
    const limitMs: Record<Mode, number> = smoke
      ? { agentstream: 10_000, naive: 5_000, copilotkit: 5_000 }
      : { agentstream: 120_000, naive: 45_000, copilotkit: 60_000 };
    const reps: Record<Mode, number> = smoke
      ? { agentstream: 1, naive: 1, copilotkit: 1 }
      : { agentstream: 3, naive: 1, copilotkit: 2 };
    const only = process.env.BENCH_LONGRUN_MODES?.split(",");
    const plan = (
      [
        ["text", "agentstream"],
        ["text", "naive"],
        ["text", "copilotkit"],
        ["chunks", "agentstream"],
        ["chunks", "naive"],
      ] as [Kind, Mode][]
    )
      .filter(([kind, mode]) => !only || only.includes(mode) || only.includes(`${kind}:${mode}`))
      // Smoke: the kit and CopilotKit's message once each (the naive list is a few lines of the page).
      .filter(([, mode]) => !smoke || mode !== "naive");
    if (process.env.BENCH_LONGRUN_REPS) reps.agentstream = Number(process.env.BENCH_LONGRUN_REPS);
    const js = await buildPage(!profiling);
    const html = (css: string) =>
      `<!doctype html><html><head><meta charset="utf-8"><title>loading</title><style>${css}</style></head><body><div id="root"></div><script type="module" src="/page.js"></script></body></html>`;
    const kitCss = readCss("node_modules/@agentstream/react/src/styles.css");
    const ckCss = readCss("node_modules/@copilotkit/react-core/dist/v2/index.css");
    const files = await serveFiles({
      "/": { type: "text/html; charset=utf-8", body: html(kitCss) },
      "/ck.html": { type: "text/html; charset=utf-8", body: html(ckCss) },
      ...Object.fromEntries(
        Object.entries(js).map(([path, body]) => [path, { type: "text/javascript; charset=utf-8", body }]),
      ),
    });
    const browser = await launchChromium();
    const version = browser.version();
    const samples = new Map<string, Sample[]>();
    const profiles: string[] = [];
    const keyOf = (kind: Kind, mode: Mode) => `${kind}:${mode}`;

    const pressKeys = async (page: Page) => {
      await page.focus("#prompt");
      while (await page.evaluate(() => (window as unknown as { __streaming: boolean }).__streaming)) {
        await page.keyboard.press("a");
        await page.waitForTimeout(40);
      }
    };

    const once = async (kind: Kind, mode: Mode, profile: boolean): Promise<Sample> => {
      const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
      const page = await context.newPage();
      page.on("pageerror", (e) => log(`longrun: page error (${mode}): ${e.message}`));
      try {
        await page.goto(`${files.url}${mode === "copilotkit" ? "/ck.html" : "/"}`);
        await page.waitForFunction(() => document.title === "ready");
        const cdp = await context.newCDPSession(page);
        if (profile) {
          await cdp.send("Profiler.enable");
          await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
          await cdp.send("Profiler.start");
        }
        const options: LongRunOptions = {
          mode,
          kind,
          size: kind === "text" ? textTokens : chunkCount,
          batch,
          window: kind === "text" ? textWindow : chunkWindow,
          timeoutMs: limitMs[mode],
        };
        await page.evaluate(() => {
          (window as unknown as { __streaming: boolean }).__streaming = true;
        });
        const running = page.evaluate(
          (o) =>
            (
              window as unknown as { __bench: { run(o: LongRunOptions): Promise<LongRunResult> } }
            ).__bench.run(o),
          options,
        );
        const keys = pressKeys(page);
        const result = await running;
        await keys;
        if (profile) {
          const { profile: p } = (await cdp.send("Profiler.stop")) as {
            profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
          };
          profiles.push(`${kind}: ${topSelf(p)}`);
        }
        const scrollFrames = (await page.evaluate(
          ([n, s]) =>
            (
              window as unknown as { __bench: { scroll(n: number, s: number): Promise<number[]> } }
            ).__bench.scroll(n, s),
          [smoke ? 10 : 120, 500] as const,
        )) as number[];
        await cdp.send("HeapProfiler.collectGarbage");
        const heap = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
        const dom = (await cdp.send("Memory.getDOMCounters")) as { nodes: number };
        const m = (await page.evaluate(() =>
          (window as unknown as { __bench: { mounted(): unknown } }).__bench.mounted(),
        )) as { elements: number; segments: number; blocks: number };
        return { ...result, scrollFrames, heapBytes: heap.usedSize, domNodes: dom.nodes, ...m };
      } finally {
        await context.close();
      }
    };

    try {
      if (!smoke) {
        // Warm-up (JIT, caches): each view once on a short run.
        for (const mode of ["agentstream", "naive", "copilotkit"] as Mode[]) {
          const context = await browser.newContext();
          const page = await context.newPage();
          await page.goto(`${files.url}/`);
          await page.waitForFunction(() => document.title === "ready");
          await page.evaluate(
            (o) =>
              (window as unknown as { __bench: { run(o: LongRunOptions): Promise<unknown> } }).__bench.run(o),
            { mode, kind: "text", size: 2_000, batch, window: 1_000, timeoutMs: 5_000 } as LongRunOptions,
          );
          await context.close();
        }
      }
      const maxReps = Math.max(...Object.values(reps));
      for (let r = 0; r < maxReps; r++) {
        for (const [kind, mode] of r % 2 === 0 ? plan : [...plan].reverse()) {
          if (r >= reps[mode]) continue;
          log(`longrun: ${kind} ${mode}, run ${r + 1}`);
          const s = await once(kind, mode, profiling && r === 0 && mode === "agentstream");
          const list = samples.get(keyOf(kind, mode)) ?? [];
          list.push(s);
          samples.set(keyOf(kind, mode), list);
          const d = deciles(s.windowMs);
          log(
            `longrun: ${kind} ${mode}: fed ${num(s.fed)}${s.timedOut ? " (time limit)" : ""} in ${num(s.totalMs)} ms, windows ${s.windowMs.map((x) => Math.round(x)).join(" ")} (render ${s.windowRenderMs.map((x) => Math.round(x)).join(" ")}), growth ${num(d.growth, 2)}, p95 frame ${num(percentile(s.frames, 95))} ms, scroll p95 ${num(percentile(s.scrollFrames, 95))} ms, long tasks ${s.longTasks} (max ${num(s.maxLongTaskMs)} ms), keys ${s.keyLatency.length} p95 ${num(percentile(s.keyLatency, 95))} ms, heap ${fmtBytes(s.heapBytes)}, DOM nodes ${num(s.domNodes)}, segments ${num(s.segments)}, blocks ${num(s.blocks)}, text ${s.textOk ? "ok" : "DIFFERENT"}`,
          );
        }
      }
    } finally {
      await browser.close();
      await files.close();
    }

    const get = (kind: Kind, mode: Mode, f: (s: Sample) => number): Stat =>
      stat((samples.get(keyOf(kind, mode)) ?? []).map(f));
    const rows: string[][] = [];
    const figures: Record<string, number> = {};
    const notes: string[] = [];
    for (const [kind, mode] of plan) {
      const list = samples.get(keyOf(kind, mode)) ?? [];
      if (list.length === 0) continue;
      const unit = kind === "text" ? "tokens" : "chunks";
      const g = (f: (s: Sample) => number) => get(kind, mode, f);
      const stopped = list.some((s) => s.timedOut);
      if (stopped)
        notes.push(
          `${LABELS[mode]} (${kind}): stopped at its ${num(limitMs[mode] / 1000)} s limit after ${list.map((s) => num(s.fed)).join(", ")} ${unit}.`,
        );
      rows.push([
        kind === "text" ? "1,000,000-char answer" : "50,000 chunks",
        LABELS[mode],
        `${fmt(g((s) => s.fed))} ${unit}${stopped ? " (time limit)" : ""}`,
        fmt(
          g((s) => deciles(s.windowMs).first),
          "ms",
        ),
        fmt(
          g((s) => deciles(s.windowMs).last),
          "ms",
        ),
        fmt(
          g((s) => deciles(s.windowMs).growth),
          "×",
          2,
        ),
        fmt(
          g((s) => percentile(s.frames, 95)),
          "ms",
        ),
        fmt(
          g((s) => percentile(s.scrollFrames, 95)),
          "ms",
        ),
        fmt(g((s) => s.longTasks)),
        fmt(
          g((s) => median(s.keyLatency)),
          "ms",
        ),
        fmt(
          g((s) => percentile(s.keyLatency, 95)),
          "ms",
        ),
        fmtBytes(g((s) => s.heapBytes).median),
        fmt(g((s) => s.domNodes)),
        String(list.length),
      ]);
      const k = `${kind}_${mode}`;
      figures[`${k}_fed`] = g((s) => s.fed).median;
      figures[`${k}_first_window_ms`] = g((s) => deciles(s.windowMs).first).median;
      figures[`${k}_last_window_ms`] = g((s) => deciles(s.windowMs).last).median;
      figures[`${k}_growth`] = g((s) => deciles(s.windowMs).growth).median;
      figures[`${k}_p95_frame_ms`] = g((s) => percentile(s.frames, 95)).median;
      figures[`${k}_p95_scroll_frame_ms`] = g((s) => percentile(s.scrollFrames, 95)).median;
      figures[`${k}_long_tasks`] = g((s) => s.longTasks).median;
      figures[`${k}_heap_bytes`] = g((s) => s.heapBytes).median;
      figures[`${k}_dom_nodes`] = g((s) => s.domNodes).median;
    }

    // Ratios at the same point of the run: the last window both views reached.
    const headlines: Headline[] = [];
    const windowRatio = (kind: Kind, mode: Mode): Stat | undefined => {
      const other = samples.get(keyOf(kind, mode)) ?? [];
      const as = samples.get(keyOf(kind, "agentstream")) ?? [];
      if (other.length === 0 || as.length === 0) return undefined;
      const reached = Math.min(...other.map((s) => s.windowMs.length), ...as.map((s) => s.windowMs.length));
      if (reached === 0) return undefined;
      const at = (s: Sample) => s.windowMs[reached - 1] as number;
      return ratioOf(stat(other.map(at)), stat(as.map(at)));
    };
    const windowLabel = (kind: Kind) =>
      kind === "text" ? `${num(textWindow)} tokens` : `${num(chunkWindow)} chunks`;
    for (const [kind, mode] of plan) {
      if (mode === "agentstream") continue;
      const r = windowRatio(kind, mode);
      if (r)
        headlines.push({
          label: `Long run (${kind}): time for ${windowLabel(kind)} at the last window both reached`,
          ratio: r,
          meaning: `${LABELS[mode]} ÷ StreamView`,
        });
      const other = samples.get(keyOf(kind, mode)) ?? [];
      if (other.length > 0 && other.every((s) => s.keyLatency.length > 0))
        headlines.push({
          label: `Long run (${kind}): keypress-to-paint p95 while streaming`,
          ratio: ratioOf(
            get(kind, mode, (s) => percentile(s.keyLatency, 95)),
            get(kind, "agentstream", (s) => percentile(s.keyLatency, 95)),
          ),
          meaning: `${LABELS[mode]} ÷ StreamView`,
        });
    }

    const targets: Target[] = [];
    for (const kind of ["text", "chunks"] as Kind[]) {
      const as = samples.get(keyOf(kind, "agentstream")) ?? [];
      if (as.length === 0) continue;
      const growth = stat(as.map((s) => deciles(s.windowMs).growth));
      targets.push({
        label: `StreamView, ${kind === "text" ? "1,000,000 characters" : "50,000 chunks"}: cost per ${windowLabel(kind)} as the run grows`,
        target: "flat: last decile ÷ first decile ≤ 1.5× (median of the runs)",
        actual: `${fmt(growth, "×", 2)}`,
        pass: growth.median <= 1.5,
      });
      const keyP95 = Math.max(...as.map((s) => percentile(s.keyLatency, 95)));
      targets.push({
        label: `StreamView, ${kind}: typing beside the view while it streams`,
        target: "keypress to paint p95 ≤ 100 ms",
        actual: `${num(keyP95)} ms (worst run)`,
        pass: keyP95 <= 100,
      });
      const scrollP95 = Math.max(...as.map((s) => percentile(s.scrollFrames, 95)));
      targets.push({
        label: `StreamView, ${kind}: scrolling the finished run`,
        target: "p95 frame ≤ 33.4 ms (no more than one dropped frame)",
        actual: `${num(scrollP95, 1)} ms (worst run)`,
        pass: scrollP95 <= 33.4,
      });
      if (kind === "text") {
        const ok = as.every((s) => s.textOk);
        targets.push({
          label: "StreamView final text",
          target: "identical to the streamed text",
          actual: ok ? "identical" : "different",
          pass: ok,
        });
      }
    }
    if (profiles.length > 0) notes.push(`CPU profile, self time of StreamView runs: ${profiles.join("; ")}.`);

    return {
      id: "longrun",
      title: this.title,
      method: [
        `Chromium ${version} (headless, \`/usr/bin/chromium\`), driven by playwright-core; the page is bundled by esbuild (minified, \`NODE_ENV=production\`, React's profiling build, the kit from source with its stylesheet; CopilotKit's page gets CopilotKit's v2 stylesheet). Each run gets a fresh browser context; a 700 px wide, 600 px high scroll box beside a controlled \`<input>\`.`,
        `Runs: ${num(textTokens)} tokens (≈${num(textTokens * 6)} characters, 23 tokens a line) fed as \`TEXT_MESSAGE_CONTENT\` events into a RunStore; ${num(chunkCount)} chunks cycling status → tool call (complete arguments) → tool result → progress (\`store.push\`). ${batch} items per macrotask (a MessageChannel message, as SSE reads arrive), no delay: the feed runs as fast as the page lets it, so a window's wall time is what rendering costs it.`,
        `Window time: wall time for each successive ${textWindow.toLocaleString("en")} tokens / ${chunkWindow.toLocaleString("en")} chunks; first/last decile: the median of the first and last tenth of the windows. Frames: requestAnimationFrame intervals while streaming; scrolling: the finished run scrolled up ${"`scrollTop`"} by 500 px per frame for ${smoke ? 10 : 120} frames. Long tasks: PerformanceObserver \`longtask\` (> 50 ms) while streaming. Heap: DevTools \`Runtime.getHeapUsage\` after \`HeapProfiler.collectGarbage\` at the end; DOM nodes: \`Memory.getDOMCounters\`. Input: playwright presses a key in the input every 40 ms while the run streams; latency is from the key event's timestamp to a task after the next animation frame following React's update of the value.`,
        `The naive list (seed 000: \`setMessages(prev => [...prev, msg])\` per item) is quadratic and stops at ${num(limitMs.naive / 1000)} s; CopilotKit's message (its content updated once per macrotask, markdown through Streamdown) stops at ${num(limitMs.copilotkit / 1000)} s. Ratios compare the time of the last window both views reached. CopilotKit is compared on the text run only: its tool calls render through renderers registered on a CopilotKit provider with a runtime, and progress/status have no CopilotKit message of their own.`,
      ].join(" "),
      tables: [
        {
          head: [
            "run",
            "view",
            "fed",
            "first-decile window",
            "last-decile window",
            "growth (last ÷ first)",
            "React render time per window, first → last decile",
            "p95 frame, streaming",
            "p95 frame, scrolling",
            "long tasks",
            "keypress→paint median",
            "keypress→paint p95",
            "JS heap at end",
            "DOM nodes at end",
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
