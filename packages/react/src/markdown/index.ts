/**
 * @agentstream/react/markdown: streaming-safe, sanitized markdown for streamed text.
 * A separate entry so that the main one does not carry react-markdown.
 *
 * @example
 * import { StreamView } from "@agentstream/react";
 * import { renderMarkdown } from "@agentstream/react/markdown";
 * <StreamView store={store} renderText={renderMarkdown} />
 *
 * @packageDocumentation
 */
export { renderMarkdown } from "./render-markdown.js";
export { splitBlocks } from "./split-blocks.js";
export { healMarkdown, StreamMarkdown, type StreamMarkdownProps } from "./stream-markdown.js";
export { safeUrlTransform } from "./url-transform.js";
