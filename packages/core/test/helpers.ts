import { verifyEvents } from "@ag-ui/client";
import { type BaseEvent, EventSchemas } from "@ag-ui/core";
import { from, lastValueFrom, toArray } from "rxjs";
import type { StreamChunk } from "../src/index.js";

/** Runs events through @ag-ui/client's verifier (and @ag-ui/core's schemas); rejects with the verifier's error. */
export async function verify(events: BaseEvent[]): Promise<BaseEvent[]> {
  for (const ev of events) EventSchemas.parse(ev);
  return lastValueFrom(from(events).pipe(verifyEvents(false), toArray()));
}

let seq = 0;
/** Builds a chunk with an envelope (seq increments, timestamp = 1000 + seq). */
export function ch<T extends StreamChunk["type"]>(
  type: T,
  fields: Omit<Extract<StreamChunk, { type: T }>, "type" | "seq" | "timestamp">,
): Extract<StreamChunk, { type: T }> {
  const s = seq++;
  return { type, seq: s, timestamp: 1000 + s, ...fields } as Extract<StreamChunk, { type: T }>;
}
export function resetSeq(): void {
  seq = 0;
}
