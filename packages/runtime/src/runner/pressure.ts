/**
 * Backpressure for readers whose transport the runner does not see. CopilotKit's route writes
 * the events the runner hands its Observable into a stream of its own, without waiting for the
 * socket; the route sets a {@link ReaderPressure} for the request (in async context) and the
 * runner waits on it between batches, so a client that stops reading stops its reader (which may
 * then fall out of the retained window and be told so) instead of growing a buffer.
 *
 * @packageDocumentation
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** Says when the transport can take more. */
export interface ReaderPressure {
  /** Undefined when there is room now; otherwise a promise that settles when there is (or the client left). */
  room(): Promise<void> | undefined;
}

/** The pressure of the request being served (set by the route, read by the runner). */
export const readerPressure = new AsyncLocalStorage<ReaderPressure>();

/** The pressure of a Node response: full while `write()` asked to wait for 'drain'. */
export function responsePressure(res: {
  readonly writableNeedDrain: boolean;
  readonly destroyed: boolean;
  once(event: "drain" | "close", listener: () => void): unknown;
  off(event: "drain" | "close", listener: () => void): unknown;
}): ReaderPressure {
  return {
    room() {
      if (!res.writableNeedDrain || res.destroyed) return undefined;
      return new Promise<void>((resolve) => {
        const done = () => {
          res.off("drain", done);
          res.off("close", done);
          resolve();
        };
        res.once("drain", done);
        res.once("close", done);
      });
    },
  };
}
