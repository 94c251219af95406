/**
 * What a logged prediction predicted, read from PredictionLog.outputs as the data plane writes it (see
 * lib/oip/logged-tensors: raw bytes, or the JSON numbers of rows written before). Only the first row of a batch
 * counts: feedback is per request id. Pure.
 *
 * - classification: the argmax of the first 2-D float output (FP32/FP64), as a class index — and as its class label
 *   when the version has labels for that output; a model without one (e.g. an INT64 `label` output) is read by its
 *   first output's first value.
 * - regression: the first output's first value.
 * "First" is the order of the stored JSON object: Postgres jsonb orders keys by length, then bytes.
 */
import { loggedValues, namedLoggedTensorsOf, type LoggedValue } from "@/lib/oip/logged-tensors";

/** A logged tensor with its elements decoded. */
interface DecodedTensor {
  name: string;
  datatype: string;
  shape: number[];
  data: LoggedValue[];
}

const FLOATS = new Set(["FP32", "FP64"]);

function tensors(outputs: unknown): DecodedTensor[] {
  const out: DecodedTensor[] = [];
  for (const [name, t] of namedLoggedTensorsOf(outputs)) {
    const data = loggedValues(t);
    if (data) out.push({ name, datatype: t.datatype, shape: Array.isArray(t.shape) ? t.shape : [], data });
  }
  return out;
}

/** Index of the largest score in the first row of the first 2-D float output; undefined when there is none. */
export function predictedClass(outputs: unknown): number | undefined {
  return classOf(tensors(outputs))?.index;
}

function classOf(decoded: DecodedTensor[]): { index: number; output: string; rows: number } | undefined {
  const t = decoded.find((x) => FLOATS.has(x.datatype) && x.shape.length === 2 && (x.shape[1] ?? 0) > 0);
  if (!t) return undefined;
  const cols = t.shape[1];
  const row = t.data.slice(0, cols).map(Number);
  if (row.length < cols || row.some((v) => Number.isNaN(v))) return undefined;
  let best = 0;
  for (let i = 1; i < cols; i++) if (row[i] > row[best]) best = i;
  return { index: best, output: t.name, rows: t.shape[0] };
}

/**
 * A one-row classifier prediction's class (the argmax of its first 2-D float output) and that class's label when the
 * version has labels for the output; undefined for anything else (a batch of rows, a regressor).
 */
export function classPrediction(outputs: unknown, labels?: Readonly<Record<string, readonly string[]>>): { index: number; label: string | null } | undefined {
  const cls = classOf(tensors(outputs));
  if (!cls || cls.rows !== 1) return undefined;
  return { index: cls.index, label: labels?.[cls.output]?.[cls.index] ?? null };
}

/** The first output's first value as a number (regression), or undefined. */
export function predictedValue(outputs: unknown): number | undefined {
  const first = tensors(outputs)[0]?.data[0];
  const n = typeof first === "number" ? first : typeof first === "string" && first.trim() !== "" ? Number(first) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * What a feedback label must equal to be right, as text: the argmax class's index and, when the version has class
 * labels for that output (`labels`, the signature's), its label; else the first value. Empty when nothing is readable.
 */
export function predictedLabels(outputs: unknown, labels?: Readonly<Record<string, readonly string[]>>): string[] {
  // Decoded once: a logged tensor's raw bytes are base64 to decode.
  const decoded = tensors(outputs);
  const cls = classOf(decoded);
  if (cls !== undefined) {
    const label = labels?.[cls.output]?.[cls.index];
    return label === undefined ? [String(cls.index)] : [String(cls.index), label];
  }
  const first = decoded[0]?.data[0];
  return first === undefined || first === null ? [] : [String(first)];
}
