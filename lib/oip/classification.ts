/**
 * Triton's classification extension (protocol/extension_classification.md): a requested output with
 * `parameters.classification: N` (tritonclient's `InferRequestedOutput(name, class_count=N)`; over gRPC an
 * `int64_param`) is answered as its N highest-valued classes instead of its values — a BYTES tensor of
 * "<value>:<index>" strings, [rows, N] when the output has a batch axis, else [N]. Values are written as Triton writes
 * them (C++'s std::to_string: six decimals for floats, `nan`, `inf`), so clients that parse Triton's answers parse
 * Ferry's. When the version was uploaded with a labels file (the signature's `labels`), each string gets the class's
 * label as a third part, "<value>:<index>:<label>", as Triton writes it for a model with a `label_filename`.
 */
import type { TensorSpec, V2Datatype } from "@/lib/tensor/datatypes";
import { halfToFloat } from "./float16";
import { oipBadRequest } from "./oip-error";
import { shapeSize, type OipTensor } from "./oip-tensor";

/** A requested output's `classification` parameter, checked: the number of classes to answer (undefined: not asked). */
export function readClassification(output: TensorSpec, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw oipBadRequest(`output '${output.name}': 'classification' must be a positive integer, the number of classes to answer (got ${JSON.stringify(value)})`);
  }
  if (output.datatype === "BYTES") throw oipBadRequest(`output '${output.name}': classification needs a numeric output, and this one is BYTES`);
  return value;
}

/**
 * The output's top `count` classes per row (fewer when it has fewer): ordered by value, highest first (NaN last),
 * equal values by index. `batched`: the output's first axis is the batch (rows), else the whole tensor is one row.
 * `labels`: the output's class labels (a class past their end is written without one).
 */
export function classify(tensor: OipTensor, count: number, batched: boolean, labels?: readonly string[]): OipTensor {
  const values = numbersOf(tensor);
  const rows = batched && tensor.shape.length > 0 ? tensor.shape[0] : 1;
  const classes = rows === 0 ? 0 : shapeSize(tensor.shape) / rows;
  const k = Math.min(count, classes);
  const data: string[] = [];
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    for (const i of topClasses((i) => values(base + i), classes, k)) {
      const label = labels?.[i];
      data.push(`${format(values(base + i), tensor.datatype)}:${i}${label === undefined ? "" : `:${label}`}`);
    }
  }
  return { datatype: "BYTES", shape: batched ? [rows, k] : [k], data };
}

/** The indices of the `k` highest of `classes` values (`value(i)`), highest first, NaN last, equal values by index. */
export function topClasses(value: (i: number) => number | bigint, classes: number, k: number): number[] {
  const order = Array.from({ length: classes }, (_, i) => i);
  order.sort((a, b) => compare(value(b), value(a)) || a - b);
  return order.slice(0, Math.min(k, classes));
}

/** a − b by value, NaN below everything (numbers and bigints, never mixed). */
function compare(a: number | bigint, b: number | bigint): number {
  if (typeof a === "bigint") return a === b ? 0 : a > (b as bigint) ? 1 : -1;
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b as number);
  if (an || bn) return an === bn ? 0 : an ? -1 : 1;
  return a === b ? 0 : a > (b as number) ? 1 : -1;
}

function numbersOf(tensor: OipTensor): (i: number) => number | bigint {
  const data = tensor.data;
  if (Array.isArray(data)) throw new Error("classification of a BYTES output");
  if (tensor.datatype === "FP16" && data instanceof Uint16Array) return (i) => halfToFloat(data[i]);
  return (i) => data[i];
}

function format(v: number | bigint, datatype: V2Datatype): string {
  if (typeof v === "bigint" || !(datatype === "FP16" || datatype === "FP32" || datatype === "FP64")) return String(v);
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return v.toFixed(6);
}
