import { describe, expect, it } from "vitest";
import { decodeModelInferRequest } from "./decode-grpc-infer-request";
import { buildGrpcInferResponse, grpcParameters, parseGrpcInferRequest } from "./grpc-infer";
import { encodeInferRequest, limits, oipMessage, signature, type InferRequestObject } from "./test-support";

const sig = signature(
  [
    { name: "a", datatype: "INT32", shape: [-1, 2] },
    { name: "b", datatype: "FP64", shape: [2] },
  ],
  [
    { name: "y", datatype: "FP32", shape: [-1] },
    { name: "z", datatype: "INT64", shape: [-1] },
  ],
);
const request = (over: InferRequestObject = {}): InferRequestObject => ({
  model_name: "m",
  model_version: "",
  id: "",
  inputs: [
    { name: "b", datatype: "FP64", shape: ["2"], contents: { fp64_contents: [0.5, -1] } },
    { name: "a", datatype: "INT32", shape: ["2", "2"], contents: { int_contents: [1, 2, 3, 4] } },
  ],
  ...over,
});
/** Written by protobufjs, as a grpc-js client sends it, then read as the server reads it. */
const parse = (over: InferRequestObject = {}, s = sig) => parseGrpcInferRequest(decodeModelInferRequest(encodeInferRequest(request(over))), s, limits);

describe("grpcParameters", () => {
  it("reads the parameter set in each oneof, keeping 64-bit integers exact", () => {
    expect(
      grpcParameters({
        flag: { parameter_choice: "bool_param", bool_param: true },
        small: { parameter_choice: "int64_param", int64_param: "42" },
        huge: { parameter_choice: "uint64_param", uint64_param: "18446744073709551615" },
        name: { parameter_choice: "string_param", string_param: "blue" },
        ratio: { parameter_choice: "double_param", double_param: 0.25 },
        unset: {},
      }),
    ).toEqual({ flag: true, small: 42, huge: "18446744073709551615", name: "blue", ratio: 0.25 });
  });
});

describe("parseGrpcInferRequest", () => {
  it("reads typed contents in request order, with the id, parameters and requested outputs", () => {
    const req = parse({ id: "r-1", parameters: { user: { parameter_choice: "string_param", string_param: "u7" } }, outputs: [{ name: "z" }] });
    expect(req.id).toBe("r-1");
    expect(req.parameters).toEqual({ user: "u7" });
    expect([...req.inputs.keys()]).toEqual(["b", "a"]);
    expect(req.inputs.get("a")).toEqual({ datatype: "INT32", shape: [2, 2], data: Int32Array.from([1, 2, 3, 4]) });
    expect(req.inputs.get("b")!.data).toEqual(Float64Array.from([0.5, -1]));
    expect(req.outputs).toEqual([{ name: "z", binary: true }]);
  });

  it("reads raw_input_contents as little-endian bytes, one entry per input", () => {
    const req = parse({
      inputs: [
        { name: "a", datatype: "INT32", shape: ["1", "2"] },
        { name: "b", datatype: "FP64", shape: ["2"] },
      ],
      raw_input_contents: [Buffer.from(Int32Array.from([7, -8]).buffer), Buffer.from(Float64Array.from([1.5, 2]).buffer)],
    });
    expect(Array.from(req.inputs.get("a")!.data as Int32Array)).toEqual([7, -8]);
    expect(Array.from(req.inputs.get("b")!.data as Float64Array)).toEqual([1.5, 2]);
    expect(req.id).toBeUndefined();
  });

  it.each([
    ["no name", { inputs: [{ name: "", datatype: "FP64", shape: ["2"] }] }, "inputs[0] has no 'name'"],
    ["no datatype", { inputs: [{ name: "b", datatype: "", shape: ["2"] }] }, "input 'b' has no 'datatype' (the model's is FP64)"],
    ["no contents", { inputs: [{ name: "b", datatype: "FP64", shape: ["2"], contents: null }] }, "input 'b': expected 2 elements for shape [2], got 0"],
    [
      "contents and raw bytes",
      { inputs: [{ name: "b", datatype: "FP64", shape: ["2"], contents: { fp64_contents: [1, 2] } }], raw_input_contents: [Buffer.alloc(16)] },
      "input 'b' has both 'contents' and raw_input_contents: send one of them",
    ],
    [
      "shared memory",
      { inputs: [{ name: "b", datatype: "FP64", shape: ["2"], parameters: { shared_memory_region: { parameter_choice: "string_param" as const, string_param: "r" } } }] },
      "input 'b': shared memory is not supported; send the data in 'contents' or raw_input_contents",
    ],
    ["contents of another datatype", { inputs: [{ name: "b", datatype: "FP64", shape: ["2"], contents: { fp32_contents: [1, 2] } }] }, "input 'b': FP64 elements belong in contents.fp64_contents, not contents.fp32_contents"],
    ["too many elements", { inputs: [{ name: "b", datatype: "FP64", shape: ["2"], contents: { fp64_contents: [1, 2, 3] } }] }, "input 'b': expected 2 elements for shape [2], got 3"],
    ["an unknown output", { outputs: [{ name: "w" }] }, "requested output 'w' is not an output of the model (outputs: y, z)"],
  ])("refuses %s with a message naming what is wrong", (_case, over, message) => {
    expect(oipMessage(() => parse(over))).toBe(message);
  });

  const narrow = signature([
    { name: "i8", datatype: "INT8", shape: [-1] },
    { name: "u16", datatype: "UINT16", shape: [-1] },
    { name: "u64", datatype: "UINT64", shape: [-1] },
    { name: "i64", datatype: "INT64", shape: [-1] },
    { name: "ok", datatype: "BOOL", shape: [-1] },
    { name: "s", datatype: "BYTES", shape: [-1] },
  ]);
  const narrowInputs = (i8: number[], u16: number[]) => [
    { name: "i8", datatype: "INT8", shape: [String(i8.length)], contents: { int_contents: i8 } },
    { name: "u16", datatype: "UINT16", shape: [String(u16.length)], contents: { uint_contents: u16 } },
    { name: "u64", datatype: "UINT64", shape: ["2"], contents: { uint64_contents: ["18446744073709551615", "9007199254740993"] } },
    { name: "i64", datatype: "INT64", shape: ["3"], contents: { int64_contents: ["-9223372036854775808", "-1", "9007199254740993"] } },
    { name: "ok", datatype: "BOOL", shape: ["3"], contents: { bool_contents: [true, false, true] } },
    { name: "s", datatype: "BYTES", shape: ["2"], contents: { bytes_contents: [Buffer.from("héllo"), Buffer.alloc(0)] } },
  ];

  it("reads every integer width exactly, 64-bit ones beyond 2^53 and negative ones too, with booleans and strings", () => {
    const req = parse({ inputs: narrowInputs([-128, 127], [0, 65535]) }, narrow);
    expect(req.inputs.get("i8")!.data).toEqual(Int8Array.from([-128, 127]));
    expect(req.inputs.get("u16")!.data).toEqual(Uint16Array.from([0, 65535]));
    expect(req.inputs.get("u64")!.data).toEqual(BigUint64Array.from([2n ** 64n - 1n, 2n ** 53n + 1n]));
    expect(req.inputs.get("i64")!.data).toEqual(BigInt64Array.from([-(2n ** 63n), -1n, 2n ** 53n + 1n]));
    expect(req.inputs.get("ok")!.data).toEqual(Uint8Array.from([1, 0, 1]));
    expect(req.inputs.get("s")!.data).toEqual(["héllo", ""]);
  });

  it.each([
    [[-129], [1], "input 'i8': element 0 (-129) is out of range for INT8"],
    [[1, 128], [1], "input 'i8': element 1 (128) is out of range for INT8"],
    [[1], [65536], "input 'u16': element 0 (65536) is out of range for UINT16"],
  ])("refuses an integer outside its datatype's range (%j, %j)", (i8, u16, message) => {
    expect(oipMessage(() => parse({ inputs: narrowInputs(i8, u16) }, narrow))).toBe(message);
  });
});

describe("buildGrpcInferResponse", () => {
  const outputs = [
    { name: "y", datatype: "FP32" as const, shape: [2], data: Float32Array.from([0.5, 1]) },
    { name: "z", datatype: "INT64" as const, shape: [2], data: BigInt64Array.from([3n, -4n]) },
  ];

  it("answers every output as raw bytes in the model's order, or those asked for in their order", () => {
    const all = buildGrpcInferResponse({ modelName: "m", modelVersion: "2", id: "r", outputs });
    expect(all.outputs).toEqual([
      { name: "y", datatype: "FP32", shape: [2] },
      { name: "z", datatype: "INT64", shape: [2] },
    ]);
    expect(all.raw_output_contents.map((b) => b.length)).toEqual([8, 16]);
    const some = buildGrpcInferResponse({ modelName: "m", modelVersion: "2", id: "r", outputs, requested: [{ name: "z", binary: true }] });
    expect(some.outputs.map((o) => o.name)).toEqual(["z"]);
    expect(some.raw_output_contents[0].readBigInt64LE(8)).toBe(-4n);
  });
});
