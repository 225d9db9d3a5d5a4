/**
 * Requests Node's HTTP parser refuses before any handler sees them (a URL or headers over Node's
 * 16 KiB limit, bytes that are not HTTP) get the server's JSON error envelope too, instead of
 * Node's empty `400`/`431`.
 *
 * @packageDocumentation
 */
import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import type { ApiErrorBody } from "../server/errors.js";

/** The status and message for one of Node's parser errors (`err.code`, e.g. `HPE_HEADER_OVERFLOW`). */
function refusal(code: string | undefined): { status: number; reason: string; message: string } {
  if (code === "HPE_HEADER_OVERFLOW")
    return {
      status: 431,
      reason: "Request Header Fields Too Large",
      message: "The request's URL and headers are over the server's limit (16 KiB)",
    };
  return { status: 400, reason: "Bad Request", message: "Malformed HTTP request" };
}

/** Answers Node's `clientError`s on `server` with a JSON envelope (and closes the connection). */
export function answerClientErrors(server: Server): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, reason, message } = refusal(error.code);
    const envelope: ApiErrorBody = { error: { code: "invalid_input", message } };
    const body = JSON.stringify(envelope);
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
