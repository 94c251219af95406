import { describe, expect, it } from "vitest";
import { buildGrpcInferResponse, grpcParameters, parseGrpcInferRequest, type GrpcInferRequest } from "./grpc-infer";
import { limits, oipMessage, signature } from "./test-support";

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
const request = (over: Partial<GrpcInferRequest> = {}): GrpcInferRequest => ({
  model_name: "m",
  model_version: "",
  id: "",
  inputs: [
    { name: "b", datatype: "FP64", shape: ["2"], contents: { fp64_contents: [0.5, -1] } },
    { name: "a", datatype: "INT32", shape: ["2", "2"], contents: { int_contents: [1, 2, 3, 4] } },
  ],
  ...over,
});
const parse = (over: Partial<GrpcInferRequest> = {}) => parseGrpcInferRequest(request(over), sig, limits);

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
    ["an integer out of range", { inputs: [{ name: "a", datatype: "INT32", shape: ["1", "2"], contents: { int_contents: [1, 2 ** 31] } }] }, "input 'a': element 1 (2147483648) is out of range for INT32"],
    ["an unknown output", { outputs: [{ name: "w" }] }, "requested output 'w' is not an output of the model (outputs: y, z)"],
  ])("refuses %s with a message naming what is wrong", (_case, over, message) => {
    expect(oipMessage(() => parse(over as Partial<GrpcInferRequest>))).toBe(message);
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
