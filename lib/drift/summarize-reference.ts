// Describes a reference dataset per feature: Evidently's kind, size and shape, a small histogram for
// the UI, the sketch spec the data plane bins live traffic with, and what driftFromSketches needs on
// the reference side (its counts over the same bins and a bounded, deterministic sample).
import { histogramCounts, populationStd } from "@/lib/drift/statistics";
import { inferKind } from "@/lib/drift/select-method";
import { addValue, createSketchSpec, newSketch, OTHER_CATEGORY, quantileSorted, type SketchOptions, type SketchSpec } from "@/lib/drift/sketch";
import type { FeatureKind } from "@/lib/drift/types";

export type ReferenceFeatureSummary = {
  name: string;
  kind: FeatureKind;
  /** Valid (non-missing) values. */
  n: number;
  missing: number;
  unique: number;
  min: number | null;
  mean: number | null;
  max: number | null;
  /** Population standard deviation (ddof = 0), the norm of Evidently's Wasserstein. */
  std: number | null;
  quantiles: { p05: number; p25: number; p50: number; p75: number; p95: number } | null;
  /** Numeric: 10 equal-width bins (numpy.histogram(bins=10)); categorical: top categories, rest as __other__. */
  histogram: { edges: number[]; counts: number[] } | { categories: string[]; counts: number[] };
  spec: SketchSpec;
  /** The reference binned like live traffic: numeric → per sketch bin; categorical → spec categories then __other__. */
  binCounts: number[];
  /** Numeric only: up to sampleSize reference values (all of them when the reference is that small). */
  sample: number[];
};

export type ReferenceSummary = { rows: number; features: ReferenceFeatureSummary[] };

export type SummarizeOptions = SketchOptions & { sampleSize?: number; kinds?: Record<string, FeatureKind> };

type Row = Readonly<Record<string, unknown>> | readonly unknown[];

/** numpy.histogram(values, bins=count): equal-width bins between min and max (±0.5 when constant). */
export function equalWidthHistogram(values: readonly number[], count: number): { edges: number[]; counts: number[] } {
  let first = Infinity;
  let last = -Infinity;
  for (const v of values) {
    if (v < first) first = v;
    if (v > last) last = v;
  }
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const step = (last - first) / count;
  const edges = Array.from({ length: count + 1 }, (_, i) => i * step + first);
  edges[count] = last;
  return { edges, counts: histogramCounts(values, edges) };
}

function column(rows: readonly Row[], name: string, index: number): unknown[] {
  return rows.map((r) => (Array.isArray(r) ? r[index] : (r as Record<string, unknown>)[name]));
}

const isMissing = (v: unknown) => v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v));

export function summarizeFeature(name: string, values: readonly unknown[], options: SummarizeOptions = {}): ReferenceFeatureSummary {
  const present = values.filter((v) => !isMissing(v));
  const kind = options.kinds?.[name] ?? inferKind(present as (number | string)[]);
  const spec = createSketchSpec(present, kind, options);
  const missing = values.length - present.length;

  if (kind === "categorical") {
    const keys = present.map(String);
    const counts = new Map<string, number>();
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    const categories = spec.kind === "categorical" ? spec.categories : [];
    const binCounts = [...categories.map((c) => counts.get(c) ?? 0), keys.length - categories.reduce((s, c) => s + (counts.get(c) ?? 0), 0)];
    const top = categories.slice(0, 10);
    const topCounts = top.map((c) => counts.get(c) ?? 0);
    const rest = keys.length - topCounts.reduce((s, c) => s + c, 0);
    return {
      name, kind, n: keys.length, missing, unique: counts.size, min: null, mean: null, max: null, std: null, quantiles: null,
      histogram: rest > 0 ? { categories: [...top, OTHER_CATEGORY], counts: [...topCounts, rest] } : { categories: top, counts: topCounts },
      spec, binCounts, sample: [],
    };
  }

  const nums = present.map((v) => (typeof v === "number" ? v : Number(v))).filter(Number.isFinite);
  const sorted = [...nums].sort((a, b) => a - b);
  const sketch = newSketch(spec.kind === "numeric" ? { ...spec, reservoirSize: options.sampleSize ?? 1000 } : spec);
  for (const v of nums) addValue(sketch, v);
  const q = (p: number) => quantileSorted(sorted, p);
  const empty = nums.length === 0;
  return {
    name, kind, n: nums.length, missing: values.length - nums.length, unique: new Set(nums).size,
    min: empty ? null : sorted[0], max: empty ? null : sorted[sorted.length - 1],
    mean: empty ? null : nums.reduce((s, x) => s + x, 0) / nums.length, std: empty ? null : populationStd(nums),
    quantiles: empty ? null : { p05: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95) },
    histogram: empty ? { edges: [], counts: [] } : equalWidthHistogram(nums, 10),
    spec, binCounts: sketch.kind === "numeric" ? sketch.bins : [], sample: sketch.kind === "numeric" ? sketch.reservoir.values : [],
  };
}

/** rows are objects keyed by feature name, or arrays in featureNames order. */
export function summarizeReference(rows: readonly Row[], featureNames: readonly string[], options: SummarizeOptions = {}): ReferenceSummary {
  return {
    rows: rows.length,
    features: featureNames.map((name, i) => summarizeFeature(name, column(rows, name, i), options)),
  };
}
