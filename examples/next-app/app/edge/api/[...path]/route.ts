/**
 * The plain AG-UI routes on Next.js's edge runtime, at `/edge/api/agents…` (the paths of
 * `/api/agents…` behind an `/edge` prefix, so this app can show both runtimes side by side; an
 * app that wants its plain routes on the edge puts this file at `app/api/agents/[...path]` and
 * keeps the Node route for `/api/copilotkit`). CopilotKit's route needs Node.js: it is not here.
 */
import { createEdgeHandler, defineAgent } from "@agentstream/runtime/edge";

export const runtime = "edge";
export const dynamic = "force-dynamic";

/** Says which runtime it runs on, then counts to 20, one word every 50 ms (slow enough to Stop). */
const ticker = defineAgent({
  name: "ticker",
  description: "Names its runtime, then counts to 20, one word every 50 ms.",
  async *run(_input, ctx) {
    const edge = typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime === "string";
    yield `runtime:${edge ? "edge" : "node"} `;
    for (let i = 1; i <= 20; i++) {
      yield `${i} `;
      await ctx.sleep(50);
    }
    return { counted: 20 };
  },
});

const handler = createEdgeHandler({ agents: { ticker } });

/** The handler serves `/api…`; this route is mounted at `/edge/api…`. */
async function unprefixed(request: Request): Promise<Request> {
  const url = new URL(request.url);
  url.pathname = url.pathname.replace(/^\/edge\/api(\/|$)/, "/api$1");
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.text();
  return new Request(url, { method: request.method, headers: request.headers, body, signal: request.signal });
}

export const GET = async (request: Request) => handler.fetch(await unprefixed(request));
export const POST = async (request: Request) => handler.fetch(await unprefixed(request));
