/**
 * A terminal client of the Hono server, with @agentstream/core's run client (the same one the React
 * hooks use): starts a run of `counter` and prints its tokens as they arrive.
 *
 *   node client.mjs [prompt]       # BASE_URL=http://127.0.0.1:3000 by default
 */
import { createRunClient } from "@agentstream/core";

const client = createRunClient({ baseUrl: process.env.BASE_URL ?? "http://127.0.0.1:3000" });
const run = client.run("counter", process.argv[2] ?? "10");
for await (const chunk of run.chunks()) {
  if (chunk.type === "token") process.stdout.write(chunk.text);
}
const state = run.store.getSnapshot();
console.log(`\n${run.status} (${state.status}), thread ${run.threadId}`);
