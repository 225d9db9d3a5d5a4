/**
 * The whole AgentStream API in one route file: `/api/agents…` (plain AG-UI over SSE: run, events,
 * stop, answer) and `/api/copilotkit…` (CopilotKit v2). Creating the handler does no I/O and starts
 * no timer, so `next build` may evaluate this module safely.
 */
import { createEmbeddedAgents } from "@agentstream/agents";
import { createAgentHandler, defineAgent } from "@agentstream/runtime";

export const runtime = "nodejs"; // the runtime needs Node (CopilotKit's runtime, node:crypto …)
export const dynamic = "force-dynamic"; // every request is live: never cache or prerender

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
      // Runs on every end, a Stop included (the generator's return()).
      console.log(`[counter] generator closed after ${sent} of ${total} (thread ${ctx.threadId})`);
    }
  },
});

const handler = createAgentHandler({
  // the embedded demo agents (research, analyst, calculator, team, default) next to our own
  agents: { counter, ...createEmbeddedAgents({ noLlm: true }) },
});

// Only the request is passed on: Next's second argument ({ params }) is not the handler's context.
export const GET = (request: Request) => handler.fetch(request);
export const POST = (request: Request) => handler.fetch(request);
