/**
 * Reads a request body up to a limit. Content-Length is checked before reading anything; a chunked body is counted
 * while it streams and reading stops at the limit (the socket is then closed after the 413), so an oversized body
 * is never buffered.
 */
import type { IncomingMessage } from "node:http";
import { OipError } from "@/lib/oip/oip-error";

export class BodyTooLargeError extends OipError {
  constructor(limit: number) {
    super(413, `request body is larger than the limit of ${limit} bytes (FERRY_MAX_REQUEST_BYTES)`);
  }
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (e?: Error) => {
      if (done) return;
      done = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onAborted);
      if (e) reject(e);
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = (e: Error) => finish(e);
    const onAborted = () => finish(new Error("client aborted the request"));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onAborted);
  });
}
