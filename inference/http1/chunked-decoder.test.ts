import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ChunkedDecoder } from "./chunked-decoder";
import { HttpError } from "./parse-request-head";

class TooLarge extends Error {}

const NEXT = Buffer.from("GET /next HTTP/1.1\r\nHost: h\r\n\r\n");

/** Feeds `wire` in fragments cut at `cuts` as a connection would: unused bytes stay and get the next fragment appended. */
function decode(wire: Buffer, cuts: number[], limit = 1 << 20): { body: Buffer; end: number; decoder: ChunkedDecoder } {
  const decoder = new ChunkedDecoder(limit, () => new TooLarge());
  const points = [...new Set(cuts.filter((c) => c > 0 && c < wire.length))].sort((a, b) => a - b);
  let pending = Buffer.alloc(0);
  let consumed = 0;
  let start = 0;
  for (const stop of [...points, wire.length]) {
    pending = Buffer.concat([pending, wire.subarray(start, stop)]);
    start = stop;
    const used = decoder.push(pending, 0);
    consumed += used;
    pending = pending.subarray(used);
    if (decoder.done) break;
  }
  return { body: decoder.done ? decoder.body() : Buffer.alloc(0), end: consumed, decoder };
}

function chunk(data: string | Buffer, ext = ""): Buffer {
  const bytes = Buffer.from(data);
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}${ext}\r\n`), bytes, Buffer.from("\r\n")]);
}

function refusal(wire: string | Buffer, limit = 1 << 20): unknown {
  // Both whole and byte by byte: the result must not depend on how the bytes arrive.
  const bytes = Buffer.from(wire);
  const errors: unknown[] = [];
  for (const cuts of [[], Array.from({ length: bytes.length }, (_, i) => i)]) {
    try {
      const r = decode(bytes, cuts, limit);
      errors.push(new Error(`accepted (done: ${r.decoder.done})`));
    } catch (e) {
      errors.push(e);
    }
  }
  expect(errors[0]?.constructor).toBe(errors[1]?.constructor);
  return errors[0];
}

const extension = fc.oneof(
  fc.constant(""),
  fc.constant(";a=b"),
  fc.constant(";name"),
  fc.constant(' ; q="quoted ; \\"value\\"" ;x'),
  fc.stringMatching(/^(;[a-z]{1,8}(=[a-z0-9]{0,8})?){1,3}$/),
);
const hexCase = fc.boolean();
const trailers = fc.array(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,10}: ?[ -~]{0,20}$/), { maxLength: 3 });

const encodedBody = fc
  .record({
    pieces: fc.array(fc.record({ data: fc.uint8Array({ minLength: 1, maxLength: 300 }), ext: extension, upper: hexCase }), { maxLength: 12 }),
    lastExt: extension,
    trailers,
    padSize: fc.nat({ max: 2 }),
  })
  .map(({ pieces, lastExt, trailers, padSize }) => {
    const parts: Buffer[] = [];
    for (const p of pieces) {
      const hex = p.data.length.toString(16).padStart(padSize + 1, "0");
      parts.push(Buffer.from(`${p.upper ? hex.toUpperCase() : hex}${p.ext}\r\n`), Buffer.from(p.data), Buffer.from("\r\n"));
    }
    parts.push(Buffer.from(`0${lastExt}\r\n`));
    for (const t of trailers) parts.push(Buffer.from(`${t}\r\n`));
    parts.push(Buffer.from("\r\n"));
    return { body: Buffer.concat(pieces.map((p) => Buffer.from(p.data))), wire: Buffer.concat(parts) };
  });

describe("ChunkedDecoder", () => {
  it("decodes any chunking, extensions and trailers, fed in any fragments, to the body and the exact end", () => {
    fc.assert(
      fc.property(encodedBody, fc.array(fc.nat({ max: 5000 }), { maxLength: 20 }), ({ body, wire }, cuts) => {
        const withNext = Buffer.concat([wire, NEXT]);
        const r = decode(withNext, cuts);
        expect(r.decoder.done).toBe(true);
        expect(r.end).toBe(wire.length);
        expect(r.body.equals(body)).toBe(true);
        expect(r.decoder.size).toBe(body.length);
      }),
      { numRuns: 300 },
    );
  });

  it("decodes when fed one byte at a time", () => {
    fc.assert(
      fc.property(encodedBody, ({ body, wire }) => {
        const withNext = Buffer.concat([wire, NEXT]);
        const r = decode(
          withNext,
          Array.from({ length: withNext.length }, (_, i) => i),
        );
        expect(r.end).toBe(wire.length);
        expect(r.body.equals(body)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it("returns the offset in a buffer that also holds earlier bytes", () => {
    const wire = Buffer.concat([Buffer.from("HEAD"), chunk("hello"), Buffer.from("0\r\n\r\n"), NEXT]);
    const d = new ChunkedDecoder(100, () => new TooLarge());
    expect(d.push(wire, 4)).toBe(wire.length - NEXT.length);
    expect(d.body().toString()).toBe("hello");
  });

  it("stops using bytes once done", () => {
    const d = new ChunkedDecoder(100, () => new TooLarge());
    expect(d.push(Buffer.from("0\r\n\r\n"), 0)).toBe(5);
    expect(d.push(Buffer.from("5\r\nhello\r\n"), 0)).toBe(0);
    expect(d.body().length).toBe(0);
  });

  it("decodes an empty body", () => {
    const r = decode(Buffer.from("0\r\n\r\n"), []);
    expect(r.decoder.done).toBe(true);
    expect(r.body.length).toBe(0);
  });

  it("decodes a body of many tiny chunks, and of small and large chunks mixed, without losing order", () => {
    const rnd = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 3000 }), { numRuns: 400, seed: 42 });
    const wire = Buffer.concat([...rnd.map((d) => chunk(Buffer.from(d))), Buffer.from("0\r\n\r\n")]);
    const body = Buffer.concat(rnd.map((d) => Buffer.from(d)));
    for (const cuts of [[], Array.from({ length: 200 }, (_, i) => i * 1337)]) {
      const r = decode(wire, cuts, body.length);
      expect(r.body.equals(body)).toBe(true);
    }
    const ones = Buffer.alloc(100_000, "abc");
    const oneByOne = Buffer.concat([...[...ones].map((b) => chunk(Buffer.from([b]))), Buffer.from("0\r\n\r\n")]);
    expect(decode(oneByOne, []).body.equals(ones)).toBe(true);
  });

  it("accepts the largest body at the limit and the size line with whitespace before an extension", () => {
    expect(decode(Buffer.concat([chunk("abcde"), chunk("f"), Buffer.from("0\r\n\r\n")]), [], 6).body.toString()).toBe("abcdef");
    expect(decode(Buffer.from("5 ;x\r\nabcde\r\n0\t\r\n\r\n"), []).body.toString()).toBe("abcde");
  });

  it.each<[string, string]>([
    ["a non-hex size", "g\r\nx\r\n0\r\n\r\n"],
    ["an empty size", "\r\nx\r\n0\r\n\r\n"],
    ["a signed size", "+1\r\nx\r\n0\r\n\r\n"],
    ["a 0x size", "0x1\r\nx\r\n0\r\n\r\n"],
    ["whitespace before the size", " 1\r\nx\r\n0\r\n\r\n"],
    ["a 13-digit size", "0000000000001\r\nx\r\n0\r\n\r\n"],
    ["data longer than its size", "1\r\nxy\r\n0\r\n\r\n"],
    ["data without CRLF", "1\r\nx0\r\n\r\n"],
    ["data followed by a bare LF", "1\r\nx\n0\r\n\r\n"],
    ["data followed by a bare CR", "1\r\nx\r0\r\n\r\n"],
    ["a size line ending in a bare LF", "1\nx\r\n0\r\n\r\n"],
    ["a last-chunk line ending in a bare LF", "1\r\nx\r\n0\n\r\n"],
    ["a bare LF ending the trailers", "1\r\nx\r\n0\r\n\n"],
    ["a bare LF inside a chunk extension", "1;a\nb\r\nx\r\n0\r\n\r\n"],
    ["a bare CR inside a chunk extension", "1;a\rb\r\nx\r\n0\r\n\r\n"],
    ["a NUL in a chunk extension", "1;a\x00\r\nx\r\n0\r\n\r\n"],
    ["a bare CR in a trailer", "0\r\nX-A: a\rb\r\n\r\n"],
    ["a trailer that is not a field", "0\r\nnot a field\r\n\r\n"],
    ["a folded trailer", "0\r\nX-A: a\r\n b\r\n\r\n"],
    ["an overly long size line", `1;${"a".repeat(5000)}\r\nx\r\n0\r\n\r\n`],
    ["an overly long size line without LF yet", `1;${"a".repeat(5000)}`],
    ["an overly long trailer", `0\r\nX-A: ${"a".repeat(5000)}\r\n\r\n`],
    ["overlong garbage after the data", `1\r\nx${"y".repeat(5000)}`],
  ])("refuses %s with 400", (_what, wire) => {
    const e = refusal(wire);
    expect(e).toBeInstanceOf(HttpError);
    expect((e as HttpError).status).toBe(400);
  });

  it("throws the tooLarge error as soon as a size line goes over the limit, before its data", () => {
    expect(refusal("b\r\n", 10)).toBeInstanceOf(TooLarge);
    expect(refusal(Buffer.concat([chunk("abcdef"), Buffer.from("5\r\n")]), 10)).toBeInstanceOf(TooLarge);
    expect(refusal("ffffffffffff\r\n", 1 << 30)).toBeInstanceOf(TooLarge);
    const d = new ChunkedDecoder(10, () => new TooLarge());
    expect(d.push(Buffer.from("a\r\n0123456789\r\n"), 0)).toBe(15);
    expect(() => d.push(Buffer.from("1\r"), 0)).not.toThrow();
    expect(() => d.push(Buffer.from("\n"), 0)).toThrow(TooLarge);
  });
});
