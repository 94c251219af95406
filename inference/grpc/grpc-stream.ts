/**
 * A ModelStreamInfer stream's flow (Triton's streaming inference): every message is a request, answered on the stream
 * when it is served (not necessarily in order; clients match answers by id). At most STREAM_IN_FLIGHT of a stream's
 * requests are served at once, and none while its answers wait for the client to take them: past either, the stream
 * is not read, so a client can queue neither work nor answers without bound (C-core clients keep HTTP/2's flow
 * control, so grpc-js's write then waits). The stream ends when the client has ended its side and every request is
 * answered; stopped (on shutdown), it reads no more, answers what is in flight, then ends UNAVAILABLE saying so.
 */
import * as grpc from "@grpc/grpc-js";
import type { Logger } from "pino";

/** Requests of one stream served at once; past it the stream is not read until one is answered. */
export const STREAM_IN_FLIGHT = 64;

/**
 * Serves `call` until it ends: `serve` answers one message (undefined: nothing to write, the client is gone). While
 * open, the stream's stop is in `open` (the server calls each on close).
 */
export function serveStream(
  call: grpc.ServerDuplexStream<Buffer, unknown>,
  open: Set<() => void>,
  log: Logger,
  serve: (bytes: Buffer) => Promise<object | undefined>,
): Promise<void> {
  // Each request in flight listens for the stream's cancellation.
  call.setMaxListeners(STREAM_IN_FLIGHT + 10);
  let pending = 0;
  let clientDone = false;
  let stopping = false;
  return new Promise<void>((resolve) => {
    const finish = () => {
      if (pending > 0 || !(clientDone || stopping) || !open.delete(stop)) return;
      if (call.cancelled) {
        // Nothing to send.
      } else if (clientDone) call.end();
      else call.emit("error", { code: grpc.status.UNAVAILABLE, details: "the server is shutting down: requests not answered on this stream were not served; send them again on a new stream" });
      resolve();
    };
    /** Read while fewer than STREAM_IN_FLIGHT requests are served and the answers are being taken. */
    const flow = () => {
      if (!stopping && pending < STREAM_IN_FLIGHT && !call.writableNeedDrain) call.resume();
      else call.pause();
    };
    const stop = () => {
      stopping = true;
      flow();
      finish();
    };
    open.add(stop);
    call.on("drain", flow);
    call.on("data", (bytes: Buffer) => {
      if (stopping) return;
      pending++;
      flow();
      serve(bytes)
        .then((answer) => {
          if (answer !== undefined && !call.cancelled) call.write(answer);
        })
        .catch((e: unknown) => log.error({ err: e }, "unexpected error while answering on a gRPC stream"))
        .finally(() => {
          pending--;
          flow();
          finish();
        });
    });
    const clientEnded = () => {
      clientDone = true;
      finish();
    };
    call.on("end", clientEnded);
    call.on("cancelled", clientEnded);
  });
}
