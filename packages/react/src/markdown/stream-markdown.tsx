import { type ComponentPropsWithoutRef, forwardRef, memo, useMemo } from "react";
import Markdown, { type Components, type Options } from "react-markdown";
import remend from "remend";
import { cx } from "../internal/cx.js";
import { splitBlocks, unclosedFence } from "./split-blocks.js";
import { safeUrlTransform } from "./url-transform.js";

/** Props of {@link StreamMarkdown}. */
export interface StreamMarkdownProps extends Omit<ComponentPropsWithoutRef<"div">, "children"> {
  /** The markdown received so far. */
  text: string;
  /** True while more text may arrive: the unfinished tail is completed (`**bold` → bold). */
  streaming?: boolean;
  /** Element overrides, as in react-markdown. Keep the object stable (module level or memoized). */
  components?: Components;
  /** remark plugins (e.g. remark-gfm). Keep the array stable. */
  remarkPlugins?: Options["remarkPlugins"];
}

/** Links and images whose URL was dropped by the URL transform become plain text. */
const SAFE_COMPONENTS: Components = {
  a: ({ node: _node, href, children, ...props }) =>
    href ? (
      <a href={href} rel="noopener noreferrer nofollow" {...props}>
        {children}
      </a>
    ) : (
      <span className="as-md-link" data-removed="">
        {children}
      </span>
    ),
  img: ({ node: _node, src, alt, ...props }) =>
    src ? (
      <img src={src} alt={alt ?? ""} loading="lazy" {...props} />
    ) : (
      <span className="as-md-image">{alt}</span>
    ),
};

interface BlockProps {
  text: string;
  components: Components;
  remarkPlugins: Options["remarkPlugins"];
}

/**
 * One markdown block. Memoized on its text: finished blocks never re-render while the tail
 * streams. No rehype-raw: raw HTML in the text is shown as inert text, never as elements.
 */
const Block = /* @__PURE__ */ memo(function Block({ text, components, remarkPlugins }: BlockProps) {
  return (
    <Markdown components={components} remarkPlugins={remarkPlugins} urlTransform={safeUrlTransform}>
      {text}
    </Markdown>
  );
});

/** Completes the unfinished tail of a streamed block so that it renders as it will end. */
export function healMarkdown(tail: string): string {
  const healed = remend(tail, { linkMode: "text-only" });
  const fence = unclosedFence(healed);
  return fence ? `${healed}${healed.endsWith("\n") ? "" : "\n"}${fence}` : healed;
}

/**
 * Markdown for streamed text: safe and cheap per token.
 *
 * - Streaming-safe: while `streaming`, the unfinished tail is completed with remend (an unclosed
 *   `**`, `` ` ``, `~~`, link…) and an unclosed code fence is closed, so it does not flicker
 *   between raw and formatted.
 * - Sanitized: raw HTML is rendered as text (no rehype-raw), and `javascript:`, `data:` and
 *   `vbscript:` URLs are dropped.
 * - Incremental: the text is split into blocks at blank lines outside code fences; finished
 *   blocks are memoized, so each token re-renders only the last block.
 *
 * `data-streaming` is present while streaming. Style hook: `.as-markdown`.
 */
export const StreamMarkdown = /* @__PURE__ */ forwardRef<HTMLDivElement, StreamMarkdownProps>(
  function StreamMarkdown({ text, streaming = false, components, remarkPlugins, className, ...rest }, ref) {
    const merged = useMemo(
      () => (components ? { ...SAFE_COMPONENTS, ...components } : SAFE_COMPONENTS),
      [components],
    );
    const blocks = splitBlocks(text);
    const last = blocks.length - 1;
    return (
      <div
        ref={ref}
        className={cx("as-markdown", className)}
        data-streaming={streaming ? "" : undefined}
        {...rest}
      >
        {blocks.map((block, index) => {
          if (index === last && block === "") return null;
          const source = streaming && index === last ? healMarkdown(block) : block;
          // Blocks only ever append: the position is the identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above.
          return <Block key={index} text={source} components={merged} remarkPlugins={remarkPlugins} />;
        })}
      </div>
    );
  },
);
