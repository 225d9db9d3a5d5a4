/**
 * Compressed event streams: the `compression` middleware (gzip, deflate, and brotli where Node
 * has it), limited to `text/event-stream` responses of clients that send `Accept-Encoding`, with
 * a flush after every write (`Z_SYNC_FLUSH` / `BROTLI_OPERATION_FLUSH` as the streams' default
 * flush mode) so each event leaves the server as soon as it is written: streaming stays
 * streaming, and the compressor keeps its dictionary across events (a sync flush, not a full
 * one), which is where the ratio comes from.
 *
 * Our SSE responses say `Cache-Control: no-cache, no-transform` (no proxy may buffer or
 * re-encode them). `compression` declines to compress a `no-transform` response, so the
 * directive is set aside while it decides and put back before the headers leave.
 *
 * Works in front of CopilotKit's handler too: it writes the web Response's chunks with
 * `res.write`, one per event.
 *
 * @packageDocumentation
 */
/// <reference path="./on-headers.d.ts" />
import { constants } from "node:zlib";
import compression from "compression";
import type { Request, RequestHandler, Response } from "express";
import onHeaders from "on-headers";

/** Options of {@link streamCompression}. */
export interface StreamCompressionOptions {
  /** zlib level for gzip/deflate (0–9). Default 6. */
  level?: number;
  /** Brotli quality (0–11). Default 4 (fast enough for per-event flushes). */
  brotliQuality?: number;
}

const isEventStream = (res: Response) =>
  String(res.getHeader("Content-Type") ?? "").startsWith("text/event-stream");

/** The compression middleware for event streams (see the module documentation). */
export function streamCompression(options: StreamCompressionOptions = {}): RequestHandler {
  const inner = compression({
    threshold: 0,
    level: options.level ?? 6,
    flush: constants.Z_SYNC_FLUSH,
    brotli: {
      flush: constants.BROTLI_OPERATION_FLUSH,
      params: { [constants.BROTLI_PARAM_QUALITY]: options.brotliQuality ?? 4 },
    },
    filter: (_req: Request, res: Response) => isEventStream(res),
  });
  return (req, res, next) => {
    // No Accept-Encoding: nothing to negotiate (compression would pick identity anyway).
    if (!req.headers["accept-encoding"]) return next();
    let kept: string | undefined;
    // Registered first, so it runs last: after compression decided, before the headers leave.
    onHeaders(res, () => {
      if (kept !== undefined) res.setHeader("Cache-Control", kept);
    });
    inner(req, res, (error?: unknown) => {
      if (error) return next(error);
      // Registered last, so it runs first: hide no-transform from compression's check.
      onHeaders(res, () => {
        const cc = res.getHeader("Cache-Control");
        if (!isEventStream(res) || typeof cc !== "string" || !/no-transform/i.test(cc)) return;
        kept = cc;
        res.setHeader(
          "Cache-Control",
          cc.replace(/,?\s*no-transform/i, "").replace(/^\s*,\s*/, "") || "no-cache",
        );
      });
      next();
    });
  };
}
