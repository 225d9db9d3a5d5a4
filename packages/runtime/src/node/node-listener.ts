/**
 * The Node adapter of the fetch handler: `toNodeListener(handler)` is a `(req, res)` listener
 * for `node:http` (and Express, Fastify's raw mode, …). The web `Request` is made by
 * `@remix-run/node-fetch-server` (its abort signal fires when the connection closes); the
 * `Response` is written here, because event streams need what only Node has: compression that
 * flushes every event, backpressure from the socket (the body is read only when the socket can
 * take more), and the bytes on the wire counted for `/metrics`.
 *
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Writable } from "node:stream";
import { createRequest } from "@remix-run/node-fetch-server";
import { type AgentHandler, routeOf } from "../handler/create-handler.js";
import { connectionOf } from "../server/connections.js";
import { createCompressor, negotiateEncoding, type StreamCompressionOptions } from "./compression.js";

/** Options of {@link toNodeListener}. */
export interface NodeListenerOptions {
  /**
   * Compress event streams for clients that send `Accept-Encoding` (gzip, deflate, brotli),
   * flushing after every event. Default true.
   */
  compression?: boolean | StreamCompressionOptions;
}

/** A Node request listener. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

const isEventStream = (response: Response) =>
  (response.headers.get("content-type") ?? "").startsWith("text/event-stream");

/** Waits until `stream` can take more, or the response is gone. */
function drained(stream: Writable, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      res.off("close", done);
      resolve();
    };
    stream.once("drain", done);
    res.once("close", done);
  });
}

/** Wraps `handler` in a Node request listener (see the module documentation). */
export function toNodeListener(
  handler: Pick<AgentHandler, "fetch" | "metrics" | "logger">,
  options: NodeListenerOptions = {},
): NodeListener {
  const compression = options.compression ?? true;
  const compressOptions = typeof compression === "object" ? compression : {};
  return (req, res) => {
    void (async () => {
      const request = createRequest(req, res);
      let response: Response;
      try {
        response = await handler.fetch(request, {
          remoteAddress: req.socket.remoteAddress ?? "",
          nodeRequest: req,
        });
      } catch (error) {
        handler.logger.error("handler_error", {
          message: error instanceof Error ? error.message : String(error),
        });
        response = Response.json(
          { error: { code: "internal_error", message: "Internal server error" } },
          { status: 500 },
        );
      }
      await send(res, req, response);
    })();
  };

  async function send(res: ServerResponse, req: IncomingMessage, response: Response): Promise<void> {
    if (res.destroyed) {
      await response.body?.cancel().catch(() => {});
      return;
    }
    const stream = isEventStream(response);
    const encoding =
      stream && compression !== false ? negotiateEncoding(req.headers["accept-encoding"]) : undefined;
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of response.headers) {
      const previous = headers[name];
      headers[name] =
        previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
    if (stream) headers.vary = headers.vary ? `${headers.vary}, Accept-Encoding` : "Accept-Encoding";
    if (encoding) {
      headers["content-encoding"] = encoding;
      delete headers["content-length"];
    }
    res.writeHead(response.status, headers);
    if (stream) {
      res.flushHeaders();
      res.socket?.setNoDelay(true);
    }
    if (response.body === null || req.method === "HEAD") {
      res.end();
      return;
    }
    const route = stream ? routeOf(response) : undefined;
    const connection = stream ? connectionOf(response) : undefined;
    const counted = (bytes: number) => {
      if (route !== undefined) handler.metrics?.countBytes(route, encoding ?? "identity", bytes);
      if (connection) connection.bytes += bytes;
    };
    const compressor = encoding ? createCompressor(encoding, compressOptions) : undefined;
    const out: Writable = compressor ?? res;
    if (compressor) {
      compressor.on("data", (chunk: Buffer) => counted(chunk.byteLength));
      compressor.pipe(res);
    }
    const reader = response.body.getReader();
    let closed = false;
    const onClose = () => {
      closed = true;
      void reader.cancel().catch(() => {});
    };
    res.once("close", onClose);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || closed) break;
        if (!compressor) counted(value.byteLength);
        if (!out.write(value)) await drained(out, res);
        if (closed || res.destroyed) return;
      }
    } catch {
      // the body failed (its stream errored): end what was sent
    } finally {
      res.off("close", onClose);
      reader.releaseLock();
    }
    if (!closed) out.end();
  }
}
