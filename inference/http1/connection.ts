/**
 * One connection of the HTTP/1.1 server (http1-server.ts): reads requests' heads and bounded bodies, admits and
 * dispatches them to the handler, writes their answers, and handles keep-alive, pipelining, limits and closing.
 *
 * One request is handled at a time (pipelined requests wait, in order, in the read buffer, which is bounded: reading
 * pauses while it is full); the connection closes after an answer when the client asked for it, the request was
 * malformed, or the server is draining.
 */
import type net from "node:net";
import { answerHead } from "./answer-head";
import { ChunkedDecoder } from "./chunked-decoder";
import type { Http1Reply, Http1Request, Http1Server, ReplyHeaders } from "./http1-server";
import { HttpError, parseRequestHead, type RequestHead } from "./parse-request-head";

const CRLF2 = Buffer.from("\r\n\r\n");
const CONTINUE = Buffer.from("HTTP/1.1 100 Continue\r\n\r\n");
const EMPTY = Buffer.alloc(0);
/** After answering a request it will not read (413, 400), how long the socket keeps discarding what still arrives. */
const LINGER_MS = 2_000;
/** Answers up to this size go out in one write (see write); larger ones as two corked writes. */
const COPY_LIMIT = 64 * 1024;
/** Heads up to this size are remembered for reuse by the next request on their connection (see readHead). */
const HEAD_MEMO_BYTES = 2048;
const NO_HEAD: RequestHead = { method: "GET", url: "", httpVersion: "1.1", headers: {}, contentLength: 0, chunked: false, keepAlive: false, expectContinue: false };

export type Phase = "head" | "admitting" | "body" | "handling" | "closing";

/**
 * One request's answer. Handlers keep it after answering (a timeout racing a result, an unsubscribe in a finally), so
 * it is not the connection: nothing done with it can reach the next request on the same connection.
 */
class Reply implements Http1Reply {
  sent = false;
  gone = false;
  hooks: (() => void)[] = [];
  /** Counted in the server's inFlight until answered or gone. */
  counted = true;

  constructor(
    private readonly connection: Connection,
    public head: RequestHead,
  ) {}

  send(status: number, headers: ReplyHeaders, body?: Buffer | string): void {
    this.connection.answer(this, status, headers, body);
  }

  onGone(fn: () => void): () => void {
    if (this.gone) {
      // Already gone (the handler awaited something first): still tell it, after it has finished registering.
      queueMicrotask(fn);
      return () => {};
    }
    this.hooks.push(fn);
    return () => {
      const i = this.hooks.indexOf(fn);
      if (i >= 0) this.hooks.splice(i, 1);
    };
  }
}

export class Connection {
  phase: Phase = "head";
  private buf: Buffer = EMPTY;
  private head: RequestHead | undefined;
  /** The request being admitted or handled, or the one last answered. */
  private reply: Reply | undefined;
  /** The admit hook's result for the request being read. */
  private admission: unknown;
  private parts: Buffer[] = [];
  private remaining = 0;
  private decoder: ChunkedDecoder | undefined;
  /** When the request being read started (0: between requests). */
  requestStartedAt = 0;
  idleSince = Date.now();
  private advancing = false;
  private paused = false;
  /** Waiting for the client to read its answers before reading its next request. */
  private blocked = false;
  /** This connection's last head as received (through its CRLF CRLF) and as parsed: see readHead. */
  private lastHead: { bytes: Buffer; head: RequestHead } | undefined;

  constructor(
    readonly socket: net.Socket,
    private readonly server: Http1Server,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => this.onClose());
  }

  private onData(chunk: Buffer): void {
    if (this.phase === "closing") return; // lingering: discard
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    if (this.phase === "handling" || this.phase === "admitting" || this.blocked) {
      // Pipelined bytes wait for the current answer; stop reading once a full request's worth is waiting.
      if (this.buf.length > this.server.maxPendingBytes && !this.paused) {
        this.paused = true;
        this.socket.pause();
      }
      return;
    }
    this.advance();
  }

  /** Parses and dispatches what the buffer holds, one request at a time. */
  advance(): void {
    if (this.advancing) return;
    this.advancing = true;
    try {
      while (this.step());
    } catch (e) {
      const error = e instanceof HttpError ? e : new HttpError(400, "malformed request");
      this.refuse(error.status, error.message);
    } finally {
      this.advancing = false;
    }
  }

  /** One step of the request state machine; false when it needs more bytes or an answer first. */
  private step(): boolean {
    if (this.blocked) return false;
    if (this.phase === "head") {
      // RFC 9112 §2.2: empty lines before a request line are ignored.
      while (this.buf.length >= 2 && this.buf[0] === 13 && this.buf[1] === 10) this.buf = this.buf.subarray(2);
      if (this.buf.length === 0) return false;
      if (this.requestStartedAt === 0) this.requestStartedAt = Date.now();
      const head = this.readHead();
      if (head === undefined) return false;
      this.head = head;
      this.parts = [];
      if (head.chunked) {
        this.decoder = new ChunkedDecoder(this.server.maxBodyBytes, () => this.tooLarge());
      } else {
        this.decoder = undefined;
        if (head.contentLength > this.server.maxBodyBytes) throw this.tooLarge();
        this.remaining = head.contentLength;
      }
      this.phase = "body";
      this.admission = undefined;
      this.reply = undefined;
      const admit = this.server.options.admit;
      if (admit) {
        const reply = this.openReply(head);
        let verdict: unknown;
        try {
          verdict = admit({ method: head.method, url: head.url, httpVersion: head.httpVersion, headers: head.headers }, reply);
        } catch (e) {
          // The hook's own failure, not the request's: 500, as for a handler that throws.
          this.phase = "admitting";
          this.admissionFailed(reply, e);
          return false;
        }
        if (verdict instanceof Promise) {
          this.phase = "admitting";
          verdict.then(
            (v) => this.admitted(reply, v),
            (e) => this.admissionFailed(reply, e),
          );
          return false;
        }
        if (reply.sent) return false;
        this.admission = verdict;
      }
      this.continueIfAsked();
      return true;
    }
    if (this.phase === "body") {
      let body: Buffer;
      if (this.decoder) {
        const used = this.decoder.push(this.buf, 0);
        this.buf = used === this.buf.length ? EMPTY : this.buf.subarray(used);
        if (!this.decoder.done) return false;
        body = this.decoder.body();
      } else {
        const take = Math.min(this.remaining, this.buf.length);
        if (take > 0) {
          this.parts.push(take === this.buf.length ? this.buf : this.buf.subarray(0, take));
          this.buf = take === this.buf.length ? EMPTY : this.buf.subarray(take);
          this.remaining -= take;
        }
        if (this.remaining > 0) return false;
        body = this.parts.length === 0 ? EMPTY : this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
      }
      this.parts = [];
      this.dispatch(body);
      return (this.phase as Phase) === "head";
    }
    return false;
  }

  /**
   * The head at the front of the buffer, taken off it; undefined until it is complete. A client on a keep-alive
   * connection usually sends the same head request after request (same target, token, type and length): a head equal
   * byte for byte to this connection's previous one is that one's parse — one comparison instead of a search for its
   * end, a decoding and a parse (~1.5 µs, measured 2026-11-27). Heads are never changed after parsing, so sharing is
   * safe.
   */
  private readHead(): RequestHead | undefined {
    const last = this.lastHead;
    if (last !== undefined && this.buf.length >= last.bytes.length && this.buf.compare(last.bytes, 0, last.bytes.length, 0, last.bytes.length) === 0) {
      this.buf = this.buf.subarray(last.bytes.length);
      return last.head;
    }
    const end = this.buf.indexOf(CRLF2);
    const limit = this.server.maxHeaderBytes;
    if (end < 0 ? this.buf.length > limit : end > limit) throw new HttpError(431, `request head is larger than ${limit} bytes`);
    if (end < 0) return undefined;
    const head = parseRequestHead(this.buf.toString("latin1", 0, end));
    // A copy (the read buffer it came from may be far larger than the head), and only of a head of usual size: an idle
    // connection keeps it, and heads of up to maxHeaderBytes on many connections would add up.
    this.lastHead = end + 4 <= HEAD_MEMO_BYTES ? { bytes: Buffer.from(this.buf.subarray(0, end + 4)), head } : undefined;
    this.buf = this.buf.subarray(end + 4);
    return head;
  }

  /** A reply for the request being read, counted in flight from now on. */
  private openReply(head: RequestHead): Reply {
    const reply = new Reply(this, head);
    this.reply = reply;
    this.server.inFlight++;
    return reply;
  }

  /** `100 Continue` once the request is admitted, when the client waits for it before sending the body. */
  private continueIfAsked(): void {
    const head = this.head!;
    if (head.expectContinue && this.buf.length === 0 && (head.chunked || head.contentLength > 0)) this.socket.write(CONTINUE);
  }

  private admitted(reply: Reply, verdict: unknown): void {
    if (reply !== this.reply || reply.sent || this.phase !== "admitting") return;
    this.admission = verdict;
    this.phase = "body";
    this.continueIfAsked();
    this.advance();
  }

  private admissionFailed(reply: Reply, e: unknown): void {
    if (reply !== this.reply || reply.sent || this.phase !== "admitting") return;
    this.server.options.onHandlerError?.(e);
    this.answerError(reply, 500, "internal error");
  }

  private dispatch(body: Buffer): void {
    const head = this.head!;
    const reply = this.reply !== undefined && !this.reply.sent ? this.reply : this.openReply(head);
    this.phase = "handling";
    const req: Http1Request = { method: head.method, url: head.url, httpVersion: head.httpVersion, headers: head.headers, body, admission: this.admission };
    try {
      this.server.handler(req, reply);
    } catch (e) {
      this.server.options.onHandlerError?.(e);
      this.answerError(reply, 500, "internal error");
    }
  }

  answer(reply: Reply, status: number, headers: ReplyHeaders, body: Buffer | string = EMPTY): void {
    if (reply !== this.reply || reply.sent || this.phase === "head" || this.phase === "closing" || this.socket.destroyed) return;
    const head = reply.head;
    const length = typeof body === "string" ? Buffer.byteLength(body) : body.length;
    // Answered before its body was read (refused on admission): the unread body must not be taken for a request.
    const close = !head.keepAlive || this.server.draining || this.phase !== "handling";
    const out = answerHead(status, headers, length, { close, http10: head.httpVersion === "1.0" });
    if (out.invalid !== undefined) {
      // Not thrown: send is mostly called from a promise nobody catches, and the client would wait for ever.
      this.server.options.onHandlerError?.(new Error(`the handler's answer has an invalid ${out.invalid}; answered 500 instead`));
      this.answerError(reply, 500, "internal error");
      return;
    }
    reply.sent = true;
    reply.counted = false;
    this.server.inFlight--;
    if (head.method === "HEAD") this.write(out.text, EMPTY, 0, out.latin1);
    else this.write(out.text, body, length, out.latin1);
    this.finish(out.close);
  }

  /**
   * A string body behind a plain (ASCII) head goes to the socket as one string: Node encodes a small string on the stack
   * and writes it at once, where a Buffer of our own costs an allocation and two encodings into it. Otherwise the
   * body is encoded (UTF-8) or copied behind the latin1 head in one buffer.
   */
  private write(headText: string, body: Buffer | string, length: number, latin1: boolean): void {
    if (typeof body === "string" && !latin1 && length <= COPY_LIMIT) {
      this.socket.write(headText + body, "utf8");
      return;
    }
    if (length > COPY_LIMIT) {
      this.socket.cork();
      this.socket.write(headText, "latin1");
      this.socket.write(body);
      this.socket.uncork();
      return;
    }
    const out = Buffer.allocUnsafe(headText.length + length);
    out.write(headText, 0, "latin1");
    if (typeof body === "string") out.write(body, headText.length, "utf8");
    else body.copy(out, headText.length);
    this.socket.write(out);
  }

  private finish(close: boolean): void {
    this.head = undefined;
    this.requestStartedAt = 0;
    this.idleSince = Date.now();
    if (close) {
      this.linger();
      return;
    }
    this.phase = "head";
    if (this.socket.writableNeedDrain) {
      // A client that pipelines without reading its answers: neither read nor answer more until it takes them.
      this.blocked = true;
      if (!this.paused) {
        this.paused = true;
        this.socket.pause();
      }
      this.socket.once("drain", () => {
        this.blocked = false;
        this.resumeReading();
        this.advance();
      });
      return;
    }
    this.resumeReading();
    if (this.buf.length > 0) this.advance();
  }

  private resumeReading(): void {
    if (!this.paused) return;
    this.paused = false;
    this.socket.resume();
  }

  /** Refuses the request being read (or a malformed one) and closes the connection. */
  refuse(status: number, message: string): void {
    if (this.phase === "closing" || this.socket.destroyed) return;
    // The reply opened on admission if there is one; otherwise a new one, so answer() balances inFlight.
    const reply = this.reply && !this.reply.sent ? this.reply : this.openReply(this.head ?? NO_HEAD);
    this.phase = "handling";
    reply.head = { ...reply.head, keepAlive: false };
    this.answerError(reply, status, message);
  }

  /** The server's own answers: `{"error": message}`, as the data plane answers its errors. */
  private answerError(reply: Reply, status: number, message: string): void {
    this.answer(reply, status, { "content-type": "application/json" }, JSON.stringify({ error: message }));
  }

  private tooLarge(): HttpError {
    const limit = this.server.maxBodyBytes;
    return new HttpError(413, this.server.options.tooLargeMessage?.(limit) ?? `request body is larger than ${limit} bytes`);
  }

  /** Ends our side after the answer and discards what the client still sends, so it reads the answer, not a reset. */
  private linger(): void {
    this.phase = "closing";
    this.buf = EMPTY;
    this.parts = [];
    this.blocked = false;
    this.resumeReading();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
  }

  /** Ends the connection now (idle, timed out, or the server closing). */
  destroy(): void {
    this.socket.destroy();
  }

  /** Between requests with nothing left to write (destroying a socket drops what it has not written yet). */
  get idle(): boolean {
    return this.phase === "head" && this.buf.length === 0 && this.socket.writableLength === 0;
  }

  private onClose(): void {
    this.server.connections.delete(this);
    const reply = this.reply;
    // Gone before its answer: a request being handled, or one still being admitted.
    const gone = reply !== undefined && !reply.sent && reply.counted;
    this.phase = "closing";
    if (!gone) return;
    reply.gone = true;
    reply.counted = false;
    this.server.inFlight--;
    const hooks = reply.hooks;
    reply.hooks = [];
    for (const fn of hooks) fn();
  }
}
