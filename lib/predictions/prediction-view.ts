/**
 * A prediction-log row as the API and the dashboard show it: each logged tensor by name with its elements decoded
 * (`lib/oip/logged-tensors`), and the ground truth that arrived for its request id, if any. Pure.
 */
import { loggedValues, type LoggedTensor, type LoggedValue } from "@/lib/oip/logged-tensors";
import { classPrediction } from "@/lib/feedback/prediction-from-outputs";

export interface TensorView {
  name: string;
  datatype: string;
  /** The whole tensor's shape (the request's or the answer's). */
  shape: number[];
  /** The logged elements, row-major; null when a stored value cannot be decoded. */
  values: LoggedValue[] | null;
  /** Only the first elements were logged (lib/oip/logged-tensors.ts: MAX_LOGGED_ELEMENTS). */
  truncated: boolean;
}

export interface PredictionView {
  /** The log row's id: a request id may repeat (a client reusing ids), this does not. */
  id: string;
  requestId: string;
  version: number;
  variant: string | null;
  status: number;
  latencyMs: number;
  createdAt: string;
  inputs: TensorView[];
  outputs: TensorView[];
  /** A one-row classifier's predicted class, named by the version's class labels when it has them. */
  predictedClass: { index: number; label: string | null } | null;
  feedback: { label: string | null; value: number | null; createdAt: string } | null;
}

export interface PredictionRow {
  id: bigint;
  requestId: string;
  version: number;
  variant: string | null;
  status: number;
  latencyMs: number;
  createdAt: Date;
  inputs: unknown;
  outputs: unknown;
}

export interface FeedbackRow {
  label: string | null;
  value: number | null;
  createdAt: Date;
}

/**
 * A float32 as the shortest decimal that reads back as the same float32 (2.951, not 2.9509999752044678, which is
 * what the float32 nearest 2.951 prints as a double). FP16 values are float32-exact too, so they read short as well.
 */
export function shortFloat32(v: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  const f = Math.fround(v);
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

const SHORT_FLOATS = new Set(["FP32", "FP16"]);

/** The named tensors of a stored `inputs` / `outputs` value, in stored order; entries that are not tensors are skipped. */
export function tensorViews(stored: unknown): TensorView[] {
  if (!stored || typeof stored !== "object" || Array.isArray(stored)) return [];
  const out: TensorView[] = [];
  for (const [name, t] of Object.entries(stored as Record<string, unknown>)) {
    if (!t || typeof t !== "object") continue;
    const tensor = t as LoggedTensor;
    if (typeof tensor.raw !== "string" && !Array.isArray(tensor.data)) continue;
    out.push({
      name,
      datatype: String(tensor.datatype),
      shape: Array.isArray(tensor.shape) ? tensor.shape.map(Number) : [],
      values: shortFloats(String(tensor.datatype), loggedValues(tensor) ?? null),
      truncated: tensor.truncated === true,
    });
  }
  return out;
}

function shortFloats(datatype: string, values: LoggedValue[] | null): LoggedValue[] | null {
  return values && SHORT_FLOATS.has(datatype) ? values.map((v) => (typeof v === "number" ? shortFloat32(v) : v)) : values;
}

export function predictionView(row: PredictionRow, feedback?: FeedbackRow | null, labels?: Readonly<Record<string, readonly string[]>>): PredictionView {
  return {
    id: String(row.id),
    requestId: row.requestId,
    version: row.version,
    variant: row.variant,
    status: row.status,
    latencyMs: row.latencyMs,
    createdAt: row.createdAt.toISOString(),
    inputs: tensorViews(row.inputs),
    outputs: tensorViews(row.outputs),
    predictedClass: classPrediction(row.outputs, labels) ?? null,
    feedback: feedback ? { label: feedback.label, value: feedback.value, createdAt: feedback.createdAt.toISOString() } : null,
  };
}

/**
 * A tensor in one short line for a table cell: `x [1,8] 0.12, -0.5, 3 … (8)`. Numbers keep 4 significant digits;
 * at most `max` elements are shown, and the count says how many the tensor has.
 */
export function tensorPreview(t: TensorView, max = 6): string {
  const count = t.shape.reduce((n, d) => n * d, 1);
  if (!t.values) return `${t.name} [${t.shape.join(",")}] (not readable)`;
  const shown = t.values.slice(0, max).map((v) => (typeof v === "number" ? String(Number(v.toPrecision(4))) : typeof v === "string" ? JSON.stringify(v.length > 24 ? `${v.slice(0, 24)}…` : v) : String(v)));
  const more = count > shown.length ? ` … (${count})` : "";
  return `${t.name} [${t.shape.join(",")}] ${shown.join(", ")}${more}`;
}
