/**
 * Suite 7: compressed event streams. The same 10,000-token run of the generator agent, read
 * with and without `Accept-Encoding`, side by side in one server process: bytes on the wire,
 * server CPU, time to first event and total time, on the plain endpoint (identity, gzip,
 * brotli) and through CopilotKit's route (identity, gzip).
 *
 * @packageDocumentation
 */
import { request } from "node:http";
import { createBrotliDecompress, createGunzip } from "node:zlib";
import { runInput } from "../lib/http.js";
import { type BenchServer, startServer } from "../lib/server.js";
import { fmt, fmtBytes, fmtRatio, pairedRatio, type Stat, stat } from "../lib/stats.js";
import type { Headline, Suite, SuiteOptions, SuiteResult, Table } from "../lib/types.js";

type Encoding = "identity" | "gzip" | "br";

interface Variant {
  id: string;
  route: "plain" | "copilotkit";
  encoding: Encoding;
}

interface Sample {
  wireBytes: number;
  bodyBytes: number;
  serverCpuMs: number;
  firstEventMs: number;
  totalMs: number;
  tokens: number;
}

/** POSTs a run with node:http (no automatic decompression) and reads it to the end. */
function readRaw(url: string, body: unknown, encoding: Encoding): Promise<Omit<Sample, "serverCpuMs">> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "text/event-stream",
        ...(encoding === "identity" ? {} : { "Accept-Encoding": encoding }),
      },
    });
    req.on("response", (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`POST ${url}: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      const got = res.headers["content-encoding"] ?? "identity";
      if (got !== encoding) {
        reject(new Error(`asked for ${encoding}, got ${got}`));
        res.resume();
        return;
      }
      let wireBytes = 0;
      let bodyBytes = 0;
      let firstEventMs = Number.NaN;
      let tail = "";
      let tokens = 0;
      res.on("data", (b: Buffer) => {
        wireBytes += b.length;
      });
      const decoded =
        got === "gzip" ? res.pipe(createGunzip()) : got === "br" ? res.pipe(createBrotliDecompress()) : res;
      decoded.on("data", (b: Buffer) => {
        bodyBytes += b.length;
        const text = tail + b.toString("utf8");
        const frames = text.split("\n\n");
        tail = frames.pop() ?? "";
        for (const f of frames) {
          if (!f.includes("data:")) continue;
          if (Number.isNaN(firstEventMs)) firstEventMs = performance.now() - t0;
          if (f.includes('"TEXT_MESSAGE_CONTENT"')) tokens++;
        }
      });
      decoded.on("end", () =>
        resolve({ wireBytes, bodyBytes, firstEventMs, totalMs: performance.now() - t0, tokens }),
      );
      decoded.on("error", reject);
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

async function once(server: BenchServer, v: Variant, events: number): Promise<Sample> {
  const url =
    v.route === "plain"
      ? `${server.url}/api/agents/bench/run`
      : `${server.url}/api/copilotkit/agent/bench/run`;
  const before = await server.stats();
  const r = await readRaw(url, runInput(events), v.encoding);
  const after = await server.stats();
  return { ...r, serverCpuMs: (after.cpuUs - before.cpuUs) / 1000 };
}

const VARIANTS: Variant[] = [
  { id: "plain-identity", route: "plain", encoding: "identity" },
  { id: "plain-gzip", route: "plain", encoding: "gzip" },
  { id: "plain-br", route: "plain", encoding: "br" },
  { id: "copilotkit-identity", route: "copilotkit", encoding: "identity" },
  { id: "copilotkit-gzip", route: "copilotkit", encoding: "gzip" },
];

export const compressionSuite: Suite = {
  id: "compression",
  title: "8. Compressed event streams (10,000-token run)",
  async run({ smoke, log }: SuiteOptions): Promise<SuiteResult> {
    // 10,000 tokens: every 200 tokens the workload adds a tool call (about 11 more events).
    const events = smoke ? 300 : 10_560;
    const reps = (v: Variant) => (smoke ? 1 : v.route === "plain" ? 7 : 3);
    const server = await startServer();
    const samples = new Map<string, Sample[]>(VARIANTS.map((v) => [v.id, []]));
    try {
      await server.prepare(events);
      for (const v of VARIANTS) await once(server, v, events); // warm-up, not counted
      const rounds = Math.max(...VARIANTS.map(reps));
      for (let r = 0; r < rounds; r++) {
        // Interleaved: every round runs each variant once, so drift hits all alike.
        for (const v of VARIANTS) {
          if (r >= reps(v)) continue;
          (samples.get(v.id) as Sample[]).push(await once(server, v, events));
        }
        log(`compression: round ${r + 1}/${rounds}`);
      }
    } finally {
      await server.close();
    }
    const s = (id: string, f: (x: Sample) => number): Stat => stat((samples.get(id) as Sample[]).map(f));
    const tokens = s("plain-identity", (x) => x.tokens).median;
    const table: Table = {
      caption: `One run of the generator agent: ${tokens} tokens (${events} events requested); medians (min–max)`,
      head: [
        "route",
        "encoding",
        "bytes on the wire",
        "decoded bytes",
        "server CPU",
        "time to first event",
        "total time",
        "runs",
      ],
      rows: VARIANTS.map((v) => [
        v.route,
        v.encoding,
        fmtBytes(s(v.id, (x) => x.wireBytes).median),
        fmtBytes(s(v.id, (x) => x.bodyBytes).median),
        fmt(
          s(v.id, (x) => x.serverCpuMs),
          "ms",
        ),
        fmt(
          s(v.id, (x) => x.firstEventMs),
          "ms",
        ),
        fmt(
          s(v.id, (x) => x.totalMs),
          "ms",
        ),
        String(samples.get(v.id)?.length ?? 0),
      ]),
    };
    const ratio = (a: string, b: string, f: (x: Sample) => number) => pairedRatio(s(a, f), s(b, f));
    const wire = (x: Sample) => x.wireBytes;
    const cpu = (x: Sample) => x.serverCpuMs;
    const first = (x: Sample) => x.firstEventMs;
    const ratios: [string, string, string][] = [
      ["plain-identity", "plain-gzip", "plain, gzip"],
      ["plain-identity", "plain-br", "plain, brotli"],
      ["copilotkit-identity", "copilotkit-gzip", "CopilotKit route, gzip"],
    ];
    const ratioTable: Table = {
      caption: "Compressed vs not, paired by round",
      head: [
        "comparison",
        "bytes: identity ÷ compressed",
        "server CPU: compressed ÷ identity",
        "time to first event: compressed ÷ identity",
      ],
      rows: ratios.map(([id, c, label]) => [
        label,
        fmtRatio(ratio(id, c, wire)),
        fmtRatio(ratio(c, id, cpu)),
        fmtRatio(ratio(c, id, first)),
      ]),
    };
    const headlines: Headline[] = ratios.map(([id, c, label]) => ({
      label: `Compression, ${label}: bytes on the wire, 10,000 tokens`,
      ratio: ratio(id, c, wire),
      meaning: "identity bytes ÷ compressed bytes",
    }));
    const figures: Record<string, number> = {};
    for (const v of VARIANTS) {
      figures[`${v.id}_wire_bytes`] = s(v.id, wire).median;
      figures[`${v.id}_server_cpu_ms`] = s(v.id, cpu).median;
      figures[`${v.id}_first_event_ms`] = s(v.id, first).median;
    }
    return {
      id: "compression",
      title: this.title,
      method:
        "The benchmark server (a child process running the real `createAgentServer`, compression on by default) streams the workload's generator agent for a 10,000-token run. The client is `node:http` (no automatic decompression), so the bytes counted are the bytes on the wire; it decodes gzip/brotli with Node's zlib as the bytes arrive and notes when the first SSE frame is complete. `Accept-Encoding` absent (identity), `gzip` or `br`; variants interleave round by round in the same server process. Server CPU is the server process's `process.cpuUsage()` delta around each run (it includes compressing). The server flushes the compressor after every write (`Z_SYNC_FLUSH`, `BROTLI_OPERATION_FLUSH`; gzip level 6, brotli quality 4), so events are not held back.",
      tables: [table, ratioTable],
      headlines,
      targets: [],
      figures,
      notes: [
        "Time to first event is measured to the first complete SSE frame after decompression: a compressed stream that held events back would show here.",
      ],
    };
  },
};
