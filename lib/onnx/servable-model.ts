/**
 * The form of a model Ferry loads into onnxruntime. Today it differs from the uploaded file in one case only:
 * scikit-learn classifiers exported by skl2onnx (with its default options) end in a ZipMap (ai.onnx.ml), whose output
 * is a sequence of maps from class to probability. The Open Inference Protocol carries tensors only, and
 * onnxruntime-node cannot return such an output at all ("Non tensor type is temporarily not supported"), so the
 * upload used to be refused. The servable form replaces each ZipMap that writes a graph output with an Identity of
 * its input and declares that output a float tensor: the same probabilities, a row per sample and a column per class,
 * under the output's own name. The ZipMap's class labels become that output's labels (see class-labels.ts).
 *
 * The uploaded file stays what the store keeps (its sha256, its download). The change is made on the wire format, so
 * every other byte of the model — fields newer than onnx-proto's schema included — reaches onnxruntime unchanged.
 * Pure: usable by both planes.
 */
import { informativeLabels, nodeClassLabels } from "./declared-labels";
import { onnx, type OnnxTypes } from "./model-proto";
import { concatBytes, lengthDelimited, payloadOf, wireFields, type WireField } from "./protobuf-wire";

export interface UnzippedOutput {
  /** The graph output the ZipMap wrote, now a float tensor [rows, classes]. */
  output: string;
  /** The ZipMap's class labels, in column order. */
  classLabels: string[];
}

export interface ServableModel {
  bytes: Uint8Array;
  /** One entry per ZipMap replaced; empty when the bytes are the upload's own. */
  unzipped: UnzippedOutput[];
}

const MODEL_GRAPH = 7;
const MODEL_OPSET_IMPORT = 8;
const GRAPH_NODE = 1;
const GRAPH_OUTPUT = 12;

/** A ZipMap whose output is one of the graph's outputs and feeds nothing else (its classes are checked apart). */
function isUnzippable(node: OnnxTypes.NodeProto, outputs: Set<string>, consumed: Set<string>): boolean {
  return (
    node.opType === "ZipMap" &&
    node.domain === "ai.onnx.ml" &&
    node.input.length === 1 &&
    node.output.length === 1 &&
    outputs.has(node.output[0]) &&
    !consumed.has(node.output[0])
  );
}

function importsDefaultDomain(buf: Uint8Array, fields: WireField[]): boolean {
  return fields.some((f) => {
    if (f.field !== MODEL_OPSET_IMPORT || f.wire !== 2) return false;
    const domain = onnx.OperatorSetIdProto.decode(payloadOf(buf, f)).domain;
    return domain === "" || domain === "ai.onnx";
  });
}

/** The ZipMaps' class labels worth keeping (informativeLabels), by output. */
export function unzippedLabels(unzipped: UnzippedOutput[]): Record<string, string[]> | undefined {
  const kept = unzipped.filter((u) => informativeLabels(u.classLabels));
  return kept.length > 0 ? Object.fromEntries(kept.map((u) => [u.output, u.classLabels])) : undefined;
}

/** The model as Ferry loads it into onnxruntime (see the module's comment); the input itself when nothing changes. */
export function servableModel(bytes: Uint8Array): ServableModel {
  const unchanged = { bytes, unzipped: [] };
  // A cheap look first: nothing to do for a model that does not name the operator.
  if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf("ZipMap") < 0) return unchanged;
  try {
    return unzipMaps(bytes) ?? unchanged;
  } catch {
    // Malformed bytes (a WireError, or protobuf's own errors): inspectModel explains what is wrong with them.
    return unchanged;
  }
}

function unzipMaps(bytes: Uint8Array): ServableModel | null {
  const top = wireFields(bytes, 0, bytes.length);
  const graphs = top.filter((f) => f.field === MODEL_GRAPH && f.wire === 2);
  if (graphs.length !== 1 || !importsDefaultDomain(bytes, top)) return null;
  const graphField = graphs[0];
  const graphFields = wireFields(bytes, graphField.valueStart, graphField.end);
  const nodes = new Map<WireField, OnnxTypes.NodeProto>();
  const outputs = new Map<string, WireField>();
  const consumed = new Set<string>();
  for (const f of graphFields) {
    if (f.wire !== 2) continue;
    const payload = payloadOf(bytes, f);
    if (f.field === GRAPH_NODE) {
      const node = onnx.NodeProto.decode(payload);
      nodes.set(f, node);
      for (const input of node.input) consumed.add(input);
    } else if (f.field === GRAPH_OUTPUT) {
      outputs.set(onnx.ValueInfoProto.decode(payload).name, f);
    }
  }
  const replaced = new Map<WireField, Uint8Array>();
  const unzipped: UnzippedOutput[] = [];
  const outputNames = new Set(outputs.keys());
  for (const [f, node] of nodes) {
    const classLabels = isUnzippable(node, outputNames, consumed) ? nodeClassLabels(node) : [];
    if (classLabels.length === 0) continue;
    const name = node.output[0];
    const identity = onnx.NodeProto.encode({ name: node.name, opType: "Identity", domain: "", input: node.input, output: [name] }).finish();
    replaced.set(f, lengthDelimited(GRAPH_NODE, identity));
    const tensor = onnx.ValueInfoProto.encode({
      name,
      type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: "N" }, { dimValue: classLabels.length }] } } },
    }).finish();
    replaced.set(outputs.get(name)!, lengthDelimited(GRAPH_OUTPUT, tensor));
    unzipped.push({ output: name, classLabels });
  }
  if (unzipped.length === 0) return null;
  const graph = concatBytes(graphFields.map((f) => replaced.get(f) ?? bytes.subarray(f.start, f.end)));
  const model = concatBytes(top.map((f) => (f === graphField ? lengthDelimited(MODEL_GRAPH, graph) : bytes.subarray(f.start, f.end))));
  return { bytes: model, unzipped };
}
