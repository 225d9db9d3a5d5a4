/**
 * `@agentstream/runtime/node`: the Node adapter. `toNodeListener(handler)` turns the fetch handler
 * (`createAgentHandler`) into a `node:http` `(req, res)` listener with socket backpressure and
 * compression that flushes every event.
 *
 * @packageDocumentation
 */
export type { StreamCompressionOptions } from "./node/compression.js";
export { type NodeListener, type NodeListenerOptions, toNodeListener } from "./node/node-listener.js";
