/**
 * `@agentstream/runtime/express`: the Express adapter. `createAgentServer(options)` is the fetch
 * handler (`createAgentHandler`) on an Express app, with a static app (`staticDir`), compression
 * that flushes every event, `listen` and graceful `shutdown`. Needs `express` 5 (an optional peer
 * of this package: install it to use this entry).
 *
 * @packageDocumentation
 */

export type { StreamCompressionOptions } from "./node/compression.js";
export { type AgentServer, createAgentServer } from "./node/create-server.js";
