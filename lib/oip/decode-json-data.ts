import { typedArrayFor, type V2Datatype } from "@/lib/tensor/datatypes";
import { floatToHalf } from "./float16";
import { oipBadRequest } from "./oip-error";
import { countOf, formatShape, shapeSize, type TensorData } from "./oip-tensor";
import { newTypedArray } from "./small-typed-array";

/**
 * An input's JSON `data` (flat or nested row-major) as the typed array onnxruntime-node takes. Nested data must be
 * rectangular; its nesting need not repeat the declared shape (Triton and KServe only count elements).
 */
export function decodeJsonData(name: string, datatype: V2Datatype, shape: number[], data: unknown): TensorData {
  const flat = flatten(name, data);
  const expected = shapeSize(shape);
  if (flat.length !== expected) {
    if (flat.some(Array.isArray)) throw ragged(name, "an array at depth 1, where values belong");
    throw wrongElementCount(name, shape, flat.length);
  }
  switch (datatype) {
    case "FP32":
    case "FP64": {
      const out = newTypedArray(typedArrayFor(datatype) as Float32ArrayConstructor, flat.length);
      for (let i = 0; i < flat.length; i++) out[i] = toFloat(name, flat, i);
      return out;
    }
    case "FP16": {
      const out = newTypedArray(Uint16Array, flat.length);
      for (let i = 0; i < flat.length; i++) out[i] = floatToHalf(toFloat(name, flat, i));
      return out;
    }
    case "INT8":
    case "UINT8":
    case "INT16":
    case "UINT16":
    case "INT32":
    case "UINT32": {
      const [min, max] = INT_RANGES[datatype];
      const out = newTypedArray(typedArrayFor(datatype) as Int32ArrayConstructor, flat.length);
      for (let i = 0; i < flat.length; i++) {
        const v = flat[i];
        if (typeof v !== "number") throw notA(name, flat, i, "number");
        if (!Number.isInteger(v)) throw oipBadRequest(`input '${name}': element ${i} (${v}) is not an integer`);
        if (v < min || v > max) throw outOfRange(name, i, v, datatype);
        out[i] = v;
      }
      return out;
    }
    case "INT64":
    case "UINT64": {
      const signed = datatype === "INT64";
      const out = signed ? newTypedArray(BigInt64Array, flat.length) : newTypedArray(BigUint64Array, flat.length);
      const [min, max] = signed ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n];
      for (let i = 0; i < flat.length; i++) {
        const v = toBigInt(name, flat, i);
        if (v < min || v > max) throw outOfRange(name, i, v, datatype);
        out[i] = v;
      }
      return out;
    }
    case "BOOL": {
      const out = newTypedArray(Uint8Array, flat.length);
      for (let i = 0; i < flat.length; i++) {
        const v = flat[i];
        if (v === true || v === 1) out[i] = 1;
        else if (v !== false && v !== 0) throw notA(name, flat, i, "boolean");
      }
      return out;
    }
    case "BYTES": {
      for (let i = 0; i < flat.length; i++) if (typeof flat[i] !== "string") throw notA(name, flat, i, "string");
      return flat as string[];
    }
  }
}

export const INT_RANGES = {
  INT8: [-128, 127],
  UINT8: [0, 255],
  INT16: [-32768, 32767],
  UINT16: [0, 65535],
  INT32: [-2147483648, 2147483647],
  UINT32: [0, 4294967295],
} as const;

// JSON has no NaN or Infinity literals; these spellings are what Python's and numpy's writers use for them.
const NON_FINITE: Record<string, number> = {
  NaN: NaN, nan: NaN, Infinity: Infinity, inf: Infinity, "-Infinity": -Infinity, "-inf": -Infinity,
};

function toFloat(name: string, flat: unknown[], i: number): number {
  const v = flat[i];
  if (typeof v === "number") return v;
  if (typeof v === "string" && v in NON_FINITE) return NON_FINITE[v];
  throw notA(name, flat, i, "number");
}

function toBigInt(name: string, flat: unknown[], i: number): bigint {
  const v = flat[i];
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw oipBadRequest(`input '${name}': element ${i} (${v}) is not an integer`);
    // JSON.parse has already rounded such a number to the nearest double: the client's digits are lost.
    if (!Number.isSafeInteger(v)) {
      throw oipBadRequest(
        `input '${name}': element ${i} (${v}) is beyond 2^53 and cannot be read exactly from a JSON number; ` +
          `send it as a string of digits or as binary data`,
      );
    }
    return BigInt(v);
  }
  if (typeof v === "string" && /^-?\d{1,20}$/.test(v)) return BigInt(v);
  if (typeof v === "string" || Array.isArray(v)) throw notA(name, flat, i, "integer");
  throw notA(name, flat, i, "number");
}

/** "input 'x': expected 32 elements for shape [1,32], got 40". */
export function wrongElementCount(name: string, shape: number[], got: number) {
  return oipBadRequest(`input '${name}': expected ${countOf(shapeSize(shape), "element")} for shape ${formatShape(shape)}, got ${got}`);
}

export function outOfRange(name: string, i: number, v: number | bigint, datatype: V2Datatype) {
  return oipBadRequest(`input '${name}': element ${i} (${v}) is out of range for ${datatype}`);
}

function notA(name: string, flat: unknown[], i: number, what: string) {
  if (Array.isArray(flat[i])) return ragged(name, "an array at depth 1, where values belong");
  const article = what === "integer" ? "an" : "a";
  return oipBadRequest(`input '${name}': element ${i} is not ${article} ${what}`);
}

function ragged(name: string, detail: string) {
  return oipBadRequest(`input '${name}': nested data is ragged (${detail})`);
}

/** Leaves of a rectangular nested array in row-major order; a bare scalar counts as one element. */
function flatten(name: string, data: unknown): unknown[] {
  if (!Array.isArray(data)) return [data];
  const lengths: number[] = [];
  for (let probe: unknown = data; Array.isArray(probe); probe = probe[0]) lengths.push(probe.length);
  // Flat data is returned as is; a stray array among its values is caught while converting.
  if (lengths.length === 1) return data;
  const leaves: unknown[] = [];
  walkNested(name, data, 0, lengths, leaves);
  return leaves;
}

function walkNested(name: string, arr: unknown[], depth: number, lengths: number[], leaves: unknown[]): void {
  if (arr.length !== lengths[depth]) {
    throw ragged(name, `at depth ${depth}, one array holds ${lengths[depth]} items and another ${arr.length}`);
  }
  const last = depth === lengths.length - 1;
  for (const item of arr) {
    if (last) {
      if (Array.isArray(item)) throw ragged(name, `an array at depth ${depth + 1}, where values belong`);
      leaves.push(item);
    } else {
      if (!Array.isArray(item)) throw ragged(name, `a value at depth ${depth + 1}, where arrays belong`);
      walkNested(name, item, depth + 1, lengths, leaves);
    }
  }
}
