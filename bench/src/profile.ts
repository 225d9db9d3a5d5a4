/**
 * Profiles the bench server child on one path: `tsx --conditions=@agentstream/source
 * src/profile.ts [ours|inmemory|plain] [tokens] [runs] [dir]` reads `runs` whole runs of
 * `tokens` plain tokens and leaves the server's V8 CPU profile (node --cpu-prof) in `dir`.
 *
 * @packageDocumentation
 */
process.env.COPILOTKIT_TELEMETRY_DISABLED = "true";
process.env.DO_NOT_TRACK = "1";
process.env.NODE_ENV = "production";

import { copilotUrl, plainUrl, readRun, runInput } from "./lib/http.js";
import { startServer } from "./lib/server.js";

const [path = "ours", tokens = "32000", runs = "5", dir = "/tmp/agentstream-prof"] = process.argv.slice(2);
process.env.BENCH_SERVER_CPU_PROF = dir;
const server = await startServer();
const url =
  path === "plain"
    ? plainUrl(server.url, "bench-tokens")
    : copilotUrl(path === "inmemory" ? server.inmemoryUrl : server.url, "bench-tokens");
try {
  await server.prepare(Number(tokens));
  for (let i = 0; i < Number(runs); i++) {
    const input = runInput(0);
    (input.messages[0] as { content: string }).content = `tokens=${tokens}`;
    const r = await readRun(url, input);
    console.log(`${path} ${tokens} tokens: ${r.totalMs.toFixed(0)} ms, ${r.events} events`);
  }
} finally {
  await server.close();
}
console.log(`profile in ${dir} (server pid ${server.pid})`);
