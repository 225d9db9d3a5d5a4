// The server side of scripts/load.ts, run by plain Node on the built package (dist): a synthetic
// generator agent of ~N events behind the real server, on 127.0.0.1, port 0. Reports its URL and
// memory over IPC. Not meant to be run by hand.
import { createAgentServer, defineAgent, silentLogger } from "@agentstream/runtime";

const events = Number(process.argv[2] ?? 200);
// Fixed part below is ~30 events; the rest are TEXT_MESSAGE_CONTENT.
const tokens = Math.max(1, events - 30);

const load = defineAgent({
  name: "load",
  description: "Synthetic agent for load tests.",
  async *run(input) {
    yield { type: "status", status: "started" };
    for (const t of ["Planning ", "the ", "answer ", "now."]) yield { type: "thinking", text: t };
    yield { type: "tool_call", id: `call_${input.runId}`, name: "lookup", args: { q: input.prompt } };
    yield {
      type: "tool_result",
      id: `call_${input.runId}`,
      name: "lookup",
      result: { hits: 3 },
      success: true,
    };
    for (let i = 0; i < 4; i++) yield { type: "progress", step: `step ${i + 1}`, current: i, total: 4 };
    yield { type: "status", status: "acting" };
    for (let i = 0; i < tokens; i++) yield `word${i} `;
    yield { type: "status", status: "completed" };
    return { tokens };
  },
});

const server = createAgentServer({ agents: [load], paceMs: 0, logger: silentLogger, env: {} });
const url = await server.listen(0, "127.0.0.1");
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);
process.on("message", (msg) => {
  if (msg.type === "memory") {
    const cpu = process.cpuUsage();
    process.send({
      type: "memory",
      peakRss: peak,
      maxRss: process.resourceUsage().maxRSS * 1024,
      rss: process.memoryUsage().rss,
      cpuMs: (cpu.user + cpu.system) / 1000,
    });
  }
  if (msg.type === "stop") {
    clearInterval(sampler);
    server.close().then(() => process.exit(0));
  }
});
process.on("message", (msg) => {
  if (msg.type === "cpu") {
    const cpu = process.cpuUsage();
    process.send({ type: "cpu", cpuMs: (cpu.user + cpu.system) / 1000 });
  }
});
process.send({ type: "ready", url, rss: process.memoryUsage().rss });
