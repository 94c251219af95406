/**
 * A lean HTTP/1.1 server on `node:net` for the data plane's hot path. node:http spends about 20 µs more CPU per request
 * than a minimal net server on this project's machines (~42–45 µs against ~21–24 µs), building IncomingMessage and
 * ServerResponse streams and events around llhttp — more than Ferry's own work on an inference. This server reads a
 * request's head and whole (bounded) body, hands the handler plain objects, and writes each answer in one write. See
 * README.md for what it implements and refuses.
 *
 * This file is the server's contract (the types handlers see) and the server itself: listening, the connections, the
 * timeouts swept over them, draining. Each connection's request-and-answer state machine is connection.ts.
 */
import net from "node:net";
import { Connection } from "./connection";

export interface Http1RequestHead {
  method: string;
  /** Request target (path and query). */
  url: string;
  httpVersion: "1.0" | "1.1";
  /** Lower-case names. */
  headers: Record<string, string>;
}

export interface Http1Request extends Http1RequestHead {
  body: Buffer;
  /** What `admit` returned for this request (undefined without an admit hook). */
  admission?: unknown;
}

export type ReplyHeaders = Record<string, string | number>;

export interface Http1Reply {
  /** True once an answer was written (later calls to send are ignored). */
  readonly sent: boolean;
  /** True when the client went away before the answer was written. */
  readonly gone: boolean;
  /**
   * Writes the answer: status line, these headers plus date, content-length and connection, then the body. A status
   * outside 200-999 or a header that cannot be written as is (not a token name; a value with a control character or
   * one outside latin1) is reported to `onHandlerError` and answered 500 instead.
   */
  send(status: number, headers: ReplyHeaders, body?: Buffer | string): void;
  /** Calls `fn` if the connection closes before the answer is written; returns the unsubscribe. */
  onGone(fn: () => void): () => void;
}

export type Http1Handler = (req: Http1Request, reply: Http1Reply) => void;

/**
 * Runs when a request's head has arrived, before its body is read. Answering through `reply` refuses the request:
 * the body is never read (the connection closes after the answer), so a client without a valid token cannot make
 * the server buffer a body of up to `maxBodyBytes` — nor send it, when it asked `Expect: 100-continue`. Whatever it
 * returns (or resolves to) reaches the handler as `req.admission`.
 */
export type Http1Admit = (head: Http1RequestHead, reply: Http1Reply) => unknown;

export interface Http1ServerOptions {
  maxBodyBytes: number;
  admit?: Http1Admit;
  /** A body over `maxBodyBytes` gets 413 with this message (the socket closes without reading the rest). */
  tooLargeMessage?: (limit: number) => string;
  maxHeaderBytes?: number;
  /** From the first byte of a request to the end of its head (slow-header clients get 408). */
  headersTimeoutMs?: number;
  /** From the first byte of a request to the end of its body. */
  requestTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs?: number;
  /** Called for an exception thrown by the handler, or an answer it gave that cannot be written (both answered 500). */
  onHandlerError?: (e: unknown) => void;
}

export class Http1Server {
  readonly connections = new Set<Connection>();
  readonly maxBodyBytes: number;
  readonly maxHeaderBytes: number;
  readonly maxPendingBytes: number;
  /** Requests handed to the handler and not answered yet (nor abandoned by their client). */
  inFlight = 0;
  /** While true every answer closes its connection (shutdown: clients reconnect elsewhere). */
  draining = false;
  private readonly server: net.Server;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    readonly handler: Http1Handler,
    readonly options: Http1ServerOptions,
  ) {
    this.maxBodyBytes = options.maxBodyBytes;
    this.maxHeaderBytes = options.maxHeaderBytes ?? 16 * 1024;
    this.maxPendingBytes = this.maxHeaderBytes + Math.min(this.maxBodyBytes, 1 << 20);
    this.server = net.createServer((socket) => this.connections.add(new Connection(socket, this)));
  }

  listen(port: number, host: string): Promise<net.AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        const every = Math.max(100, Math.min(this.headersTimeoutMs, this.keepAliveTimeoutMs, this.requestTimeoutMs) / 4);
        this.sweeper = setInterval(() => this.sweep(), every);
        this.sweeper.unref();
        resolve(this.server.address() as net.AddressInfo);
      });
    });
  }

  private get headersTimeoutMs() {
    return this.options.headersTimeoutMs ?? 60_000;
  }

  private get keepAliveTimeoutMs() {
    return this.options.keepAliveTimeoutMs ?? 65_000;
  }

  private get requestTimeoutMs() {
    return this.options.requestTimeoutMs ?? 300_000;
  }

  /** Slow clients and idle keep-alive connections. */
  private sweep(): void {
    const now = Date.now();
    const requestTimeoutMs = this.requestTimeoutMs;
    for (const c of this.connections) {
      if (c.phase === "head" || c.phase === "body") {
        if (c.requestStartedAt === 0) {
          // An answer a slow client is still reading is not idleness (destroying the socket would cut it short).
          if (c.socket.writableLength > 0) c.idleSince = now;
          else if (now - c.idleSince > this.keepAliveTimeoutMs) c.destroy();
        } else if (c.phase === "head" && now - c.requestStartedAt > this.headersTimeoutMs) {
          c.refuse(408, "the request head took too long to arrive");
        } else if (now - c.requestStartedAt > requestTimeoutMs) {
          c.refuse(408, "the request body took too long to arrive");
        }
      }
    }
  }

  /** Stops accepting connections; open ones keep being served (see `draining`). */
  stopListening(): void {
    this.server.close();
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  closeIdleConnections(): void {
    for (const c of this.connections) if (c.idle) c.destroy();
  }

  closeAllConnections(): void {
    for (const c of this.connections) c.destroy();
  }
}
