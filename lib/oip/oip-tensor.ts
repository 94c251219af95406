import type { V2Datatype } from "@/lib/tensor/datatypes";

/**
 * A tensor's elements, row-major, as onnxruntime-node holds them: one typed array per numeric datatype
 * (see `typedArrayFor`; BOOL as 0/1 bytes, FP16 as Uint16Array bit patterns, INT64/UINT64 as BigInt arrays)
 * and a string[] for BYTES.
 */
export type TensorData =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigUint64Array
  | BigInt64Array
  | Float32Array
  | Float64Array
  | string[];

export type TypedTensorData = Exclude<TensorData, string[]>;

export interface OipTensor {
  datatype: V2Datatype;
  shape: number[];
  data: TensorData;
  /** `data` as JSON text, already written where the tensor was made (see EncodedJson). */
  json?: EncodedJson;
}

/**
 * The JSON text of a tensor's elements, exactly as encodeJsonData writes it (the items of a flat array, without the
 * brackets), and where each row along axis 0 ends in it (`rowEnds[r]`: the index just past row r's last item), so a
 * batch's text splits per request without reading it. A session worker writes it for the outputs of a run some request
 * wants as JSON: formatting floats (~150 ns each) then costs the worker's time, not the HTTP thread's.
 */
export interface EncodedJson {
  text: string;
  rowEnds?: Uint32Array;
}

/**
 * Whether a typed array spans its whole buffer, so the buffer can be transferred to another thread as it is; a view
 * (a slab's, a request body's, a batch's slice) must be copied first.
 */
export function isWholeBuffer(data: ArrayBufferView): boolean {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
}

/** Number of elements a shape holds (1 for a scalar). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** `[1,32]`: the compact form error messages use. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/** `1 byte`, `16 bytes`. */
export function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
