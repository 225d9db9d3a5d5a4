/**
 * `@agentstream/react/seed`: the kit for code written to the seed patterns. Its `StreamChunk`
 * renders chunks in any spelling the seeds use (`{ type: "stream_chunk", content }`,
 * `tool_name`/`parameters`, `complete`, `tool_start`/`tool_end`, fields wrapped in `data`…; the
 * table is in docs/protocol.md), normalised by core's `toChunk`, the same lenient input layer the
 * runtime uses for agents' yields. It is a subpath of its own so that the normaliser (≈3 KiB) is
 * not in every app: the main entry's `StreamChunk` reads canonical chunks only.
 *
 * @example
 * import { StreamChunk } from "@agentstream/react/seed";
 * messages.map((chunk, i) => <StreamChunk key={i} {...chunk} />);
 *
 * @packageDocumentation
 */
import { toChunk } from "@agentstream/core";
import { chunkComponent } from "../components/stream-chunk.js";

/**
 * `StreamChunk` that also takes the seed patterns' spellings (see the module's documentation);
 * otherwise the same component, props and fallback as the main entry's. Timestamp 0 when the
 * chunk has none: the same props render the same markup on the server and the client.
 */
export const StreamChunk = /* @__PURE__ */ chunkComponent((input, seq) => toChunk(input, seq, 0));

export type { StreamChunkProps } from "../components/stream-chunk.js";
