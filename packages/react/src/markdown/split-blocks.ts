const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})\s*$/;

interface Fence {
  char: string;
  length: number;
  marker: string;
}

/** The fence a line opens, if any. */
function opens(line: string): Fence | null {
  const marker = FENCE_OPEN.exec(line)?.[1];
  return marker ? { char: marker.charAt(0), length: marker.length, marker } : null;
}

/** True when `line` closes `fence` (same character, at least as long, nothing after it). */
function closes(line: string, fence: Fence): boolean {
  const marker = FENCE_CLOSE.exec(line)?.[1];
  return marker !== undefined && marker.charAt(0) === fence.char && marker.length >= fence.length;
}

/**
 * Splits markdown into top-level blocks at blank lines outside fenced code, so that a streamed
 * document can be rendered block by block. The last block is the one still growing while the
 * text streams; it is kept (possibly empty) so that it keeps its position.
 */
export function splitBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: Fence | null = null;

  for (const line of markdown.split("\n")) {
    if (fence) {
      current.push(line);
      if (closes(line, fence)) fence = null;
    } else if (line.trim() === "") {
      if (current.length > 0) blocks.push(current.join("\n"));
      current = [];
    } else {
      fence = opens(line);
      current.push(line);
    }
  }
  blocks.push(current.join("\n"));
  return blocks;
}

/** The marker of the fenced code block `markdown` ends inside, or null when every fence is closed. */
export function unclosedFence(markdown: string): string | null {
  let fence: Fence | null = null;
  for (const line of markdown.split("\n")) {
    if (fence) {
      if (closes(line, fence)) fence = null;
    } else {
      fence = opens(line);
    }
  }
  return fence ? fence.marker : null;
}
