/**
 * Models whose weights claim to live in an external file, for attack tests: onnxruntime resolves an external-data
 * location relative to the model and reads it, so a location like "../../etc/passwd" is a path traversal. Each
 * placement hides the tensor in a different part of the model that a checker must walk.
 */
import { attr, encodeModel, floatTensor, int64Tensor, node, onnx, tensorInfo, type ModelOptions, type OnnxTypes } from "./model-proto";
import { concatBytes, lengthDelimited } from "./protobuf-wire";

export type ExternalDataPlacement =
  | "initializer"
  | "constant" // the `value` attribute of a Constant node
  | "sparse-initializer" // the values of a sparse initializer
  | "subgraph" // an initializer inside an If branch
  | "function" // a Constant node inside a model-local function
  | "function-default"; // a function attribute's default value (FunctionProto field 11, newer than onnx-proto)

const LOCAL_DOMAIN = "ferry.local";

function externalTensor(name: string, location: string): OnnxTypes.ITensorProto {
  return {
    name,
    dims: [4],
    dataType: onnx.TensorProto.DataType.FLOAT,
    dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
    externalData: [
      { key: "location", value: location },
      { key: "offset", value: "0" },
      { key: "length", value: "16" },
    ],
  };
}

function biasGraph(name: string, parts: Partial<OnnxTypes.IGraphProto>, biasNode?: OnnxTypes.INodeProto): OnnxTypes.IGraphProto {
  return {
    name,
    ...parts,
    node: [...(parts.node ?? []), biasNode ?? node("Add", ["x", "W"], ["y"])],
    input: [tensorInfo("x", "FP32", ["batch", 4])],
    output: [tensorInfo("y", "FP32", ["batch", 4])],
  };
}

function addBiasFunction(body: OnnxTypes.INodeProto[], attribute: string[] = []): OnnxTypes.IFunctionProto {
  return {
    name: "AddBias",
    domain: LOCAL_DOMAIN,
    input: ["X"],
    output: ["Y"],
    attribute,
    node: [...body, node("Add", ["X", "B"], ["Y"])],
    opsetImport: [{ domain: "", version: 17 }],
  };
}

/**
 * x FP32 [batch, 4] → y = x + W, where W is a 4-float tensor stored "externally" at `location`. The default
 * placement is an ordinary graph initializer. Never give onnxruntime one of these models from a real path.
 */
export function buildExternalDataModel(location: string, opts: ModelOptions & { placement?: ExternalDataPlacement } = {}): Uint8Array {
  const placement = opts.placement ?? "initializer";
  const callBias = node("AddBias", ["x"], ["y"], [], LOCAL_DOMAIN);
  const local = { ...opts, extraOpsets: { ...opts.extraOpsets, [LOCAL_DOMAIN]: 1 } };
  switch (placement) {
    case "initializer":
      return encodeModel(biasGraph("external_initializer", { initializer: [externalTensor("W", location)] }), opts);
    case "constant":
      return encodeModel(biasGraph("external_constant", { node: [node("Constant", [], ["W"], [attr.tensor("value", externalTensor("W", location))])] }), opts);
    case "sparse-initializer": {
      const sparse = { values: externalTensor("W", location), indices: int64Tensor("W_indices", [4], [0, 1, 2, 3]), dims: [4] };
      return encodeModel(biasGraph("external_sparse", { sparseInitializer: [sparse] }), opts);
    }
    case "subgraph": {
      const branch = (name: string, initializer: OnnxTypes.ITensorProto): OnnxTypes.IGraphProto => ({
        name,
        node: [node("Identity", ["w_in"], ["w_out"])],
        initializer: [{ ...initializer, name: "w_in" }],
        output: [tensorInfo("w_out", "FP32", [4])],
      });
      const cond = { name: "cond", dims: [], dataType: onnx.TensorProto.DataType.BOOL, int32Data: [1] };
      const nodes = [
        node("Constant", [], ["cond"], [attr.tensor("value", cond)]),
        node("If", ["cond"], ["W"], [attr.graph("then_branch", branch("then", externalTensor("w_in", location))), attr.graph("else_branch", branch("else", floatTensor("w_in", [4], [0, 0, 0, 0])))]),
      ];
      return encodeModel(biasGraph("external_subgraph", { node: nodes }), opts);
    }
    case "function": {
      const fn = addBiasFunction([node("Constant", [], ["B"], [attr.tensor("value", externalTensor("B", location))])]);
      return encodeModel(biasGraph("external_function", {}, callBias), { ...local, functions: [fn] });
    }
    case "function-default": {
      // onnx-proto (ONNX 1.10) lacks FunctionProto.attribute_proto, so the function is encoded and the field appended.
      const body = [node("Constant", [], ["B"], [{ name: "value", refAttrName: "bias", type: onnx.AttributeProto.AttributeType.TENSOR }])];
      const fnBytes = onnx.FunctionProto.encode(addBiasFunction(body)).finish();
      const defaultBias = onnx.AttributeProto.encode(attr.tensor("bias", externalTensor("bias", location))).finish();
      const model = encodeModel(biasGraph("external_function_default", {}, callBias), local);
      return concatBytes([model, lengthDelimited(25, concatBytes([fnBytes, lengthDelimited(11, defaultBias)]))]);
    }
  }
}
