// Runs the packed runtime for real: an echo agent served on 127.0.0.1, read back through
// fromAgUiAgent with @ag-ui/client 1.0's HttpAgent and with 0.0.59's. Prints one JSON line.
import { HttpAgent } from "@ag-ui/client";
import { defineAgent, fromAgUiAgent, runAgentChunks, silentLogger } from "@agentstream/runtime";
import { createAgentServer } from "@agentstream/runtime/express";
import { HttpAgent as HttpAgent0059 } from "ag-ui-client-0059";

const echo = defineAgent({
  name: "echo",
  description: "Says hello in three tokens.",
  async *run() {
    yield "hello ";
    yield "from ";
    yield "echo";
  },
});
const server = createAgentServer({ agents: [echo], logger: silentLogger, paceMs: 0 });
const url = await server.listen(0, "127.0.0.1");
const input = (n) => ({
  threadId: `t${n}`,
  runId: `r${n}`,
  messages: [{ id: `m${n}`, role: "user", content: "hi" }],
  tools: [],
  context: [],
  state: {},
  forwardedProps: {},
});
async function through(Agent, n) {
  const via = defineAgent({
    name: `via${n}`,
    description: "reads echo over HTTP",
    async *run(agentInput, ctx) {
      return (yield* fromAgUiAgent(new Agent({ url: `${url}/api/agents/echo/run` }), agentInput, {
        signal: ctx.signal,
      })).text;
    },
  });
  let text = "";
  for await (const chunk of runAgentChunks(via, input(n))) if (chunk.type === "token") text += chunk.text;
  return text;
}
try {
  console.log(JSON.stringify({ v1: await through(HttpAgent, 1), v0059: await through(HttpAgent0059, 2) }));
} finally {
  await server.close();
}
