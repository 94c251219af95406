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

interface Field {
  field: number;
  wire: number;
  /** Where the field's tag starts and its value ends. */
  start: number;
  end: number;
  /** A length-delimited field's payload. */
  valueStart: number;
}

class WireError extends Error {}

function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new WireError("truncated varint");
    const b = buf[pos++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, pos];
    scale *= 128;
  }
  throw new WireError("varint too long");
}

/** The fields of a message between start and end, in order. Throws WireError on anything but a clean message. */
function fieldsOf(buf: Uint8Array, start: number, end: number): Field[] {
  const out: Field[] = [];
  let pos = start;
  while (pos < end) {
    const at = pos;
    const [tag, afterTag] = readVarint(buf, pos);
    const wire = tag % 8;
    let valueStart = afterTag;
    if (wire === 0) pos = readVarint(buf, afterTag)[1];
    else if (wire === 1) pos = afterTag + 8;
    else if (wire === 5) pos = afterTag + 4;
    else if (wire === 2) {
      const [length, payload] = readVarint(buf, afterTag);
      valueStart = payload;
      pos = payload + length;
    } else throw new WireError(`wire type ${wire}`);
    if (pos > end) throw new WireError("field past the message's end");
    out.push({ field: Math.floor(tag / 8), wire, start: at, end: pos, valueStart });
  }
  return out;
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function lengthDelimited(field: number, payload: Uint8Array): Uint8Array {
  return concat([Uint8Array.from([...varint(field * 8 + 2), ...varint(payload.length)]), payload]);
}

const MODEL_GRAPH = 7;
const MODEL_OPSET_IMPORT = 8;
const GRAPH_NODE = 1;
const GRAPH_OUTPUT = 12;

/** A ZipMap whose output is one of the graph's outputs and feeds nothing else. */
function isUnzippable(node: OnnxTypes.NodeProto, outputs: Set<string>, consumed: Set<string>): boolean {
  return (
    node.opType === "ZipMap" &&
    node.domain === "ai.onnx.ml" &&
    node.input.length === 1 &&
    node.output.length === 1 &&
    outputs.has(node.output[0]) &&
    !consumed.has(node.output[0]) &&
    nodeClassLabels(node).length > 0
  );
}

function importsDefaultDomain(buf: Uint8Array, fields: Field[]): boolean {
  return fields.some((f) => {
    if (f.field !== MODEL_OPSET_IMPORT || f.wire !== 2) return false;
    const domain = onnx.OperatorSetIdProto.decode(buf.subarray(f.valueStart, f.end)).domain;
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
    // Malformed bytes (WireError, or protobuf's own errors): inspectModel explains what is wrong with them.
    return unchanged;
  }
}

function unzipMaps(bytes: Uint8Array): ServableModel | null {
  const top = fieldsOf(bytes, 0, bytes.length);
  const graphs = top.filter((f) => f.field === MODEL_GRAPH && f.wire === 2);
  if (graphs.length !== 1 || !importsDefaultDomain(bytes, top)) return null;
  const graphField = graphs[0];
  const graphFields = fieldsOf(bytes, graphField.valueStart, graphField.end);
  const nodes = new Map<Field, OnnxTypes.NodeProto>();
  const outputs = new Map<string, Field>();
  const consumed = new Set<string>();
  for (const f of graphFields) {
    if (f.wire !== 2) continue;
    const payload = bytes.subarray(f.valueStart, f.end);
    if (f.field === GRAPH_NODE) {
      const node = onnx.NodeProto.decode(payload);
      nodes.set(f, node);
      for (const input of node.input) consumed.add(input);
    } else if (f.field === GRAPH_OUTPUT) {
      outputs.set(onnx.ValueInfoProto.decode(payload).name, f);
    }
  }
  const replaced = new Map<Field, Uint8Array>();
  const unzipped: UnzippedOutput[] = [];
  for (const [f, node] of nodes) {
    if (!isUnzippable(node, new Set(outputs.keys()), consumed)) continue;
    const name = node.output[0];
    const classLabels = nodeClassLabels(node);
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
  const graph = concat(graphFields.map((f) => replaced.get(f) ?? bytes.subarray(f.start, f.end)));
  const model = concat(top.map((f) => (f === graphField ? lengthDelimited(MODEL_GRAPH, graph) : bytes.subarray(f.start, f.end))));
  return { bytes: model, unzipped };
}
