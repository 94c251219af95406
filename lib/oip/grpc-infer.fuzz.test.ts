import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeModelInferRequest, type GrpcParameter } from "./decode-grpc-infer-request";
import { parseGrpcInferRequest } from "./grpc-infer";
import { isOipError } from "./oip-error";
import { encodeInferRequest, limits, signature, type InferRequestObject } from "./test-support";

// Whatever a gRPC client sends (every message protobufjs writes: any names, datatypes, int64 shapes, elements in any
// contents field, raw bytes of any length), the server's reading answers with the request or a readable OipError —
// never a TypeError, never a stack or a path.
const read = (msg: InferRequestObject) => parseGrpcInferRequest(decodeModelInferRequest(encodeInferRequest(msg)), sig, limits);
const sig = signature(
  [
    { name: "x", datatype: "FP32", shape: [-1, 3] },
    { name: "ids", datatype: "INT64", shape: [-1] },
    { name: "text", datatype: "BYTES", shape: [-1] },
    { name: "h", datatype: "FP16", shape: [-1, 2] },
  ],
  [{ name: "y", datatype: "FP32", shape: [-1, 2] }],
);
const NAMES = ["x", "ids", "text", "h", "y", "", "nope", "__proto__"];
const DATATYPES = ["FP32", "INT64", "BYTES", "FP16", "BOOL", "INT32", "UINT64", "", "fp32"];

const int64 = fc.oneof(fc.integer({ min: -2, max: 4 }).map(String), fc.constantFrom("9223372036854775807", "-9223372036854775808", "4294967296", "0"));
const parameter: fc.Arbitrary<GrpcParameter> = fc.oneof(
  fc.boolean().map((v) => ({ parameter_choice: "bool_param" as const, bool_param: v })),
  int64.map((v) => ({ parameter_choice: "int64_param" as const, int64_param: v })),
  fc.string({ maxLength: 6 }).map((v) => ({ parameter_choice: "string_param" as const, string_param: v })),
  fc.double().map((v) => ({ parameter_choice: "double_param" as const, double_param: v })),
  fc.constant({}),
);
const parameters = fc.dictionary(fc.constantFrom("shared_memory_region", "binary_data", "user", "__proto__"), parameter, { maxKeys: 2 });
const contents = fc.record(
  {
    bool_contents: fc.array(fc.boolean(), { maxLength: 6 }),
    int_contents: fc.array(fc.integer(), { maxLength: 6 }),
    int64_contents: fc.array(int64, { maxLength: 6 }),
    uint_contents: fc.array(fc.nat(), { maxLength: 6 }),
    uint64_contents: fc.array(fc.oneof(fc.nat().map(String), fc.constantFrom("18446744073709551615", "18446744073709551616", "-1")), { maxLength: 6 }),
    fp32_contents: fc.array(fc.float(), { maxLength: 6 }),
    fp64_contents: fc.array(fc.double(), { maxLength: 6 }),
    bytes_contents: fc.array(fc.uint8Array({ maxLength: 6 }).map((a) => Buffer.from(a)), { maxLength: 6 }),
  },
  { requiredKeys: [] },
);
const input = fc.record({
  name: fc.constantFrom(...NAMES),
  datatype: fc.constantFrom(...DATATYPES),
  shape: fc.array(int64, { maxLength: 3 }),
  parameters,
  contents: fc.option(contents, { nil: null }),
});
const message: fc.Arbitrary<InferRequestObject> = fc.record({
  model_name: fc.constant("m"),
  model_version: fc.constant(""),
  id: fc.string({ maxLength: 4 }),
  parameters,
  inputs: fc.array(input, { maxLength: 5 }),
  outputs: fc.array(fc.record({ name: fc.constantFrom(...NAMES), parameters }), { maxLength: 2 }),
  raw_input_contents: fc.array(fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)), { maxLength: 5 }),
});

/** A valid message for `sig`: `rows` rows of every input, each in its contents field or all as raw bytes. */
const valid = fc.record({ rows: fc.integer({ min: 1, max: 3 }), raw: fc.boolean(), seed: fc.integer({ min: -1000, max: 1000 }) }).map(({ rows, raw, seed }) => {
  const x = Array.from({ length: rows * 3 }, (_, i) => (i + seed) / 8);
  const ids = Array.from({ length: rows }, (_, i) => String(BigInt(seed) * 4294967296n + BigInt(i)));
  const text = Array.from({ length: rows }, (_, i) => Buffer.from(`t${i}${seed}`));
  const h = Buffer.alloc(rows * 2 * 2, 0x3c); // FP16 1.0-ish bit patterns: only raw bytes carry FP16
  const bytesOf = (parts: Buffer[]) => Buffer.concat(parts.flatMap((p) => [Buffer.from(Uint32Array.of(p.length).buffer), p]));
  const inputs = [
    { name: "x", datatype: "FP32", shape: [String(rows), "3"], contents: raw ? null : { fp32_contents: x } },
    { name: "ids", datatype: "INT64", shape: [String(rows)], contents: raw ? null : { int64_contents: ids } },
    { name: "text", datatype: "BYTES", shape: [String(rows)], contents: raw ? null : { bytes_contents: text } },
    { name: "h", datatype: "FP16", shape: [String(rows), "2"], contents: null },
  ];
  const rawContents = [Buffer.from(Float32Array.from(x).buffer), Buffer.from(BigInt64Array.from(ids.map(BigInt)).buffer), bytesOf(text), h];
  // FP16 has no contents field and raw_input_contents is all or nothing: a typed message is refused for 'h', a raw one
  // is complete.
  return { msg: { model_name: "m", model_version: "", id: "", inputs, raw_input_contents: raw ? rawContents : [] }, raw, x, ids, text };
});

describe("reading arbitrary ModelInferRequests", () => {
  it("reads every valid message's elements exactly (and refuses FP16 without raw bytes, saying where it belongs)", () => {
    fc.assert(
      fc.property(valid, ({ msg, raw, x, ids, text }) => {
        if (!raw) {
          expect(() => read(msg)).toThrow("input 'h': FP16 has no 'contents' field; send its bytes in raw_input_contents");
          return;
        }
        const req = read(msg);
        expect(Array.from(req.inputs.get("x")!.data as Float32Array)).toEqual(Array.from(Float32Array.from(x)));
        expect(Array.from(req.inputs.get("ids")!.data as BigInt64Array).map(String)).toEqual(ids);
        expect(req.inputs.get("text")!.data).toEqual(text.map((b) => b.toString("utf8")));
      }),
      { numRuns: 300 },
    );
  });

  it("answers with the request or a readable 4xx, nothing else", () => {
    fc.assert(
      fc.property(message, (msg) => {
        try {
          const req = read(msg);
          // What it accepts is complete: every input of the model, each with as many elements as its shape says.
          expect([...req.inputs.keys()].sort()).toEqual(["h", "ids", "text", "x"]);
          for (const t of req.inputs.values()) expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1));
        } catch (e) {
          if (!isOipError(e)) throw e;
          expect([400, 413]).toContain(e.status);
          expect(e.message).not.toMatch(/\n\s+at |\/work\/|node_modules/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
