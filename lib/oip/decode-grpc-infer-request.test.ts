import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONTENTS_FIELDS, decodeModelInferRequest, type ContentsField, type GrpcInferRequest, type GrpcParameters } from "./decode-grpc-infer-request";
import { isOipError } from "./oip-error";
import { forEachDelimited, forEachVarint, type WireElements } from "./protobuf-wire";
import { encodeInferRequest, protobufjsInferRequest, type InferRequestObject } from "./test-support";

// decodeModelInferRequest must read every message exactly as protobufjs (what @grpc/proto-loader decodes with) reads
// it, keep typed contents as their wire bytes until asked, and refuse malformed bytes with a 400 — nothing else.

/** A contents field's elements as protobufjs gives them (64-bit integers as strings, bytes as Buffers). */
function valuesOf(field: ContentsField, elements: WireElements): unknown[] {
  const bytes = elements.bytes();
  const out: unknown[] = [];
  if (field === "fp32_contents" || field === "fp64_contents") {
    const size = field === "fp32_contents" ? 4 : 8;
    for (let at = 0; at < bytes.length; at += size) out.push(size === 4 ? bytes.readFloatLE(at) : bytes.readDoubleLE(at));
  } else if (field === "bytes_contents") {
    forEachDelimited(bytes, elements.count, (_i, start, end) => out.push(Buffer.from(bytes.subarray(start, end))));
  } else {
    forEachVarint(bytes, elements.count, (_i, lo, hi) => {
      const v = (BigInt(hi) << 32n) | BigInt(lo);
      if (field === "bool_contents") out.push(v !== 0n);
      else if (field === "int_contents") out.push(lo | 0);
      else if (field === "uint_contents") out.push(lo);
      else out.push((field === "int64_contents" ? BigInt.asIntN(64, v) : v).toString());
    });
  }
  return out;
}

/** A parameter map as `key → [choice, value]` (protobufjs with `defaults` also fills the fields not chosen). */
function choices(params: Record<string, Record<string, unknown>>): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const [key, p] of Object.entries(params)) {
    const choice = p.parameter_choice as string | undefined;
    out[key] = [choice, choice === undefined ? undefined : p[choice]];
  }
  return out;
}

/** Ours, in protobufjs's form, for comparing. */
function normalized(msg: GrpcInferRequest) {
  return {
    model_name: msg.model_name,
    model_version: msg.model_version,
    id: msg.id,
    parameters: choices(msg.parameters as GrpcParameters as Record<string, Record<string, unknown>>),
    inputs: msg.inputs.map((i) => ({
      name: i.name,
      datatype: i.datatype,
      shape: i.shape,
      parameters: choices(i.parameters as Record<string, Record<string, unknown>>),
      contents: i.contents ? Object.fromEntries(CONTENTS_FIELDS.map((f) => [f, i.contents![f] ? valuesOf(f, i.contents![f]) : []])) : null,
    })),
    outputs: msg.outputs.map((o) => ({ name: o.name, parameters: choices(o.parameters as Record<string, Record<string, unknown>>) })),
    raw_input_contents: msg.raw_input_contents.map((b) => Buffer.from(b)),
  };
}

/** protobufjs's reading, in the same form. */
function reference(bytes: Buffer) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const m = protobufjsInferRequest(bytes) as any;
  const params = (p: Record<string, Record<string, unknown>>) => choices(p);
  return {
    model_name: m.model_name,
    model_version: m.model_version,
    id: m.id,
    parameters: params(m.parameters),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    inputs: m.inputs.map((i: any) => ({
      name: i.name,
      datatype: i.datatype,
      shape: i.shape,
      parameters: params(i.parameters),
      contents: i.contents ? Object.fromEntries(CONTENTS_FIELDS.map((f) => [f, f === "fp32_contents" ? i.contents[f].map((v: number) => Math.fround(v)) : i.contents[f]])) : null,
    })),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    outputs: m.outputs.map((o: any) => ({ name: o.name, parameters: params(o.parameters) })),
    raw_input_contents: m.raw_input_contents.map((b: Buffer) => Buffer.from(b)),
  };
}

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);
const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String);
const parameter = fc.oneof(
  fc.record({ bool_param: fc.boolean() }),
  fc.record({ int64_param: int64 }),
  fc.record({ string_param: fc.string({ maxLength: 8 }) }),
  fc.record({ double_param: fc.double() }),
  fc.record({ uint64_param: uint64 }),
  fc.constant({}),
);
const parameters = fc.dictionary(fc.string({ maxLength: 6 }), parameter, { maxKeys: 3 });
const contents = fc.record(
  {
    bool_contents: fc.array(fc.boolean(), { maxLength: 5 }),
    int_contents: fc.array(fc.integer(), { maxLength: 5 }),
    int64_contents: fc.array(int64, { maxLength: 5 }),
    uint_contents: fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 5 }),
    uint64_contents: fc.array(uint64, { maxLength: 5 }),
    fp32_contents: fc.array(fc.float({ noNaN: true }), { maxLength: 5 }),
    fp64_contents: fc.array(fc.double({ noNaN: true }), { maxLength: 5 }),
    bytes_contents: fc.array(fc.uint8Array({ maxLength: 5 }).map((a) => Buffer.from(a)), { maxLength: 5 }),
  },
  { requiredKeys: [] },
);
const message: fc.Arbitrary<InferRequestObject> = fc.record({
  model_name: fc.string({ maxLength: 8 }),
  model_version: fc.string({ maxLength: 3 }),
  id: fc.string({ maxLength: 8 }),
  parameters,
  inputs: fc.array(
    fc.record({ name: fc.string({ maxLength: 4 }), datatype: fc.string({ maxLength: 5 }), shape: fc.array(int64, { maxLength: 4 }), parameters, contents: fc.option(contents, { nil: null }) }),
    { maxLength: 3 },
  ),
  outputs: fc.array(fc.record({ name: fc.string({ maxLength: 4 }), parameters }), { maxLength: 2 }),
  raw_input_contents: fc.array(fc.uint8Array({ maxLength: 16 }).map((a) => Buffer.from(a)), { maxLength: 3 }),
});

describe("decodeModelInferRequest", () => {
  it("reads whatever protobufjs writes exactly as protobufjs reads it", () => {
    fc.assert(
      fc.property(message, (msg) => {
        const bytes = encodeInferRequest(msg);
        expect(normalized(decodeModelInferRequest(bytes))).toEqual(reference(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it("answers any truncation or corruption of a message with the message or a 400, nothing else", () => {
    fc.assert(
      fc.property(message, fc.nat(), fc.nat({ max: 255 }), fc.boolean(), (msg, at, byte, truncate) => {
        const bytes = Buffer.from(encodeInferRequest(msg));
        if (bytes.length === 0) return;
        const spoiled = truncate ? bytes.subarray(0, at % bytes.length) : (bytes.writeUInt8(byte, at % bytes.length), bytes);
        try {
          const read = decodeModelInferRequest(spoiled);
          for (const input of read.inputs) for (const f of CONTENTS_FIELDS) if (input.contents?.[f]) valuesOf(f, input.contents[f]);
        } catch (e) {
          if (!isOipError(e)) throw e;
          expect(e.status).toBe(400);
          expect(e.message).toMatch(/^the message is not a valid ModelInferRequest: /);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("answers arbitrary bytes with a message or a 400", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (raw) => {
        try {
          decodeModelInferRequest(Buffer.from(raw));
        } catch (e) {
          if (!isOipError(e)) throw e;
          expect(e.status).toBe(400);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

// Hand-built wire bytes, for what protobufjs never writes but other encoders may.
const varint = (n: bigint): Buffer => {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return Buffer.from(out);
};
const tag = (field: number, wireType: number) => varint(BigInt(field * 8 + wireType));
const delimited = (field: number, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([tag(field, 2), varint(BigInt(body.length)), body]);
};
const str = (field: number, s: string) => delimited(field, Buffer.from(s));
const fixed32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeFloatLE(v);
  return b;
};
const input = (...fields: Buffer[]) => delimited(5, str(1, "x"), str(2, "INT64"), ...fields);
const contentsOf = (bytes: Buffer) => decodeModelInferRequest(bytes).inputs[0].contents!;

describe("decodeModelInferRequest, encodings protobufjs does not write", () => {
  it("reads elements sent one per tag (unpacked) and in several runs, in the order they came", () => {
    const msg = Buffer.concat([
      str(1, "m"),
      input(
        delimited(5, tag(3, 0), varint(-5n), delimited(3, varint(7n), varint(2n ** 62n)), tag(3, 0), varint(9n)),
        // A second contents message adds to the first, as protobuf merges a message field sent twice.
        delimited(5, tag(6, 5), fixed32(1.5), delimited(6, fixed32(-2), fixed32(0.25)), tag(3, 0), varint(11n)),
      ),
    ]);
    const contents = contentsOf(msg);
    expect(valuesOf("int64_contents", contents.int64_contents!)).toEqual(["-5", "7", String(2n ** 62n), "9", "11"]);
    expect(contents.int64_contents!.count).toBe(5);
    expect(valuesOf("fp32_contents", contents.fp32_contents!)).toEqual([1.5, -2, 0.25]);
  });

  it("keeps a packed run as a view of the message, and holds no more than the elements' bytes however they were split", () => {
    const run = delimited(3, ...Array.from({ length: 100 }, (_, i) => varint(BigInt(i * 1000))));
    const packed = contentsOf(Buffer.concat([input(delimited(5, run))])).int64_contents!;
    const msg = Buffer.concat([input(delimited(5, ...Array.from({ length: 10_000 }, (_, i) => Buffer.concat([tag(3, 0), varint(BigInt(i))]))))]);
    const split = contentsOf(msg).int64_contents!;
    expect(packed.count).toBe(100);
    expect(split.count).toBe(10_000);
    expect(valuesOf("int64_contents", split).slice(-2)).toEqual(["9998", "9999"]);
    // Elements below 128 take one byte, 128 and above two: 128 + 2 × 9,872.
    expect(split.bytes().length).toBe(128 + 2 * 9_872);
    expect(split.bytes().buffer.byteLength).toBeLessThanOrEqual(4 * msg.length);
  });

  it("skips fields it does not know, and keeps the last entry of a parameter key and the last field of a oneof", () => {
    const param = (key: string, ...value: Buffer[]) => delimited(4, str(1, key), delimited(2, ...value));
    const msg = Buffer.concat([
      tag(99, 0),
      varint(1n),
      str(1, "m"),
      delimited(98, Buffer.from("anything")),
      param("k", str(3, "first")),
      param("k", str(3, "second")),
      param("both", tag(1, 0), varint(1n), tag(2, 0), varint(-3n)),
    ]);
    const read = decodeModelInferRequest(msg);
    expect(read.model_name).toBe("m");
    expect(read.parameters.k).toEqual({ parameter_choice: "string_param", string_param: "second" });
    expect(read.parameters.both).toEqual({ parameter_choice: "int64_param", int64_param: "-3" });
  });

  it("takes any parameter key as a key, __proto__ included", () => {
    const msg = delimited(4, str(1, "__proto__"), delimited(2, str(3, "v")));
    const read = decodeModelInferRequest(msg);
    expect(Object.keys(read.parameters)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).string_param).toBeUndefined();
  });

  it.each([
    ["a string sent as a varint", Buffer.concat([tag(1, 0), varint(5n)]), "field 1 has wire type 0, expected 2"],
    ["a field past the end", Buffer.concat([tag(1, 2), varint(10n), Buffer.from("abc")]), "a field of 10 bytes runs past the end of its message"],
    ["a varint of 11 bytes", Buffer.concat([tag(99, 0), Buffer.alloc(10, 0x80), Buffer.from([1])]), "a varint is longer than 10 bytes"],
    ["a group", Buffer.concat([tag(99, 3)]), "field 99 has wire type 3 (a group, which proto3 has no use for)"],
    ["field number 0", Buffer.from([0x02, 0x00]), "field number 0 is not valid"],
    ["packed floats cut short", input(delimited(5, delimited(6, Buffer.alloc(6)))), "packed field 6 holds 6 bytes, not a whole number of 4-byte elements"],
    ["a packed varint cut short", input(delimited(5, delimited(3, Buffer.from([0x81, 0x82])))), "packed field 3 ends inside a varint"],
    ["a float sent as a varint", input(delimited(5, tag(6, 0), varint(1n))), "field 6 has wire type 0, which its type does not use"],
    ["a truncated fixed field", Buffer.concat([tag(99, 1), Buffer.alloc(3)]), "the message ends inside a fixed-size field"],
  ])("refuses %s with a 400 saying what is malformed", (_case, bytes, detail) => {
    try {
      decodeModelInferRequest(bytes);
      expect.unreachable("decoded a malformed message");
    } catch (e) {
      if (!isOipError(e)) throw e;
      expect(e.status).toBe(400);
      expect(e.message).toBe(`the message is not a valid ModelInferRequest: ${detail}`);
    }
  });
});
