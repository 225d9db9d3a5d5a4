/**
 * The API and the built app on one node:http server: `toNodeListener(handler)` answers `/api/*`
 * (and `/healthz`), the files of `dist/` answer the rest.
 *
 *   npm run build && node server.mjs     # PORT=3000 HOST=127.0.0.1 by default
 */
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { createAgentHandler, defineAgent } from "@agentstream/runtime";
import { toNodeListener } from "@agentstream/runtime/node";

/** Counts to 40 (or the number sent), one word every 50 ms: slow enough to watch, and to Stop. */
const counter = defineAgent({
  name: "counter",
  description: "Counts to 40 (or the number you send), one word every 50 ms.",
  async *run(input, ctx) {
    const total = Number.parseInt(input.prompt, 10) || 40;
    let sent = 0;
    try {
      yield { type: "status", status: "acting" };
      for (let i = 1; i <= total; i++) {
        yield { type: "progress", step: "Counting", current: i, total };
        yield `${i} `;
        sent = i;
        await ctx.sleep(50); // abort-aware: Stop ends the run here
      }
      return { counted: total };
    } finally {
      console.log(`[counter] generator closed after ${sent} of ${total} (thread ${ctx.threadId})`);
    }
  },
});

const handler = createAgentHandler({ agents: [counter] });
const api = toNodeListener(handler);

const dist = fileURLToPath(new URL("./dist/", import.meta.url));
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
};

/** A file of dist/, or index.html for any other path (the app routes on the client). */
function serveStatic(req, res) {
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
  let file = normalize(join(dist, path));
  if (!file.startsWith(dist)) file = join(dist, "index.html");
  try {
    if (!statSync(file).isFile()) file = join(dist, "index.html");
  } catch {
    file = join(dist, "index.html");
  }
  const immutable = file.includes(`${join(dist, "assets")}`);
  res.writeHead(200, {
    "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
    "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
  });
  createReadStream(file).pipe(res);
}

const server = createServer((req, res) => {
  const path = (req.url ?? "/").split("?")[0];
  if (path === "/api" || path.startsWith("/api/") || path === "/healthz") return api(req, res);
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405).end();
    return;
  }
  serveStatic(req, res);
});

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";
server.listen(port, host, () =>
  console.log(`AgentStream (node:http + Vite build) on http://${host}:${port}`),
);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    handler.beginShutdown();
    await handler.close(`received ${signal}`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
