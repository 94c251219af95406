/**
 * Protocol Buffers' wire format (https://protobuf.dev/programming-guides/encoding/), as much of it as reading a
 * ModelInferRequest takes: a bounds-checked reader over one message's bytes, and repeated scalar fields gathered as
 * their elements' wire bytes (`WireElements`) to be decoded straight into a typed array once the caller knows how many
 * it expects. protobufjs decodes such a field into a JS array of numbers — and a 64-bit one into a string per element —
 * which for typed tensor contents cost ~10× the time per byte of parsing JSON and ~100 bytes of heap per element.
 *
 * Every malformed byte sequence is a `WireError` with a message saying where; nothing here throws anything else.
 */

export type WireType = 0 | 1 | 2 | 5;

/** How a malformed message is reported: the reader's caller turns it into its protocol's 400. */
export class WireError extends Error {}

export class WireReader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** The next field's number and wire type; groups (wire types 3 and 4, absent from proto3) are refused. */
  tag(): { field: number; wireType: WireType } {
    const key = this.varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field < 1 || field > 0x1fffffff) throw new WireError(`field number ${field} is not valid`);
    if (wireType !== 0 && wireType !== 1 && wireType !== 2 && wireType !== 5) {
      throw new WireError(`field ${field} has wire type ${wireType} (${wireType === 3 || wireType === 4 ? "a group, which proto3 has no use for" : "not a wire type"})`);
    }
    return { field, wireType };
  }

  /** A varint as a number (exact up to 2^53: lengths, tags, booleans); at most 10 bytes. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new WireError("the message ends inside a varint");
      const byte = this.buf[this.pos++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    throw new WireError("a varint is longer than 10 bytes");
  }

  /** A varint's two's-complement 64-bit value as a decimal string, signed or not. */
  varint64(signed: boolean): string {
    const start = this.pos;
    this.skipVarint();
    const { lo, hi } = varintWords(this.buf, start);
    const value = (BigInt(hi) << 32n) | BigInt(lo);
    return (signed ? BigInt.asIntN(64, value) : value).toString();
  }

  skipVarint(): void {
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new WireError("the message ends inside a varint");
      if (this.buf[this.pos++] < 0x80) return;
    }
    throw new WireError("a varint is longer than 10 bytes");
  }

  double(): number {
    const at = this.take(8);
    return this.buf.readDoubleLE(at);
  }

  /** A length-delimited field's bounds within `buf` (not copied). */
  delimited(): { start: number; end: number } {
    const length = this.varint();
    if (length > this.end - this.pos) throw new WireError(`a field of ${length} bytes runs past the end of its message`);
    const start = this.pos;
    this.pos += length;
    return { start, end: this.pos };
  }

  /** A length-delimited field's bytes, a view into the message (not copied). */
  bytes(): Buffer {
    const { start, end } = this.delimited();
    return this.buf.subarray(start, end);
  }

  string(): string {
    const { start, end } = this.delimited();
    return this.buf.toString("utf8", start, end);
  }

  /** Skips a field of a number this reader does not know, as proto3 asks of a parser. */
  skip(wireType: WireType): void {
    if (wireType === 0) this.skipVarint();
    else if (wireType === 1) this.take(8);
    else if (wireType === 5) this.take(4);
    else this.delimited();
  }

  /** Advances past `n` bytes, returning where they start. */
  take(n: number): number {
    if (n > this.end - this.pos) throw new WireError("the message ends inside a fixed-size field");
    const at = this.pos;
    this.pos += n;
    return at;
  }
}

/** The low and high 32 bits of the varint at `at` (already checked to end within 10 bytes). */
function varintWords(buf: Buffer, at: number): { lo: number; hi: number } {
  let lo = 0;
  let hi = 0;
  for (let shift = 0; shift < 70; shift += 7) {
    const bits = buf[at++] & 0x7f;
    if (shift < 28) lo |= bits << shift;
    else if (shift === 28) {
      lo |= bits << 28;
      hi |= bits >>> 4;
    } else hi |= bits << (shift - 32);
    if (buf[at - 1] < 0x80) break;
  }
  return { lo: lo >>> 0, hi: hi >>> 0 };
}

/** How one repeated scalar field's elements travel: a varint each, 4 or 8 bytes each, or a length-prefixed string each. */
export type ElementEncoding = "varint" | "fixed32" | "fixed64" | "bytes";

const FIXED_SIZE = { fixed32: 4, fixed64: 8 } as const;

/**
 * One repeated field's elements in the order they came, as their wire bytes without tags: one packed run is kept as
 * a view into the message; elements sent one per tag (or in several runs) are copied into one growing buffer, so
 * the memory held stays within twice their bytes however the sender split them.
 */
export class WireElements {
  count = 0;
  private first: Buffer | undefined;
  private grown: Buffer | undefined;
  private used = 0;

  constructor(readonly encoding: ElementEncoding) {}

  /** Reads one occurrence of the field (a packed run or a single element) at the reader's position. */
  read(reader: WireReader, wireType: WireType, field: number): void {
    const enc = this.encoding;
    if (enc === "bytes") {
      if (wireType !== 2) throw wrongType(field, wireType);
      const start = reader.pos;
      reader.delimited();
      return this.add(reader.buf.subarray(start, reader.pos), 1);
    }
    if (wireType === 2) {
      const { start, end } = reader.delimited();
      return this.add(reader.buf.subarray(start, end), countRun(reader.buf, start, end, enc, field));
    }
    const single = enc === "varint" ? 0 : enc === "fixed32" ? 5 : 1;
    if (wireType !== single) throw wrongType(field, wireType);
    const start = reader.pos;
    reader.skip(wireType);
    this.add(reader.buf.subarray(start, reader.pos), 1);
  }

  /** The elements' bytes, back to back. */
  bytes(): Buffer {
    return this.grown ? this.grown.subarray(0, this.used) : (this.first ?? Buffer.alloc(0));
  }

  private add(chunk: Buffer, count: number): void {
    if (chunk.length === 0) return;
    this.count += count;
    if (this.first === undefined && this.grown === undefined) {
      this.first = chunk;
      return;
    }
    if (this.grown === undefined) {
      const start = this.first!;
      this.grown = Buffer.allocUnsafe(Math.max(64, 2 * (start.length + chunk.length)));
      start.copy(this.grown);
      this.used = start.length;
      this.first = undefined;
    }
    if (this.used + chunk.length > this.grown.length) {
      const bigger = Buffer.allocUnsafe(2 * (this.used + chunk.length));
      this.grown.copy(bigger, 0, 0, this.used);
      this.grown = bigger;
    }
    chunk.copy(this.grown, this.used);
    this.used += chunk.length;
  }
}

function wrongType(field: number, wireType: WireType): WireError {
  return new WireError(`field ${field} has wire type ${wireType}, which its type does not use`);
}

/** Elements in a packed run, checking it holds whole elements. */
function countRun(buf: Buffer, start: number, end: number, enc: "varint" | "fixed32" | "fixed64", field: number): number {
  if (enc !== "varint") {
    const size = FIXED_SIZE[enc];
    if ((end - start) % size !== 0) throw new WireError(`packed field ${field} holds ${end - start} bytes, not a whole number of ${size}-byte elements`);
    return (end - start) / size;
  }
  let count = 0;
  let run = 0;
  for (let i = start; i < end; i++) {
    if (buf[i] < 0x80) {
      count++;
      run = 0;
    } else if (++run >= 10) throw new WireError(`packed field ${field} holds a varint longer than 10 bytes`);
  }
  if (end > start && buf[end - 1] >= 0x80) throw new WireError(`packed field ${field} ends inside a varint`);
  return count;
}

/**
 * Calls `each(i, lo, hi)` with the low and high 32 bits (unsigned) of each of `count` varints in `bytes` (as
 * gathered by WireElements, so well formed).
 */
export function forEachVarint(bytes: Buffer, count: number, each: (i: number, lo: number, hi: number) => void): void {
  let at = 0;
  for (let i = 0; i < count; i++) {
    // The common case, a value below 2^28 in at most 4 bytes, without the general loop.
    let b = bytes[at++];
    let lo = b & 0x7f;
    if (b < 0x80) {
      each(i, lo, 0);
      continue;
    }
    b = bytes[at++];
    lo |= (b & 0x7f) << 7;
    if (b < 0x80) {
      each(i, lo, 0);
      continue;
    }
    b = bytes[at++];
    lo |= (b & 0x7f) << 14;
    if (b < 0x80) {
      each(i, lo, 0);
      continue;
    }
    const words = varintWords(bytes, at - 3);
    while (bytes[at++] >= 0x80);
    each(i, words.lo, words.hi);
  }
}

/** Each of `count` length-prefixed elements (bytes or strings) in `bytes`, as gathered by WireElements. */
export function forEachDelimited(bytes: Buffer, count: number, each: (i: number, start: number, end: number) => void): void {
  const reader = new WireReader(bytes);
  for (let i = 0; i < count; i++) {
    const { start, end } = reader.delimited();
    each(i, start, end);
  }
}
