/**
 * A consumer of the packed packages, as a user writes it after `npm install @agentstream/runtime
 * @ag-ui/client`: compiled with `tsc --noEmit` against the tarballs' .d.ts (packaging/test/consumer.test.ts).
 * Nothing here is installed but the tarballs, `@ag-ui/client` 1.0.0 (what npm installs today) and,
 * under an alias, `@ag-ui/client` 0.0.59 (the version the CopilotKit runtime pins).
 */
import { HttpAgent } from "@ag-ui/client";
import { defineAgent, fromAgUiAgent, silentLogger } from "@agentstream/runtime";
import { type AgentServer, createAgentServer } from "@agentstream/runtime/express";
import { HttpAgent as HttpAgent0059 } from "ag-ui-client-0059";

/** `true` only when T is `any`: a type that failed to resolve with skipLibCheck on would be `any`. */
type IsAny<T> = 0 extends 1 & T ? true : false;
function resolved<T>(_value: T, _notAny: IsAny<T> extends true ? never : true): void {}

// The README's `fromAgUiAgent(new HttpAgent(...))` with @ag-ui/client 1.0 and with 0.0.59.
export const remote = defineAgent({
  name: "remote",
  description: "A remote AG-UI agent through @ag-ui/client 1.0's HttpAgent.",
  async *run(input, ctx) {
    const agent = new HttpAgent({ url: "http://127.0.0.1:4000/api/agents/echo/run" });
    const outcome = yield* fromAgUiAgent(agent, input, { signal: ctx.signal, agent: "remote" });
    return outcome.text;
  },
});
export const remote0059 = defineAgent({
  name: "remote0059",
  description: "The same through @ag-ui/client 0.0.59's HttpAgent.",
  async *run(input, ctx) {
    return (yield* fromAgUiAgent(
      new HttpAgent0059({ url: "http://127.0.0.1:4000/api/agents/echo/run" }),
      input,
      {
        signal: ctx.signal,
      },
    )).text;
  },
});

// Express's types reach the consumer through the public API (AgentServer.app is an Express app).
const server: AgentServer = createAgentServer({ agents: [remote, remote0059], logger: silentLogger });
resolved(server.app, true);
resolved(server.httpServer, true);
server.app.get("/hello", (req, res) => {
  resolved(req, true);
  res.json({ path: req.path });
});

export { server };
