/**
 * AgentStream in a Hono app: the whole API is one fetch handler, mounted on `/api/*`.
 *
 *   npm install && node server.mjs     # PORT=3000 HOST=127.0.0.1 by default
 *   node client.mjs "5"                # streams a run from this server in the terminal
 */

import { createAgentHandler } from "@agentstream/runtime";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { counter } from "./agents.mjs";

const handler = createAgentHandler({ agents: [counter] });

const app = new Hono();
app.get("/", (c) =>
  c.text("AgentStream on Hono. Try: GET /api/agents, POST /api/agents/counter/run, or `node client.mjs`.\n"),
);
// Every API route: /api/agents…, /api/copilotkit… (CopilotKit v2). Hono hands over the web Request.
app.all("/api/*", (c) => handler.fetch(c.req.raw));

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "127.0.0.1";
const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
  console.log(`AgentStream (Hono) listening on http://${hostname}:${info.port}`);
});

// A graceful stop: refuse new API requests, stop the runs in flight, then close the listener.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    handler.beginShutdown();
    await handler.close(`received ${signal}`);
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
