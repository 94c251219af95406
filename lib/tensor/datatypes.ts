/**
 * The one mapping between ONNX tensor element types, Open Inference Protocol (KServe V2) datatypes and
 * onnxruntime-node tensor type names. Pure: imported by both planes.
 */

export const V2_DATATYPES = [
  "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64",
  "FP16", "FP32", "FP64", "BYTES",
] as const;
export type V2Datatype = (typeof V2_DATATYPES)[number];

/** onnxruntime-node's `Tensor.type` strings. */
export type OrtType =
  | "bool" | "uint8" | "uint16" | "uint32" | "uint64" | "int8" | "int16" | "int32" | "int64"
  | "float16" | "float32" | "float64" | "string";

interface DatatypeInfo {
  v2: V2Datatype;
  ort: OrtType;
  /** ONNX TensorProto.DataType number. */
  onnx: number;
  /** Bytes per element in the binary tensor extension; 0 for BYTES (length-prefixed). */
  byteSize: number;
}

const TABLE: readonly DatatypeInfo[] = [
  { v2: "FP32", ort: "float32", onnx: 1, byteSize: 4 },
  { v2: "UINT8", ort: "uint8", onnx: 2, byteSize: 1 },
  { v2: "INT8", ort: "int8", onnx: 3, byteSize: 1 },
  { v2: "UINT16", ort: "uint16", onnx: 4, byteSize: 2 },
  { v2: "INT16", ort: "int16", onnx: 5, byteSize: 2 },
  { v2: "INT32", ort: "int32", onnx: 6, byteSize: 4 },
  { v2: "INT64", ort: "int64", onnx: 7, byteSize: 8 },
  { v2: "BYTES", ort: "string", onnx: 8, byteSize: 0 },
  { v2: "BOOL", ort: "bool", onnx: 9, byteSize: 1 },
  { v2: "FP16", ort: "float16", onnx: 10, byteSize: 2 },
  { v2: "FP64", ort: "float64", onnx: 11, byteSize: 8 },
  { v2: "UINT32", ort: "uint32", onnx: 12, byteSize: 4 },
  { v2: "UINT64", ort: "uint64", onnx: 13, byteSize: 8 },
];

const BY_V2 = new Map(TABLE.map((t) => [t.v2, t]));
const BY_ONNX = new Map(TABLE.map((t) => [t.onnx, t]));
const BY_ORT = new Map(TABLE.map((t) => [t.ort, t]));

export function isV2Datatype(value: unknown): value is V2Datatype {
  return typeof value === "string" && BY_V2.has(value as V2Datatype);
}

/** The V2 datatype for an ONNX element type number, or undefined when V2 has none (complex, bfloat16, float8…). */
export function v2FromOnnx(elemType: number): V2Datatype | undefined {
  return BY_ONNX.get(elemType)?.v2;
}

export function v2FromOrt(type: string): V2Datatype | undefined {
  return BY_ORT.get(type as OrtType)?.v2;
}

export function ortFromV2(dt: V2Datatype): OrtType {
  return BY_V2.get(dt)!.ort;
}

export function onnxFromV2(dt: V2Datatype): number {
  return BY_V2.get(dt)!.onnx;
}

/** Bytes per element in raw (binary) form; 0 for BYTES. */
export function byteSizeOf(dt: V2Datatype): number {
  return BY_V2.get(dt)!.byteSize;
}

/** The typed array that holds a datatype's elements in onnxruntime-node (BYTES → string[]; FP16 → Uint16Array bits). */
export function typedArrayFor(dt: V2Datatype) {
  switch (dt) {
    case "BOOL": return Uint8Array;
    case "UINT8": return Uint8Array;
    case "UINT16": return Uint16Array;
    case "UINT32": return Uint32Array;
    case "UINT64": return BigUint64Array;
    case "INT8": return Int8Array;
    case "INT16": return Int16Array;
    case "INT32": return Int32Array;
    case "INT64": return BigInt64Array;
    case "FP16": return Uint16Array;
    case "FP32": return Float32Array;
    case "FP64": return Float64Array;
    case "BYTES": return undefined;
  }
}

/** A tensor's signature as the registry stores it and the V2 metadata endpoint returns it. -1 = dynamic. */
export interface TensorSpec {
  name: string;
  datatype: V2Datatype;
  shape: number[];
}

export interface ModelSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /**
   * Class labels by output name, from the label file uploaded with the version (lib/registry/class-labels.ts): the
   * label of class i is `labels[output][i]`. Triton's `label_filename`; classification answers write them.
   */
  labels?: Record<string, string[]>;
}

/** A signature's tensors without its class labels: what reading a request, or a list of many versions, needs. */
export function signatureTensors(signature: ModelSignature): ModelSignature {
  return { inputs: signature.inputs, outputs: signature.outputs };
}
