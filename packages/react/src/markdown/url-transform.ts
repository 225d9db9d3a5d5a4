import { defaultUrlTransform } from "react-markdown";

/** Schemes that run code or smuggle documents; links and images using them are dropped. */
const UNSAFE_SCHEME = /^(?:javascript|data|vbscript):/i;
/** Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:"). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point.
const IGNORED = /[\u0000-\u0020\u007f-\u009f]/g;

/**
 * The URL transform of {@link StreamMarkdown}: returns "" (the link is rendered as plain text)
 * for `javascript:`, `data:` and `vbscript:` URLs, however disguised by whitespace or case, then
 * applies react-markdown's own allow-list (http, https, mailto, relative URLs…).
 */
export function safeUrlTransform(url: string): string {
  if (UNSAFE_SCHEME.test(url.replace(IGNORED, ""))) return "";
  return defaultUrlTransform(url);
}
