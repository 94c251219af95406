import { describe, expect, it } from "vitest";
import { parseInferRequest } from "./parse-infer-request";
import { jsonBody, limits, oipMessage, signature } from "./test-support";

const mlp = signature(
  [{ name: "x", datatype: "FP32", shape: [-1, 32] }],
  [
    { name: "probs", datatype: "FP32", shape: [-1, 4] },
    { name: "label", datatype: "INT64", shape: [-1] },
  ],
);
const row = (n = 32, start = 0) => Array.from({ length: n }, (_, i) => start + i / 4);
const parseJson = (value: unknown, sig = mlp, lim = limits) => parseInferRequest(jsonBody(value), {}, sig, lim);
const input = (over: Record<string, unknown> = {}) => ({ name: "x", datatype: "FP32", shape: [1, 32], data: row(), ...over });

describe("parseInferRequest: JSON", () => {
  it("reads flat data, echoes id and parameters, and keeps request order", () => {
    const sig = signature([
      { name: "a", datatype: "INT32", shape: [-1, 2] },
      { name: "b", datatype: "FP64", shape: [2] },
    ]);
    const req = parseJson(
      {
        id: "req-1",
        parameters: { trace: "yes" },
        inputs: [
          { name: "b", datatype: "FP64", shape: [2], data: [0.5, -1] },
          { name: "a", datatype: "INT32", shape: [2, 2], data: [1, 2, 3, 4] },
        ],
      },
      sig,
    );
    expect(req.id).toBe("req-1");
    expect(req.parameters).toEqual({ trace: "yes" });
    expect([...req.inputs.keys()]).toEqual(["b", "a"]);
    expect(req.inputs.get("a")).toEqual({ datatype: "INT32", shape: [2, 2], data: new Int32Array([1, 2, 3, 4]) });
    expect(req.inputs.get("b")!.data).toEqual(new Float64Array([0.5, -1]));
    expect(req.outputs).toBeUndefined();
    expect(req.binaryOutputDefault).toBe(false);
  });

  it("flattens nested row-major data, whatever its nesting", () => {
    const nested = parseJson({ inputs: [input({ shape: [2, 32], data: [row(), row(32, 100)] })] });
    expect(nested.inputs.get("x")!.data).toEqual(new Float32Array([...row(), ...row(32, 100)]));
    const deeper = parseInferRequest(
      jsonBody({ inputs: [{ name: "t", datatype: "INT8", shape: [2, 2, 2], data: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]] }] }),
      {},
      signature([{ name: "t", datatype: "INT8", shape: [-1, 2, 2] }]),
      limits,
    );
    expect(deeper.inputs.get("t")!.data).toEqual(new Int8Array([1, 2, 3, 4, 5, 6, 7, 8]));
  });

  it("accepts a body whatever its Content-Type says, or without one", () => {
    for (const contentType of [undefined, "text/plain", "application/octet-stream", "application/json; charset=utf-8"]) {
      const req = parseInferRequest(jsonBody({ inputs: [input()] }), { contentType }, mlp, limits);
      expect(req.inputs.get("x")!.data.length).toBe(32);
    }
  });

  it("reads requested outputs with binary flags and the request default", () => {
    const req = parseJson({
      inputs: [input()],
      parameters: { binary_data_output: true },
      outputs: [{ name: "label" }, { name: "probs", parameters: { binary_data: false } }],
    });
    expect(req.binaryOutputDefault).toBe(true);
    expect(req.outputs).toEqual([
      { name: "label", binary: true },
      { name: "probs", binary: false },
    ]);
  });

  it("accepts NaN and infinities spelled as strings for floats", () => {
    const sig = signature([{ name: "f", datatype: "FP32", shape: [4] }]);
    const req = parseJson({ inputs: [{ name: "f", datatype: "FP32", shape: [4], data: ["NaN", "Infinity", "-Infinity", 2] }] }, sig);
    const data = req.inputs.get("f")!.data as Float32Array;
    expect(Number.isNaN(data[0])).toBe(true);
    expect([...data.slice(1)]).toEqual([Infinity, -Infinity, 2]);
  });

  it("accepts 0 and 1 for BOOL and digit strings for INT64 beyond 2^53", () => {
    const sig = signature([
      { name: "b", datatype: "BOOL", shape: [4] },
      { name: "i", datatype: "INT64", shape: [3] },
    ]);
    const req = parseJson(
      {
        inputs: [
          { name: "b", datatype: "BOOL", shape: [4], data: [true, false, 1, 0] },
          { name: "i", datatype: "INT64", shape: [3], data: ["9223372036854775807", -5, "-9223372036854775808"] },
        ],
      },
      sig,
    );
    expect(req.inputs.get("b")!.data).toEqual(new Uint8Array([1, 0, 1, 0]));
    expect(req.inputs.get("i")!.data).toEqual(new BigInt64Array([2n ** 63n - 1n, -5n, -(2n ** 63n)]));
  });
});

describe("parseInferRequest: validation messages", () => {
  const cases: [string, unknown, string][] = [
    ["wrong element count", { inputs: [input({ data: row(40) })] }, "input 'x': expected 32 elements for shape [1,32], got 40"],
    ["missing input", { inputs: [] }, "input 'x' is missing (expected inputs: x)"],
    ["unknown input", { inputs: [input(), input({ name: "z" })] }, "input 'z' is not an input of the model (expected inputs: x)"],
    ["duplicate input", { inputs: [input(), input()] }, "input 'x' appears more than once"],
    ["wrong datatype", { inputs: [input({ datatype: "INT32" })] }, "input 'x': datatype INT32 does not match the model's FP32"],
    ["unknown datatype", { inputs: [input({ datatype: "FLOAT" })] }, "input 'x': datatype FLOAT does not match the model's FP32"],
    ["no datatype", { inputs: [input({ datatype: undefined })] }, "input 'x' has no 'datatype' (the model's is FP32)"],
    ["rank mismatch", { inputs: [input({ shape: [32] })] }, "input 'x': shape [32] does not match the model's [-1,32] (expected 2 dimensions, got 1)"],
    ["fixed dimension", { inputs: [input({ shape: [2, 16] })] }, "input 'x': shape [2,16] does not match the model's [-1,32] (dimension 1 must be 32)"],
    ["empty batch", { inputs: [input({ shape: [0, 32], data: [] })] }, "input 'x': shape [0,32] does not match the model's [-1,32] (dimension 0 must be at least 1)"],
    ["negative dimension", { inputs: [input({ shape: [-1, 32] })] }, "input 'x': shape [-1,32] has a negative dimension"],
    ["fractional dimension", { inputs: [input({ shape: [1.5, 32] })] }, "input 'x': 'shape' must be an array of integers (the model's is [-1,32])"],
    ["absurd dimension", { inputs: [input({ shape: [100000000, 32] })] }, "input 'x': shape [100000000,32] has 3200000000 elements, more than the limit of 1048576"],
    ["non-numeric value", { inputs: [input({ data: [1, 2, 3, "four", ...row(28)] })] }, "input 'x': element 3 is not a number"],
    ["null value", { inputs: [input({ data: [null, ...row(31)] })] }, "input 'x': element 0 is not a number"],
    ["boolean for a float", { inputs: [input({ data: [true, ...row(31)] })] }, "input 'x': element 0 is not a number"],
    ["ragged rows", { inputs: [input({ shape: [2, 32], data: [row(), row(31)] })] }, "input 'x': nested data is ragged (at depth 1, one array holds 32 items and another 31)"],
    ["ragged depth", { inputs: [input({ shape: [2, 32], data: [row(), 5] })] }, "input 'x': nested data is ragged (a value at depth 1, where arrays belong)"],
    ["array among values", { inputs: [input({ data: [1, [2, 3], ...row(29)] })] }, "input 'x': nested data is ragged (an array at depth 1, where values belong)"],
    ["array among values, count off", { inputs: [input({ data: [1, [2], ...row(29)] })] }, "input 'x': nested data is ragged (an array at depth 1, where values belong)"],
    ["no data", { inputs: [input({ data: undefined })] }, "input 'x' has no 'data' and no 'binary_data_size'"],
    ["no inputs", { id: "a" }, "request has no 'inputs' array"],
    ["not an object", [1, 2], "request body must be a JSON object"],
    ["id not a string", { id: 7, inputs: [input()] }, "'id' must be a string"],
    ["input without name", { inputs: [{ datatype: "FP32" }] }, "inputs[0] has no 'name'"],
    ["unknown output", { inputs: [input()], outputs: [{ name: "logits" }] }, "requested output 'logits' is not an output of the model (outputs: probs, label)"],
    ["duplicate output", { inputs: [input()], outputs: [{ name: "label" }, { name: "label" }] }, "output 'label' is requested more than once"],
    ["binary flag not boolean", { inputs: [input()], outputs: [{ name: "label", parameters: { binary_data: "yes" } }] }, "output 'label': 'binary_data' must be a boolean"],
    ["shared memory", { inputs: [input({ data: undefined, parameters: { shared_memory_region: "r" } })] }, "input 'x': shared memory is not supported; send the data as JSON or binary data"],
    ["binary without header", { inputs: [input({ data: undefined, parameters: { binary_data_size: 128 } })] }, "input 'x' has binary_data_size but the request has no Inference-Header-Content-Length header"],
  ];
  it.each(cases)("%s", (_, body, message) => {
    expect(oipMessage(() => parseJson(body))).toBe(message);
  });

  it("rejects malformed JSON without echoing it", () => {
    expect(oipMessage(() => parseInferRequest(Buffer.from('{"inputs": [}'), {}, mlp, limits))).toBe("request body is not valid JSON");
    expect(oipMessage(() => parseInferRequest(Buffer.alloc(0), {}, mlp, limits))).toBe("request body is not valid JSON");
  });

  it("rejects too many dimensions", () => {
    const sig = signature([{ name: "t", datatype: "FP32", shape: [-1, -1, -1] }]);
    const body = { inputs: [{ name: "t", datatype: "FP32", shape: [1, 1, 1], data: [1] }] };
    expect(oipMessage(() => parseJson(body, sig, { maxElements: 100, maxDims: 2 }))).toBe(
      "input 't': shape [1,1,1] has 3 dimensions, at most 2 are allowed",
    );
  });

  it("names the integer problems exactly", () => {
    const sig = signature([
      { name: "i8", datatype: "INT8", shape: [2] },
      { name: "u64", datatype: "UINT64", shape: [1] },
      { name: "i64", datatype: "INT64", shape: [1] },
      { name: "b", datatype: "BOOL", shape: [1] },
      { name: "s", datatype: "BYTES", shape: [1] },
    ]);
    const ok = {
      i8: { name: "i8", datatype: "INT8", shape: [2], data: [1, 2] },
      u64: { name: "u64", datatype: "UINT64", shape: [1], data: [1] },
      i64: { name: "i64", datatype: "INT64", shape: [1], data: [1] },
      b: { name: "b", datatype: "BOOL", shape: [1], data: [true] },
      s: { name: "s", datatype: "BYTES", shape: [1], data: ["a"] },
    };
    const withData = (name: keyof typeof ok, data: unknown[]) => () =>
      parseJson({ inputs: Object.values({ ...ok, [name]: { ...ok[name], data } }) }, sig);
    expect(withData("i8", [1, 2])().inputs.size).toBe(5);
    expect(oipMessage(withData("i8", [1, 300]))).toBe("input 'i8': element 1 (300) is out of range for INT8");
    expect(oipMessage(withData("i8", [1, 2.5]))).toBe("input 'i8': element 1 (2.5) is not an integer");
    expect(oipMessage(withData("i8", [1, "2"]))).toBe("input 'i8': element 1 is not a number");
    expect(oipMessage(withData("u64", [-1]))).toBe("input 'u64': element 0 (-1) is out of range for UINT64");
    expect(oipMessage(withData("u64", ["18446744073709551616"]))).toBe(
      "input 'u64': element 0 (18446744073709551616) is out of range for UINT64",
    );
    expect(oipMessage(withData("i64", [2 ** 60]))).toBe(
      "input 'i64': element 0 (1152921504606847000) is beyond 2^53 and cannot be read exactly from a JSON number; " +
        "send it as a string of digits or as binary data",
    );
    expect(oipMessage(withData("i64", ["12a"]))).toBe("input 'i64': element 0 is not an integer");
    expect(oipMessage(withData("i64", [0.5]))).toBe("input 'i64': element 0 (0.5) is not an integer");
    expect(oipMessage(withData("b", [2]))).toBe("input 'b': element 0 is not a boolean");
    expect(oipMessage(withData("b", ["true"]))).toBe("input 'b': element 0 is not a boolean");
    expect(oipMessage(withData("s", [5]))).toBe("input 's': element 0 is not a string");
  });

  it("never puts a stack trace or a file path in a message", () => {
    const bodies = [Buffer.from("{nope"), jsonBody({ inputs: [input({ data: [{}] })] }), jsonBody({ inputs: "x" })];
    for (const body of bodies) {
      const message = oipMessage(() => parseInferRequest(body, {}, mlp, limits));
      expect(message).not.toMatch(/\n\s+at |\/work\/|\.ts\b|node_modules/);
    }
  });
});
