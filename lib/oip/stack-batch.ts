import type { ModelSignature } from "@/lib/tensor/datatypes";
import type { OipTensor, TensorData, TypedTensorData } from "./oip-tensor";

/**
 * Dynamic batching: requests whose inputs agree on everything but the batch axis (axis 0) are concatenated along
 * it into one run, and the run's outputs are sliced back so each caller gets exactly its own rows.
 */

/** Whether a model can be batched at all: every input and output has a dynamic leading (batch) axis. */
export function canBatch(signature: ModelSignature): boolean {
  return [...signature.inputs, ...signature.outputs].every((t) => t.shape.length >= 1 && t.shape[0] < 0);
}

/** Requests with equal keys can be stacked: same input names, datatypes and non-batch dimensions. */
export function batchKey(inputs: Map<string, OipTensor>): string {
  // One input (the usual case) needs no sorting; built by hand, as this runs for every request.
  if (inputs.size === 1) for (const [name, t] of inputs) return tensorKey(name, t);
  return [...inputs.entries()]
    .map(([name, t]) => tensorKey(name, t))
    .sort()
    .join("|");
}

function tensorKey(name: string, t: OipTensor): string {
  let key = `${JSON.stringify(name)}:${t.datatype}:`;
  for (let i = 1; i < t.shape.length; i++) key += i > 1 ? `x${t.shape[i]}` : t.shape[i];
  return key;
}

/**
 * Whether two requests' tensors can be stacked: same names, datatypes and non-batch dimensions (batchKey's test,
 * without building keys) — and no scalar among them, which has no batch axis to stack along.
 */
export function sameLayout(a: ReadonlyMap<string, OipTensor>, b: ReadonlyMap<string, OipTensor>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, t] of a) {
    const u = b.get(name);
    if (!u || u.datatype !== t.datatype || u.shape.length !== t.shape.length || u.shape.length === 0) return false;
    for (let i = 1; i < t.shape.length; i++) if (u.shape[i] !== t.shape[i]) return false;
  }
  return true;
}

/** Concatenates the named tensors of several requests along axis 0, in request order (the caller checked sameLayout). */
export function stackRows(requests: ReadonlyMap<string, OipTensor>[], names: Iterable<string>): Map<string, OipTensor> {
  const stacked = new Map<string, OipTensor>();
  for (const name of names) {
    const parts = requests.map((r) => r.get(name)!);
    const first = parts[0];
    let total = 0;
    for (const p of parts) total += p.shape[0];
    stacked.set(name, { datatype: first.datatype, shape: [total, ...first.shape.slice(1)], data: concatData(parts.map((p) => p.data)) });
  }
  return stacked;
}

/** How many rows (batch axis entries) a request carries; inputs that disagree make it unbatchable. */
export function rowCountOf(inputs: Map<string, OipTensor>): number {
  let rows: number | undefined;
  for (const [name, t] of inputs) {
    if (t.shape.length === 0) throw new Error(`input '${name}' is a scalar and has no batch axis`);
    if (rows !== undefined && t.shape[0] !== rows) {
      throw new Error(`input '${name}' has ${t.shape[0]} rows where the other inputs have ${rows}`);
    }
    rows = t.shape[0];
  }
  if (rows === undefined) throw new Error("a request without inputs has no rows");
  return rows;
}

/**
 * Concatenates each of the signature's inputs along axis 0, in request order. All requests must share one
 * `batchKey`; a single request is passed through without copying.
 */
export function stackInputs(
  requests: Map<string, OipTensor>[],
  signature: ModelSignature,
): { inputs: Map<string, OipTensor>; rowCounts: number[] } {
  if (requests.length === 0) throw new Error("nothing to stack");
  const rowCounts = requests.map(rowCountOf);
  if (requests.some((r) => !sameLayout(r, requests[0]))) throw new Error("requests with different batch keys cannot be stacked");
  if (requests.length === 1) return { inputs: requests[0], rowCounts };

  return { inputs: stackRows(requests, signature.inputs.map((i) => i.name)), rowCounts };
}

/** Elements in one row along axis 0 (the product of the other dimensions). */
export function rowSize(shape: readonly number[]): number {
  let size = 1;
  for (let i = 1; i < shape.length; i++) size *= shape[i];
  return size;
}

/** Rows `start … start + rows - 1` of a tensor's data along axis 0, as a view (a string tensor's rows are copied). */
export function sliceRows(shape: readonly number[], data: TensorData, start: number, rows: number): { shape: number[]; data: TensorData } {
  if (shape.length === 0 || (start === 0 && rows === shape[0])) return { shape: [...shape], data };
  const size = rowSize(shape);
  const from = start * size;
  const to = (start + rows) * size;
  return { shape: [rows, ...shape.slice(1)], data: Array.isArray(data) ? data.slice(from, to) : data.subarray(from, to) };
}

/** Slices each output back into one map per request, `rowCounts[i]` rows each (views, not copies). */
export function splitOutputs(outputs: Map<string, OipTensor>, rowCounts: number[]): Map<string, OipTensor>[] {
  const total = rowCounts.reduce((a, b) => a + b, 0);
  const result = rowCounts.map(() => new Map<string, OipTensor>());
  for (const [name, t] of outputs) {
    if (t.shape.length === 0 || t.shape[0] !== total) {
      throw new Error(`output '${name}' has shape [${t.shape.join(",")}], expected ${total} rows along axis 0`);
    }
    if (rowCounts.length === 1) {
      result[0].set(name, t);
      continue;
    }
    let row = 0;
    rowCounts.forEach((rows, i) => {
      const { shape, data } = sliceRows(t.shape, t.data, row, rows);
      const part: OipTensor = { datatype: t.datatype, shape, data };
      const json = t.json;
      if (json?.rowEnds !== undefined && rows > 0) part.json = { text: json.text.slice(row === 0 ? 0 : json.rowEnds[row - 1] + 1, json.rowEnds[row + rows - 1]) };
      result[i].set(name, part);
      row += rows;
    });
  }
  return result;
}

function concatData(parts: TensorData[]): TensorData {
  const first = parts[0];
  if (Array.isArray(first)) return ([] as string[]).concat(...(parts as string[][]));
  const length = parts.reduce((n, p) => n + p.length, 0);
  const out = new (first.constructor as new (n: number) => TypedTensorData)(length);
  let offset = 0;
  for (const p of parts) {
    // Typed arrays of different kinds never meet here: one batch key means one datatype per input.
    (out as Uint8Array).set(p as Uint8Array, offset);
    offset += p.length;
  }
  return out;
}
