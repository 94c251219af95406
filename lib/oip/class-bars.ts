/**
 * A classifier's answer at a glance: the highest-scoring classes of a one-row float output, with bar lengths, named by
 * the version's class labels when it has them — for the Try-it panel's bars and `ferry infer`'s summary line. The
 * ranking is the classification extension's (`classification.ts`). Pure.
 */
import { topClasses } from "./classification";

export interface TryOutput {
  name: string;
  datatype: string;
  shape: number[];
  data: unknown[];
}

export interface ClassBar {
  index: number;
  /** The class's label, when the version was uploaded with labels for this output. */
  label?: string;
  value: number;
  /** Bar length, 0–1: the score itself when every score is a probability (0–1), else its share of the top score. */
  share: number;
}

const FLOATS = new Set(["FP16", "FP32", "FP64"]);

/** The top `k` classes of an output that holds one row of class scores ([N] or [1, N], N ≥ 2); else undefined. */
export function classBars(output: TryOutput, k = 5, labels?: readonly string[]): ClassBar[] | undefined {
  const classes = output.shape.length === 1 ? output.shape[0] : output.shape.length === 2 && output.shape[0] === 1 ? output.shape[1] : 0;
  if (!FLOATS.has(output.datatype) || classes < 2 || output.data.length !== classes) return undefined;
  const values = output.data.map((v) => (typeof v === "number" ? v : NaN));
  const probabilities = values.every((v) => v >= 0 && v <= 1);
  const top = topClasses((i) => values[i], classes, k);
  const best = Math.max(...top.map((i) => Math.abs(values[i])).filter(Number.isFinite), 0);
  return top.map((index) => {
    const value = values[index];
    const share = !Number.isFinite(value) ? 0 : probabilities ? value : best > 0 ? Math.max(0, value) / best : 0;
    const label = labels?.[index];
    return label === undefined ? { index, value, share } : { index, label, value, share };
  });
}
