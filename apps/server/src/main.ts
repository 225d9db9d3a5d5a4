/**
 * The runnable AgentStream backend: the runtime's agent server with the embedded agents
 * (@agentstream/agents), a foreign AG-UI agent served through `fromAgUiAgent` (`graph`), and the
 * built demo app (apps/demo/dist) at `/`. Configured by environment variables (see the README).
 *
 *   node apps/server/dist/main.js        (pnpm start at the repository root)
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startTracing } from "./tracing.js";

// Before CopilotKit is imported: its telemetry client reads these when its module loads.
process.env.COPILOTKIT_TELEMETRY_DISABLED ??= "true";
process.env.DO_NOT_TRACK ??= "1";

// Signals are handled from the start: before the server listens there is nothing to drain.
let server: { shutdown(): Promise<void> } | undefined;
let runner: import("@agentstream/runtime/runner").AgentStreamRunner | undefined;
/** The Redis runner's connection, when there is one (the run limits count there). */
let limitsStore: unknown;
let stopping = false;
// Before anything else runs: the runtime's run spans go to the provider registered here.
const tracing = startTracing(process.env);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping || !server) {
      if (stopping) console.error(`[agentstream] ${signal} again: exiting now`);
      process.exit(stopping ? 1 : 0);
    }
    stopping = true;
    console.log(`[agentstream] ${signal}: finishing running streams, then exiting`);
    server
      .shutdown()
      .then(() => runner?.close())
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`[agentstream] shutdown failed: ${String(error)}`);
          process.exit(1);
        },
      );
  });
}

const { createLogger, serverOptionsFromEnv } = await import("@agentstream/runtime");
const { createAgentServer } = await import("@agentstream/runtime/express");
const { createEmbeddedAgents } = await import("@agentstream/agents");
const { createGraphAgent } = await import("./foreign-agent.js");
// The dashboard page at GET /dashboard (prebuilt by the kit; the runtime does not import React).
const { dashboardPage } = await import("@agentstream/react/dashboard-page");

let options: ReturnType<typeof serverOptionsFromEnv>;
try {
  options = serverOptionsFromEnv(process.env);
} catch (error) {
  console.error(`[agentstream] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
// REDIS_URL switches to the Redis runner (several instances share runs); without it, the memory runner.
if (process.env.REDIS_URL?.trim()) {
  const { RedisRunner, redisRunnerOptionsFromEnv, redactUrl } = await import("@agentstream/runner-redis");
  let redisOptions: ReturnType<typeof redisRunnerOptionsFromEnv>;
  try {
    redisOptions = redisRunnerOptionsFromEnv(process.env);
  } catch (error) {
    console.error(`[agentstream] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  try {
    const redisRunner = await RedisRunner.open(redisOptions);
    runner = redisRunner;
    limitsStore = redisRunner.redis;
  } catch (error) {
    const reason =
      (error as { reason?: string }).reason ?? (error instanceof Error ? error.message : String(error));
    console.error(
      `[agentstream] cannot connect to Redis at REDIS_URL=${redactUrl(process.env.REDIS_URL.trim())}: ${reason}`,
    );
    process.exit(1);
  }
}
const demoDir = fileURLToPath(new URL("../../demo/dist", import.meta.url));
const staticDir = options.staticDir ?? demoDir;
const logger = createLogger({ level: options.logLevel ?? "info" });
const agents = { ...createEmbeddedAgents({ env: process.env, logger }), graph: createGraphAgent() };
const agentServer = createAgentServer({
  ...options,
  // With Redis, the run limits are counted there: every instance shares them.
  ...(options.limits && limitsStore ? { limits: { ...options.limits, storeClient: limitsStore } } : {}),
  // AGENTSTREAM_DASHBOARD=off (or AGENTSTREAM_METRICS=off) leaves it out.
  ...(options.dashboard === false || (options.metrics === false && options.dashboard === undefined)
    ? {}
    : { dashboard: dashboardPage }),
  logger,
  staticDir,
  agents,
  ...(runner ? { runner } : {}),
});

let url: string;
try {
  url = await agentServer.listen();
  server = agentServer;
} catch (error) {
  console.error(`[agentstream] cannot listen: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const hasDemo = existsSync(`${staticDir}/index.html`);
console.log(`AgentStream server listening on ${url}`);
console.log(`  agents:     ${agentServer.agents.map((a) => a.id).join(", ")}`);
console.log(`  copilotkit: ${url}/api/copilotkit`);
console.log(`  plain:      ${url}/api/agents/:agentId/run`);
console.log(
  `  runner:     ${runner ? `redis (${process.env.REDIS_URL?.replace(/\/\/[^@/]*@/, "//***@")})` : "memory"}`,
);
console.log(`  dashboard:  ${agentServer.handler.runs ? `${url}/dashboard (GET /api/runs)` : "off"}`);
console.log(`  demo:       ${hasDemo ? `${url}/` : "not built (pnpm --filter @agentstream/demo build)"}`);
