import type { RenderText } from "../components/stream-segment.js";
import { StreamMarkdown } from "./stream-markdown.js";

/** A `renderText` for {@link StreamView}: renders each text segment with {@link StreamMarkdown}. */
export const renderMarkdown: RenderText = (text, { streaming }) => (
  <StreamMarkdown text={text} streaming={streaming} />
);
