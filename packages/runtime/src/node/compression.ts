/**
 * Compressed event streams for Node: gzip, deflate or brotli (what the client's `Accept-Encoding`
 * prefers), with a flush after every write (`Z_SYNC_FLUSH` / `BROTLI_OPERATION_FLUSH` as the
 * streams' default flush mode) so each event leaves the server as soon as it is written:
 * streaming stays streaming, and the compressor keeps its dictionary across events (a sync
 * flush, not a full one), which is where the ratio comes from.
 *
 * @packageDocumentation
 */
import type { Transform } from "node:stream";
import { constants, createBrotliCompress, createDeflate, createGzip } from "node:zlib";

/** Options of the compression of event streams. */
export interface StreamCompressionOptions {
  /** zlib level for gzip/deflate (0–9). Default 6. */
  level?: number;
  /** Brotli quality (0–11). Default 4 (fast enough for per-event flushes). */
  brotliQuality?: number;
}

/** The encodings we speak, best first (used to break ties between equal q-values). */
const PREFERRED = ["br", "gzip", "deflate"] as const;
type Encoding = (typeof PREFERRED)[number];

/** The encoding `Accept-Encoding` prefers among ours, or undefined (identity). */
export function negotiateEncoding(acceptEncoding: string | null | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  let best: { encoding: Encoding; q: number; rank: number } | undefined;
  let wildcard: number | undefined;
  const listed = new Set<string>();
  for (const part of acceptEncoding.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (name === "*") {
      wildcard = q;
      continue;
    }
    listed.add(name);
    const rank = PREFERRED.indexOf(name as Encoding);
    if (rank < 0 || q <= 0) continue;
    if (!best || q > best.q || (q === best.q && rank < best.rank))
      best = { encoding: name as Encoding, q, rank };
  }
  if (best) return best.encoding;
  if (wildcard !== undefined && wildcard > 0) return PREFERRED.find((e) => !listed.has(e));
  return undefined;
}

/** A compressor for `encoding` that flushes every write. */
export function createCompressor(encoding: Encoding, options: StreamCompressionOptions = {}): Transform {
  switch (encoding) {
    case "br":
      return createBrotliCompress({
        flush: constants.BROTLI_OPERATION_FLUSH,
        params: { [constants.BROTLI_PARAM_QUALITY]: options.brotliQuality ?? 4 },
      });
    case "gzip":
      return createGzip({ level: options.level ?? 6, flush: constants.Z_SYNC_FLUSH });
    case "deflate":
      return createDeflate({ level: options.level ?? 6, flush: constants.Z_SYNC_FLUSH });
  }
}
