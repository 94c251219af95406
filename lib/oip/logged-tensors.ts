import { byteSizeOf, isV2Datatype } from "@/lib/tensor/datatypes";
import { encodeBinary } from "./build-infer-response";
import { decodeBinaryData } from "./decode-binary-data";
import { halfToFloat } from "./float16";
import type { OipTensor, TensorData } from "./oip-tensor";

/**
 * Tensors as the prediction log keeps them (`PredictionLog.inputs` / `.outputs`, jsonb), one entry per tensor name:
 *
 *     { datatype, shape, raw: "<base64>", truncated?: true }     numeric datatypes
 *     { datatype, shape, data: ["…", …], truncated?: true }      BYTES
 *
 * `raw` holds the first MAX_LOGGED_ELEMENTS elements in the binary tensor data extension's layout (little-endian,
 * row-major; FP16 as its bits), base64-encoded — the bytes the V2 gRPC protocol's `raw_input_contents` carries.
 * `shape` is the whole tensor's; `truncated` says elements were left out.
 *
 * Why not a JSON array of numbers (what rows logged before the afternoon of 2026-11-27 hold; `loggedValues` reads
 * both): a float32 printed as a double takes ~19 characters, and building that text cost the HTTP thread ~85 µs per
 * logged request of 2 × 256 values, then embedded PGlite ~0.5–1 ms to parse it into jsonb numerics; raw bytes in
 * base64 cost ~9 µs and ~0.15 ms (bench/README, "Prediction logs as raw bytes").
 */
export const MAX_LOGGED_ELEMENTS = 256;

export interface LoggedTensor {
  datatype: string;
  shape: number[];
  raw?: string;
  data?: unknown[];
  truncated?: true;
}

/** A logged element as JSON carries it: numbers (64-bit integers beyond 2^53 as digit strings), booleans, strings. */
export type LoggedValue = number | string | boolean;

/** The prediction log's record of some tensors: at most MAX_LOGGED_ELEMENTS elements of each (see above). */
export function toLoggedTensors(tensors: Map<string, OipTensor>): Record<string, LoggedTensor> {
  const out: Record<string, LoggedTensor> = {};
  for (const [name, t] of tensors) {
    const truncated = t.data.length > MAX_LOGGED_ELEMENTS;
    const head = truncated ? (Array.isArray(t.data) ? t.data.slice(0, MAX_LOGGED_ELEMENTS) : t.data.subarray(0, MAX_LOGGED_ELEMENTS)) : t.data;
    const entry: LoggedTensor = { datatype: t.datatype, shape: t.shape };
    if (Array.isArray(head)) entry.data = head;
    else entry.raw = encodeBinary({ datatype: t.datatype, shape: [head.length], data: head }).toString("base64");
    if (truncated) entry.truncated = true;
    out[name] = entry;
  }
  return out;
}

/** The entries of a stored `inputs` / `outputs` value that look like logged tensors, in stored order. */
export function loggedTensorsOf(stored: unknown): LoggedTensor[] {
  return namedLoggedTensorsOf(stored).map(([, t]) => t);
}

/** The same, each with its name (the stored object's key: the tensor's name). */
export function namedLoggedTensorsOf(stored: unknown): [string, LoggedTensor][] {
  if (!stored || typeof stored !== "object" || Array.isArray(stored)) return [];
  return Object.entries(stored as Record<string, unknown>).filter(
    (e): e is [string, LoggedTensor] =>
      !!e[1] && typeof e[1] === "object" && (typeof (e[1] as LoggedTensor).raw === "string" || Array.isArray((e[1] as LoggedTensor).data)),
  );
}

/**
 * A logged tensor's elements (the logged ones: check `truncated`), from either form. Undefined when `raw` does not
 * decode for its datatype (a row edited by hand, say): readers skip such a tensor rather than fail a whole report.
 */
export function loggedValues(t: LoggedTensor): LoggedValue[] | undefined {
  if (Array.isArray(t.data)) return t.data as LoggedValue[];
  if (typeof t.raw !== "string" || !isV2Datatype(t.datatype) || t.datatype === "BYTES") return undefined;
  const bytes = Buffer.from(t.raw, "base64");
  const size = byteSizeOf(t.datatype);
  if (bytes.length % size !== 0) return undefined;
  try {
    return jsonValues(t.datatype, decodeBinaryData("logged", t.datatype, [bytes.length / size], bytes, 0, bytes.length));
  } catch {
    return undefined; // a BOOL byte other than 0 or 1
  }
}

function jsonValues(datatype: string, data: TensorData): LoggedValue[] {
  const out: LoggedValue[] = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    out[i] =
      typeof v === "bigint"
        ? v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()
        : datatype === "FP16"
          ? halfToFloat(v as number)
          : datatype === "BOOL"
            ? v !== 0
            : v;
  }
  return out;
}
