// Reference vs current shares over the sketch bins of one feature, for the overlaid histogram of the drift view.
// The bins are the ones drift is computed on (reference quantiles, or one per value for discrete features, plus
// the two outside bins), so the picture shows exactly what PSI and Jensen–Shannon compare. Pure.
import { OTHER_CATEGORY, type Sketch } from "@/lib/drift/sketch";
import type { ReferenceFeatureSummary } from "@/lib/drift/summarize-reference";

export type HistogramBin = { label: string; reference: number; current: number };
export type FeatureHistogram = { feature: string; kind: "numeric" | "categorical"; bins: HistogramBin[] };

const fmt = (x: number) => (x !== 0 && (Math.abs(x) >= 1e5 || Math.abs(x) < 1e-3) ? x.toExponential(2) : String(Number(x.toPrecision(4))));

/** Labels of NumericSketch.bins: "< lo", inner ranges (or the value itself for one-bin-per-value specs), "> hi". */
export function numericBinLabels(edges: readonly number[], discrete: boolean): string[] {
  if (edges.length === 0) return ["(none)", "value", "(none)"];
  const inner = Math.max(edges.length - 1, 1);
  const labels = [`< ${fmt(edges[0])}`];
  if (edges.length === 1) labels.push(fmt(edges[0]));
  else if (discrete) {
    // Edges are [v0, mid(v0,v1), …, mid(vk-1,vk), vk]: recover each value from the midpoints.
    const values = [edges[0]];
    for (let i = 1; i < inner; i++) values.push(2 * edges[i] - values[i - 1]);
    for (let i = 0; i < inner; i++) labels.push(fmt(values[i]));
  } else {
    for (let i = 0; i < inner; i++) labels.push(`${fmt(edges[i])} – ${fmt(edges[i + 1])}`);
  }
  labels.push(`> ${fmt(edges[edges.length - 1])}`);
  return labels;
}

const shares = (counts: readonly number[]) => {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (total ? c / total : 0));
};

export function histogramOverlay(reference: ReferenceFeatureSummary, current: Sketch | undefined, label = reference.name): FeatureHistogram {
  const spec = reference.spec;
  let labels: string[];
  let cur: number[];
  if (spec.kind === "categorical") {
    labels = [...spec.categories, "(other)"];
    cur = current?.kind === "categorical" ? [...spec.categories.map((c) => current.counts[c] ?? 0), current.counts[OTHER_CATEGORY] ?? 0] : labels.map(() => 0);
  } else {
    labels = numericBinLabels(spec.edges, reference.unique <= 20);
    cur = current?.kind === "numeric" && current.bins.length === labels.length ? current.bins : labels.map(() => 0);
  }
  const ref = shares(reference.binCounts);
  const now = shares(cur);
  const bins = labels
    .map((l, i) => ({ label: l, reference: ref[i] ?? 0, current: now[i] ?? 0 }))
    // The outside bins and the "other" category only matter when something fell in them.
    .filter((b, i, all) => b.reference > 0 || b.current > 0 || (i > 0 && i < all.length - 1 && spec.kind === "numeric"));
  return { feature: label, kind: spec.kind, bins };
}
