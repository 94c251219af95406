/**
 * Small ONNX models for the registry's tests, written with onnx-proto (the shared lib/onnx builders may replace
 * these). Each returns the encoded bytes.
 */
import pkg from "onnx-proto";

const { onnx } = pkg;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

type Dim = number | string;

function valueInfo(name: string, elemType: number, dims: Dim[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}

function floatTensor(name: string, dims: number[], seed = 1) {
  const n = dims.reduce((a, d) => a * d, 1);
  const data = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 16807) % 2147483647;
    data[i] = (s / 2147483647 - 0.5) * 0.2;
  }
  return onnx.TensorProto.create({ name, dims, dataType: FLOAT, rawData: new Uint8Array(data.buffer) });
}

function model(graph: pkg.onnx.IGraphProto, opts: { opset?: number; irVersion?: number; metadata?: Record<string, string> } = {}) {
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: opts.irVersion ?? 8,
      producerName: "ferry-tests",
      producerVersion: "1",
      opsetImport: [{ domain: "", version: opts.opset ?? 17 }],
      metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph,
    }),
  ).finish();
}

/** x [batch, inputs] FP32 → Gemm → Relu → Gemm → Softmax → probs [batch, outputs]. */
export function mlpModel(opts: { inputs?: number; hidden?: number; outputs?: number; seed?: number; inputName?: string } = {}) {
  const i = opts.inputs ?? 32, h = opts.hidden ?? 64, o = opts.outputs ?? 4, seed = opts.seed ?? 1;
  const x = opts.inputName ?? "x";
  return model(
    {
      name: "mlp",
      node: [
        { opType: "Gemm", input: [x, "W1", "B1"], output: ["h"], name: "gemm1" },
        { opType: "Relu", input: ["h"], output: ["hr"], name: "relu" },
        { opType: "Gemm", input: ["hr", "W2", "B2"], output: ["logits"], name: "gemm2" },
        { opType: "Softmax", input: ["logits"], output: ["probs"], name: "softmax", attribute: [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 1 }] },
      ],
      initializer: [floatTensor("W1", [i, h], seed), floatTensor("B1", [h], seed + 1), floatTensor("W2", [h, o], seed + 2), floatTensor("B2", [o], seed + 3)],
      input: [valueInfo(x, FLOAT, ["batch", i])],
      output: [valueInfo("probs", FLOAT, ["batch", o])],
    },
    { metadata: { framework: "test" } },
  );
}

/** image [batch, 3, height, width] → GlobalAveragePool → Flatten → features [batch, 3]. */
export function imageModel() {
  return model({
    name: "image",
    node: [
      { opType: "GlobalAveragePool", input: ["image"], output: ["pooled"] },
      { opType: "Flatten", input: ["pooled"], output: ["features"] },
    ],
    input: [valueInfo("image", FLOAT, ["batch", 3, "height", "width"])],
    output: [valueInfo("features", FLOAT, ["batch", 3])],
  });
}

/** a FP32 [batch, 4] and b INT64 [batch, 2] → relu_a FP32 [batch, 4] and double_b INT64 [batch, 2]. */
export function twoInTwoOutModel() {
  return model({
    name: "two",
    node: [
      { opType: "Relu", input: ["a"], output: ["relu_a"] },
      { opType: "Add", input: ["b", "b"], output: ["double_b"] },
    ],
    input: [valueInfo("a", FLOAT, ["batch", 4]), valueInfo("b", INT64, ["batch", 2])],
    output: [valueInfo("relu_a", FLOAT, ["batch", 4]), valueInfo("double_b", INT64, ["batch", 2])],
  });
}

/** An MLP whose first weight claims to live in an external file. */
export function externalDataModel(location = "../../etc/passwd") {
  const decoded = onnx.ModelProto.decode(mlpModel({ inputs: 4, hidden: 4, outputs: 2 }));
  const w = decoded.graph!.initializer![0];
  w.rawData = new Uint8Array(0);
  w.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
  w.externalData = [{ key: "location", value: location }, { key: "offset", value: "0" }, { key: "length", value: "64" }];
  return onnx.ModelProto.encode(decoded).finish();
}

/** A graph using an operator from a domain no runtime knows. */
export function customDomainModel() {
  const bytes = model({
    name: "custom",
    node: [{ opType: "Mystery", domain: "com.example.evil", input: ["x"], output: ["y"] }],
    input: [valueInfo("x", FLOAT, ["batch", 2])],
    output: [valueInfo("y", FLOAT, ["batch", 2])],
  });
  const m = onnx.ModelProto.decode(bytes);
  m.opsetImport.push({ domain: "com.example.evil", version: 1 });
  return onnx.ModelProto.encode(m).finish();
}

/** Declares an opset far newer than any runtime. */
export function futureOpsetModel() {
  return model(
    { name: "future", node: [{ opType: "Relu", input: ["x"], output: ["y"] }], input: [valueInfo("x", FLOAT, ["batch", 2])], output: [valueInfo("y", FLOAT, ["batch", 2])] },
    { opset: 99 },
  );
}

/** Fixed shapes, but the graph's Reshape can never succeed: fails the smoke inference. */
export function brokenReshapeModel() {
  const shape = onnx.TensorProto.create({ name: "shape", dims: [2], dataType: INT64, int64Data: [7, 7] });
  return model({
    name: "broken",
    node: [{ opType: "Reshape", input: ["x", "shape"], output: ["y"] }],
    initializer: [shape],
    input: [valueInfo("x", FLOAT, [1, 3])],
    output: [valueInfo("y", FLOAT, [7, 7])],
  });
}
