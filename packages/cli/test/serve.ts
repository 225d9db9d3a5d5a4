// A test server with the fixture agents (demo, slow, broken), for trying the command by hand:
//   node --conditions=@agentstream/source --import tsx test/serve.ts
import { startServer } from "./fixtures.js";

const { url } = await startServer();
process.stdout.write(`${url}\n`);
