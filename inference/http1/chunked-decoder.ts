/**
 * Incremental decoder for a chunked request body (RFC 9112 §7.1): fed the bytes as they arrive, in any split; stops
 * at the end of the trailer section and says how many bytes it used, so a pipelined request after it is kept.
 * Counts data against a limit while it streams, so an oversized body is refused without being buffered.
 */
import { HttpError } from "./parse-request-head";

const MAX_LINE = 4096;
// A bare CR in a chunk extension or trailer is a line end to some parsers: refused, like every other control but HTAB.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
const TRAILER_FIELD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+:/;
/** Data pieces smaller than this are copied into a shared slab: a body of many tiny chunks must not cost a Buffer object (~100 bytes) per chunk. */
const SMALL_PIECE = 1024;
const SLAB_BYTES = 16 * 1024;
const EMPTY = Buffer.alloc(0);

type State = "size" | "data" | "data-crlf" | "trailer" | "done";

export class ChunkedDecoder {
  private state: State = "size";
  private line = "";
  private remaining = 0;
  private readonly parts: Buffer[] = [];
  private slab = EMPTY;
  private slabStart = 0;
  private slabEnd = 0;
  size = 0;

  constructor(
    private readonly limit: number,
    private readonly tooLarge: () => Error,
  ) {}

  get done(): boolean {
    return this.state === "done";
  }

  body(): Buffer {
    this.flushSlab();
    return this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size);
  }

  /** Consumes bytes from `buf` starting at `offset`; returns the offset after the last byte it used. */
  push(buf: Buffer, offset: number): number {
    let i = offset;
    while (i < buf.length && this.state !== "done") {
      if (this.state === "data") {
        const n = Math.min(this.remaining, buf.length - i);
        this.addData(buf.subarray(i, i + n));
        this.remaining -= n;
        i += n;
        if (this.remaining === 0) this.state = "data-crlf";
        continue;
      }
      // Line-oriented states: take up to the next LF.
      const lf = buf.indexOf(10, i);
      const end = lf < 0 ? buf.length : lf + 1;
      this.line += buf.toString("latin1", i, end);
      i = end;
      if (this.line.length > MAX_LINE) throw new HttpError(400, "malformed chunked body (line too long)");
      if (lf < 0) break;
      if (!this.line.endsWith("\r\n")) throw new HttpError(400, "malformed chunked body (bare LF)");
      const text = this.line.slice(0, -2);
      this.line = "";
      this.onLine(text);
    }
    return i;
  }

  private addData(piece: Buffer): void {
    if (piece.length >= SMALL_PIECE) {
      this.flushSlab();
      this.parts.push(piece);
      return;
    }
    if (this.slabEnd + piece.length > this.slab.length) {
      this.flushSlab();
      this.slab = Buffer.allocUnsafe(SLAB_BYTES);
      this.slabStart = this.slabEnd = 0;
    }
    piece.copy(this.slab, this.slabEnd);
    this.slabEnd += piece.length;
  }

  private flushSlab(): void {
    if (this.slabEnd === this.slabStart) return;
    this.parts.push(this.slab.subarray(this.slabStart, this.slabEnd));
    this.slabStart = this.slabEnd;
  }

  private onLine(text: string): void {
    if (this.state !== "data-crlf" && CONTROL.test(text)) throw new HttpError(400, "malformed chunked body (control character)");
    switch (this.state) {
      case "size": {
        const semi = text.indexOf(";");
        const hex = (semi < 0 ? text : text.slice(0, semi)).replace(/[ \t]+$/, "");
        if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new HttpError(400, "malformed chunked body (chunk size)");
        const n = parseInt(hex, 16);
        if (n === 0) {
          this.state = "trailer";
          return;
        }
        this.size += n;
        if (this.size > this.limit) throw this.tooLarge();
        this.remaining = n;
        this.state = "data";
        return;
      }
      case "data-crlf":
        if (text !== "") throw new HttpError(400, "malformed chunked body (data longer than its chunk size)");
        this.state = "size";
        return;
      case "trailer":
        // Trailer fields are read and ignored; the empty line ends the body.
        if (text === "") this.state = "done";
        else if (!TRAILER_FIELD.test(text)) throw new HttpError(400, "malformed chunked body (trailer field)");
        return;
    }
  }
}
