import type { ChunkInput, StreamChunk } from "@agentstream/core";

/** Builds chunks with increasing `seq` and `timestamp` (1 s apart unless given). */
export function chunker(start = 1_000, step = 1_000) {
  let seq = 0;
  let time = start;
  return (input: ChunkInput): StreamChunk => {
    const c = { ...input, seq: input.seq ?? seq, timestamp: input.timestamp ?? time } as StreamChunk;
    seq = c.seq + 1;
    time = c.timestamp + step;
    return c;
  };
}
