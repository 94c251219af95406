// A reference built from merged sketches of production traffic (a chosen window, or the previous window for
// prediction drift), shaped like summarizeReference's feature summary so driftFromSketches can use it. Bin and
// category counts are exact, so PSI, Jensen–Shannon, chi-squared, L∞ and Z are as good as with a reference dataset;
// KS and Wasserstein compare the two reservoirs (≤ 200 values each). Pure.
import { OTHER_CATEGORY, type Sketch, type SketchSpec } from "@/lib/drift/sketch";
import type { ReferenceFeatureSummary } from "@/lib/drift/summarize-reference";

export function specOfSketch(sketch: Sketch): SketchSpec {
  if (sketch.kind === "numeric") return { kind: "numeric", edges: [...sketch.edges], reservoirSize: sketch.reservoir.size, seed: 0 };
  // jsonb does not keep key order: sort so both sides of a comparison agree (numerically for class indices).
  const categories = Object.keys(sketch.counts)
    .filter((c) => c !== OTHER_CATEGORY)
    .sort((a, b) => (Number.isFinite(Number(a)) && Number.isFinite(Number(b)) ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  return { kind: "categorical", categories };
}

export function referenceFromSketch(name: string, spec: SketchSpec, sketch: Sketch, base?: ReferenceFeatureSummary): ReferenceFeatureSummary {
  const n = sketch.count - sketch.missing;
  if (spec.kind === "categorical" && sketch.kind === "categorical") {
    const binCounts = [...spec.categories.map((c) => sketch.counts[c] ?? 0), sketch.counts[OTHER_CATEGORY] ?? 0];
    return {
      name, kind: "categorical", n, missing: sketch.missing, unique: base?.unique ?? binCounts.filter((c) => c > 0).length,
      min: null, mean: null, max: null, std: null, quantiles: null,
      histogram: { categories: [...spec.categories, OTHER_CATEGORY], counts: binCounts }, spec, binCounts, sample: [],
    };
  }
  if (spec.kind !== "numeric" || sketch.kind !== "numeric") throw new Error(`referenceFromSketch: ${name} has a ${spec.kind} spec but a ${sketch.kind} sketch`);
  const valid = sketch.bins.reduce((s, c) => s + c, 0);
  const mean = valid ? sketch.sum / valid : null;
  const std = mean === null ? null : Math.sqrt(Math.max(0, sketch.sumSquares / valid - mean * mean));
  return {
    name, kind: base?.kind ?? "numeric", n: valid, missing: sketch.missing,
    unique: base?.unique ?? new Set(sketch.reservoir.values).size,
    min: sketch.min, mean, max: sketch.max, std, quantiles: null,
    histogram: { edges: [], counts: [] }, spec, binCounts: [...sketch.bins], sample: [...sketch.reservoir.values],
  };
}
