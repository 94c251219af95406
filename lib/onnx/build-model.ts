/**
 * Small, valid ONNX models built deterministically from a seed: the demo seed uploads them and the tests run them.
 * Every model here loads and runs in the bundled onnxruntime-node (checked by build-model.test.ts).
 */
import { onnxFromV2, type V2Datatype } from "@/lib/tensor/datatypes";
import { attr, encodeModel, floatTensor, int64Tensor, node, reduceNode, tensorInfo, DEFAULT_OPSET, type ModelOptions, type OnnxTypes } from "./model-proto";
import { seededRandom, uniformFloats } from "./seeded-random";

export { withModelOptions, withOpset, type ModelOptions } from "./model-proto";
export { buildExternalDataModel, type ExternalDataPlacement } from "./build-external-data-model";

export interface MlpOptions extends ModelOptions {
  inputs?: number;
  hidden?: number;
  outputs?: number;
  seed?: number;
  inputName?: string;
  outputName?: string;
  /** Softmax over the last layer (default true); false leaves raw logits. */
  softmax?: boolean;
  /** Batch dimension as dimParam "batch" (default true); false fixes it at 1. */
  dynamicBatch?: boolean;
}

export interface MlpWeights {
  /** [inputs, hidden], row-major. */
  w1: Float32Array;
  b1: Float32Array;
  /** [hidden, outputs], row-major. */
  w2: Float32Array;
  b2: Float32Array;
}

/**
 * The MLP's weights, drawn in this order from seededRandom(seed): w1 uniform in ±1/√inputs, b1 in ±0.1,
 * w2 in ±1/√hidden, b2 in ±0.1. Anyone can recompute them to check a model's outputs.
 */
export function mlpWeights(opts: { inputs?: number; hidden?: number; outputs?: number; seed?: number } = {}): MlpWeights {
  const { inputs = 32, hidden = 64, outputs = 4, seed = 1 } = opts;
  const next = seededRandom(seed);
  return {
    w1: uniformFloats(next, inputs * hidden, 1 / Math.sqrt(inputs)),
    b1: uniformFloats(next, hidden, 0.1),
    w2: uniformFloats(next, hidden * outputs, 1 / Math.sqrt(hidden)),
    b2: uniformFloats(next, outputs, 0.1),
  };
}

function mlpGraph(opts: MlpOptions, extraLogits?: (logits: string, out: OnnxTypes.IGraphProto) => string): OnnxTypes.IGraphProto {
  const { inputs = 32, hidden = 64, outputs = 4, inputName = "x", outputName = "probs" } = opts;
  const batch = opts.dynamicBatch === false ? 1 : "batch";
  const w = mlpWeights(opts);
  const graph: OnnxTypes.IGraphProto = {
    name: "mlp",
    initializer: [
      floatTensor("mlp/W1", [inputs, hidden], w.w1),
      floatTensor("mlp/B1", [hidden], w.b1),
      floatTensor("mlp/W2", [hidden, outputs], w.w2),
      floatTensor("mlp/B2", [outputs], w.b2),
    ],
    node: [
      node("MatMul", [inputName, "mlp/W1"], ["mlp/h0"]),
      node("Add", ["mlp/h0", "mlp/B1"], ["mlp/h1"]),
      node("Relu", ["mlp/h1"], ["mlp/h2"]),
      node("MatMul", ["mlp/h2", "mlp/W2"], ["mlp/l0"]),
      node("Add", ["mlp/l0", "mlp/B2"], ["mlp/logits"]),
    ],
    input: [tensorInfo(inputName, "FP32", [batch, inputs])],
    output: [tensorInfo(outputName, "FP32", [batch, outputs])],
  };
  let last = extraLogits ? extraLogits("mlp/logits", graph) : "mlp/logits";
  if (opts.softmax !== false) {
    graph.node!.push(node("Softmax", [last], ["mlp/softmax"], [attr.int("axis", -1)]));
    last = "mlp/softmax";
  }
  graph.node!.push(node("Identity", [last], [outputName]));
  return graph;
}

/** x [batch, inputs] → MatMul+Add → Relu → MatMul+Add (→ Softmax) → probs [batch, outputs], FP32 throughout. */
export function buildMlp(opts: MlpOptions = {}): Uint8Array {
  return encodeModel(mlpGraph(opts), opts);
}

/**
 * The same MLP (same seed, same outputs) that fails at run time on some inputs, to exercise canary rollback.
 * The truncated first feature, trunc(x[:, 0]), indexes a table of `limit` zero rows with Gather, whose result is
 * added to the logits. So a batch runs (and matches buildMlp exactly) when every row has
 * -limit ≤ trunc(x[r, 0]) ≤ limit - 1, i.e. -(limit + 1) < x[r, 0] < limit; any row outside that range
 * (default limit 8: x[r, 0] ≥ 8 or x[r, 0] ≤ -9, ±Infinity too) makes the whole run throw "indices element out of
 * data bounds". NaN depends on the CPU's float→int conversion: it fails on x86-64 (NaN → INT64_MIN), not on ARM (→ 0).
 */
export function buildFailingModel(opts: MlpOptions & { limit?: number } = {}): Uint8Array {
  const { outputs = 4, limit = 8 } = opts;
  const graph = mlpGraph(opts, (logits, g) => {
    g.initializer!.push(int64Tensor("mlp/first_col", [], [0]), floatTensor("mlp/zero_table", [limit, outputs], new Float32Array(limit * outputs)));
    g.node!.push(
      node("Gather", [opts.inputName ?? "x", "mlp/first_col"], ["mlp/first"], [attr.int("axis", 1)]),
      node("Cast", ["mlp/first"], ["mlp/row_index"], [attr.int("to", onnxFromV2("INT64"))]),
      node("Gather", ["mlp/zero_table", "mlp/row_index"], ["mlp/bias"], [attr.int("axis", 0)]),
      node("Add", [logits, "mlp/bias"], ["mlp/checked_logits"]),
    );
    return "mlp/checked_logits";
  });
  return encodeModel(graph, { ...opts, docString: opts.docString ?? `fails when trunc(x[:,0]) is outside [-${limit}, ${limit - 1}]` });
}

/**
 * image FP32 [batch, 3, height, width] (all three dynamic, or `size` × `size` pixels as ImageNet models take them) →
 * mean over H and W → [batch, 3] → MatMul W [3, classes] + B → Softmax → probs [batch, classes]. W (row-major) then B
 * drawn from seededRandom(seed), uniform in ±1.
 */
export function buildImageModel(opts: ModelOptions & { seed?: number; classes?: number; size?: number } = {}): Uint8Array {
  const { seed = 1, classes = 2 } = opts;
  const next = seededRandom(seed);
  const initializer = [floatTensor("W", [3, classes], uniformFloats(next, 3 * classes, 1)), floatTensor("B", [classes], uniformFloats(next, classes, 1))];
  const graph: OnnxTypes.IGraphProto = {
    name: "image_classifier",
    initializer,
    node: [
      reduceNode("ReduceMean", "image", "pooled", [2, 3], false, opts.opset ?? DEFAULT_OPSET, initializer),
      node("MatMul", ["pooled", "W"], ["l0"]),
      node("Add", ["l0", "B"], ["logits"]),
      node("Softmax", ["logits"], ["probs"], [attr.int("axis", -1)]),
    ],
    input: [tensorInfo("image", "FP32", ["batch", 3, opts.size ?? "height", opts.size ?? "width"])],
    output: [tensorInfo("probs", "FP32", ["batch", classes])],
  };
  return encodeModel(graph, opts);
}

/**
 * Two inputs and two outputs of different datatypes:
 *   a FP32 [batch, 4], b INT64 [batch, 2] →
 *   total FP32 [batch] = Σ_j a[:, j] + Σ_j float(b[:, j]);   index INT64 [batch] = argmax_j a[:, j] + Σ_j b[:, j]
 * (argmax takes the first maximum on ties).
 */
export function buildTwoInOut(opts: ModelOptions = {}): Uint8Array {
  const opset = opts.opset ?? DEFAULT_OPSET;
  const initializer: OnnxTypes.ITensorProto[] = [];
  const graph: OnnxTypes.IGraphProto = {
    name: "two_in_out",
    initializer,
    node: [
      node("Cast", ["b"], ["b_float"], [attr.int("to", onnxFromV2("FP32"))]),
      reduceNode("ReduceSum", "a", "a_sum", [1], false, opset, initializer),
      reduceNode("ReduceSum", "b_float", "b_fsum", [1], false, opset, initializer),
      node("Add", ["a_sum", "b_fsum"], ["total"]),
      node("ArgMax", ["a"], ["a_argmax"], [attr.int("axis", 1), attr.int("keepdims", 0)]),
      reduceNode("ReduceSum", "b", "b_sum", [1], false, opset, initializer),
      node("Add", ["a_argmax", "b_sum"], ["index"]),
    ],
    input: [tensorInfo("a", "FP32", ["batch", 4]), tensorInfo("b", "INT64", ["batch", 2])],
    output: [tensorInfo("total", "FP32", ["batch"]), tensorInfo("index", "INT64", ["batch"])],
  };
  return encodeModel(graph, opts);
}

/**
 * A classifier shaped as skl2onnx exports scikit-learn's (with its default options): the MLP's softmax as
 * `probabilities` [batch, classes] (not an output), then
 *   output_label [batch] = classLabels[argmax] (STRING for string labels, INT64 for integer ones), and
 *   output_probability = ZipMap(probabilities): a sequence of maps class label → probability, one per row,
 * which onnxruntime-node cannot return (lib/onnx/servable-model.ts serves it as the probabilities tensor).
 */
export function buildZipMapClassifier(opts: MlpOptions & { classLabels: string[] | number[] }): Uint8Array {
  const labels = opts.classLabels;
  const strings = labels.every((l) => typeof l === "string");
  const graph = mlpGraph({ ...opts, outputs: labels.length, outputName: "probabilities", softmax: true });
  const indices = labels.map((_, i) => i);
  const encodedAs = strings
    ? [attr.strings("values_strings", labels as string[]), attr.string("default_string", "")]
    : [attr.ints("values_int64s", labels as number[])];
  graph.node!.push(
    node("ArgMax", ["probabilities"], ["label_index"], [attr.int("axis", 1), attr.int("keepdims", 0)]),
    node("LabelEncoder", ["label_index"], ["output_label"], [attr.ints("keys_int64s", indices), ...encodedAs], "ai.onnx.ml"),
    node("ZipMap", ["probabilities"], ["output_probability"], [strings ? attr.strings("classlabels_strings", labels as string[]) : attr.ints("classlabels_int64s", labels as number[])], "ai.onnx.ml"),
  );
  const keyType = onnxFromV2(strings ? "BYTES" : "INT64");
  graph.output = [
    tensorInfo("output_label", strings ? "BYTES" : "INT64", ["batch"]),
    { name: "output_probability", type: { sequenceType: { elemType: { mapType: { keyType, valueType: { tensorType: { elemType: onnxFromV2("FP32") } } } } } } },
  ];
  return encodeModel(graph, { ...opts, extraOpsets: { "ai.onnx.ml": 2, ...opts.extraOpsets } });
}

/**
 * A linear classifier as skl2onnx writes scikit-learn's LogisticRegression with `zipmap=False`: one LinearClassifier
 * (ai.onnx.ml) whose `classlabels_*` name the classes, x [batch, inputs] →
 *   label [batch] (STRING for string labels, INT64 for integer ones), and
 *   probabilities FP32 [batch, classes] = softmax(x·Wᵀ + b),
 * W [classes, inputs] (row-major) then b drawn from seededRandom(seed), uniform in ±1.
 */
export function buildLinearClassifier(opts: ModelOptions & { inputs?: number; seed?: number; classLabels: string[] | number[] }): Uint8Array {
  const { inputs = 4, seed = 1, classLabels } = opts;
  const next = seededRandom(seed);
  const coefficients = Array.from(uniformFloats(next, classLabels.length * inputs, 1));
  const intercepts = Array.from(uniformFloats(next, classLabels.length, 1));
  const strings = classLabels.every((l) => typeof l === "string");
  const graph: OnnxTypes.IGraphProto = {
    name: "linear_classifier",
    node: [
      node(
        "LinearClassifier",
        ["x"],
        ["label", "probabilities"],
        [
          attr.floats("coefficients", coefficients),
          attr.floats("intercepts", intercepts),
          attr.int("multi_class", 0),
          attr.string("post_transform", "SOFTMAX"),
          strings ? attr.strings("classlabels_strings", classLabels as string[]) : attr.ints("classlabels_ints", classLabels as number[]),
        ],
        "ai.onnx.ml",
      ),
    ],
    input: [tensorInfo("x", "FP32", ["batch", inputs])],
    output: [tensorInfo("label", strings ? "BYTES" : "INT64", ["batch"]), tensorInfo("probabilities", "FP32", ["batch", classLabels.length])],
  };
  return encodeModel(graph, { ...opts, extraOpsets: { "ai.onnx.ml": 1, ...opts.extraOpsets } });
}

/** x [batch, n] of the given datatype → Identity → y [batch, n]: for datatype round trips through the data plane. */
export function buildTypedIdentity(datatype: V2Datatype, opts: ModelOptions = {}): Uint8Array {
  const graph: OnnxTypes.IGraphProto = {
    name: `identity_${datatype.toLowerCase()}`,
    node: [node("Identity", ["x"], ["y"])],
    input: [tensorInfo("x", datatype, ["batch", "n"])],
    output: [tensorInfo("y", datatype, ["batch", "n"])],
  };
  return encodeModel(graph, opts);
}
