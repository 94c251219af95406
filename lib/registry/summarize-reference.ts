/**
 * The summary of a reference dataset shown on the version page and kept with the version: rows, and per feature
 * count, missing, min/mean/max/std and a 10-bin histogram (numeric) or top values (categorical). Pure.
 */
import type { ReferenceTable } from "./parse-reference";
import type { FeatureBinding } from "./check-reference";

export interface NumericFeatureSummary {
  name: string;
  input: string;
  index: number;
  kind: "numeric";
  count: number;
  missing: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  histogram: { edges: number[]; counts: number[] };
}

export interface CategoricalFeatureSummary {
  name: string;
  input: string;
  index: number;
  kind: "categorical";
  count: number;
  missing: number;
  top: { value: string; count: number }[];
}

export type FeatureSummary = NumericFeatureSummary | CategoricalFeatureSummary;

export interface ReferenceSummary {
  rows: number;
  columns: number;
  features: FeatureSummary[];
}

export const HISTOGRAM_BINS = 10;

export function summarizeReference(table: ReferenceTable, bindings: FeatureBinding[]): ReferenceSummary {
  const features = bindings.map((b, c): FeatureSummary => {
    const text = table.text[c];
    if (text) {
      const counts = new Map<string, number>();
      let missing = 0;
      for (const v of text) {
        if (v === "") missing++;
        else counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const top = [...counts].sort((a, z) => z[1] - a[1]).slice(0, 10).map(([value, count]) => ({ value, count }));
      return { ...b, kind: "categorical", count: text.length - missing, missing, top };
    }
    const col = table.values[c];
    let n = 0, missing = 0, sum = 0, min = Infinity, max = -Infinity;
    for (const v of col) {
      if (v === null) {
        missing++;
        continue;
      }
      n++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const mean = n ? sum / n : 0;
    let sq = 0;
    for (const v of col) if (v !== null) sq += (v - mean) ** 2;
    const std = n > 1 ? Math.sqrt(sq / (n - 1)) : 0;
    if (!n) {
      min = 0;
      max = 0;
    }
    const width = (max - min) / HISTOGRAM_BINS;
    const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => (i === HISTOGRAM_BINS ? max : min + i * width));
    const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
    for (const v of col) {
      if (v === null) continue;
      const bin = width > 0 ? Math.min(HISTOGRAM_BINS - 1, Math.floor((v - min) / width)) : 0;
      counts[bin]++;
    }
    return { ...b, kind: "numeric", count: n, missing, min, max, mean, std, histogram: { edges, counts } };
  });
  return { rows: table.rows, columns: table.columns.length, features };
}
