/**
 * Thin helpers over onnx-proto for writing ONNX graphs by hand: value infos, initializers, nodes, attributes, and
 * the ModelProto envelope (IR version, opsets, producer, metadata). Pure; no onnxruntime.
 */
import pkg from "onnx-proto";
import type { onnx as OnnxTypes } from "onnx-proto";
import { onnxFromV2, type V2Datatype } from "@/lib/tensor/datatypes";

// onnx-proto is CommonJS: the default import is the only form that works under both tsx and vitest.
export const { onnx } = pkg;
export type { OnnxTypes };

/** A dimension: a number is fixed, a string is a named dynamic dimension (dimParam), null is unknown. */
export type Dim = number | string | null;

/** IR 8 / opset 17 load in every onnxruntime since 1.13, so a model built here runs on old and new runtimes alike. */
export const DEFAULT_IR_VERSION = 8;
export const DEFAULT_OPSET = 17;

export interface ModelOptions {
  irVersion?: number;
  /** Opset of the default ("") domain. */
  opset?: number;
  /** Further opset imports, e.g. { "ai.onnx.ml": 3 }. */
  extraOpsets?: Record<string, number>;
  producerName?: string;
  producerVersion?: string;
  metadata?: Record<string, string>;
  docString?: string;
  functions?: OnnxTypes.IFunctionProto[];
}

export function tensorInfo(name: string, datatype: V2Datatype, dims: Dim[] | undefined): OnnxTypes.IValueInfoProto {
  const shape = dims && { dim: dims.map((d) => (d === null ? {} : typeof d === "number" ? { dimValue: d } : { dimParam: d })) };
  return { name, type: { tensorType: { elemType: onnxFromV2(datatype), ...(shape ? { shape } : {}) } } };
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  // A copy: rawData must not alias a caller's buffer that may change later.
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

export function floatTensor(name: string, dims: number[], values: Float32Array | number[]): OnnxTypes.ITensorProto {
  const data = values instanceof Float32Array ? values : Float32Array.from(values);
  return { name, dims, dataType: onnxFromV2("FP32"), rawData: bytesOf(data) };
}

export function int64Tensor(name: string, dims: number[], values: number[]): OnnxTypes.ITensorProto {
  return { name, dims, dataType: onnxFromV2("INT64"), rawData: bytesOf(BigInt64Array.from(values.map(BigInt))) };
}

const AttrType = pkg.onnx.AttributeProto.AttributeType;

export const attr = {
  int: (name: string, i: number): OnnxTypes.IAttributeProto => ({ name, type: AttrType.INT, i }),
  ints: (name: string, ints: number[]): OnnxTypes.IAttributeProto => ({ name, type: AttrType.INTS, ints }),
  float: (name: string, f: number): OnnxTypes.IAttributeProto => ({ name, type: AttrType.FLOAT, f }),
  floats: (name: string, floats: number[]): OnnxTypes.IAttributeProto => ({ name, type: AttrType.FLOATS, floats }),
  string: (name: string, value: string): OnnxTypes.IAttributeProto => ({ name, type: AttrType.STRING, s: new TextEncoder().encode(value) }),
  strings: (name: string, values: string[]): OnnxTypes.IAttributeProto => ({ name, type: AttrType.STRINGS, strings: values.map((v) => new TextEncoder().encode(v)) }),
  tensor: (name: string, t: OnnxTypes.ITensorProto): OnnxTypes.IAttributeProto => ({ name, type: AttrType.TENSOR, t }),
  graph: (name: string, g: OnnxTypes.IGraphProto): OnnxTypes.IAttributeProto => ({ name, type: AttrType.GRAPH, g }),
};

export function node(
  opType: string,
  input: string[],
  output: string[],
  attribute: OnnxTypes.IAttributeProto[] = [],
  domain = "",
): OnnxTypes.INodeProto {
  return { opType, input, output, attribute, domain, name: `${opType.toLowerCase()}_${output[0]}` };
}

/**
 * A Reduce* node. The axes moved from an attribute to an input at opset 13 (ReduceSum) and 18 (the others), so the
 * node is written the way the model's opset expects; `initializers` receives the axes tensor when one is needed.
 */
export function reduceNode(
  opType: "ReduceSum" | "ReduceMean" | "ReduceMax",
  input: string,
  output: string,
  axes: number[],
  keepdims: boolean,
  opset: number,
  initializers: OnnxTypes.ITensorProto[],
): OnnxTypes.INodeProto {
  const axesAsInput = opset >= (opType === "ReduceSum" ? 13 : 18);
  const keep = attr.int("keepdims", keepdims ? 1 : 0);
  if (!axesAsInput) return node(opType, [input], [output], [attr.ints("axes", axes), keep]);
  const axesName = `${output}_axes`;
  initializers.push(int64Tensor(axesName, [axes.length], axes));
  return node(opType, [input, axesName], [output], [keep]);
}

function opsetImports(opts: ModelOptions): OnnxTypes.IOperatorSetIdProto[] {
  const extra = Object.entries(opts.extraOpsets ?? {}).map(([domain, version]) => ({ domain, version }));
  return [{ domain: "", version: opts.opset ?? DEFAULT_OPSET }, ...extra];
}

export function encodeModel(graph: OnnxTypes.IGraphProto, opts: ModelOptions = {}): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: opts.irVersion ?? DEFAULT_IR_VERSION,
    opsetImport: opsetImports(opts),
    producerName: opts.producerName ?? "ferry",
    producerVersion: opts.producerVersion ?? "1",
    docString: opts.docString ?? "",
    metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
    functions: opts.functions ?? [],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Re-encodes a model with a different opset for one domain (added when absent). */
export function withOpset(bytes: Uint8Array, opset: number, domain = ""): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const canonical = (d: string | null | undefined) => (!d || d === "ai.onnx" ? "" : d);
  const same = (d: string | null | undefined) => canonical(d) === canonical(domain);
  model.opsetImport = [...model.opsetImport.filter((o) => !same(o.domain)), onnx.OperatorSetIdProto.create({ domain, version: opset })];
  return onnx.ModelProto.encode(model).finish();
}

/** Re-encodes a model with the given envelope fields replaced (opsets via withOpset). */
export function withModelOptions(bytes: Uint8Array, opts: Omit<ModelOptions, "opset" | "extraOpsets" | "functions">): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  if (opts.irVersion !== undefined) model.irVersion = opts.irVersion;
  if (opts.producerName !== undefined) model.producerName = opts.producerName;
  if (opts.producerVersion !== undefined) model.producerVersion = opts.producerVersion;
  if (opts.docString !== undefined) model.docString = opts.docString;
  if (opts.metadata !== undefined) {
    model.metadataProps = Object.entries(opts.metadata).map(([key, value]) => onnx.StringStringEntryProto.create({ key, value }));
  }
  return onnx.ModelProto.encode(model).finish();
}
