// Drift of one feature from a (merged) sketch of live traffic against the reference summary.
// Binned statistics (PSI, Jensen–Shannon, chi-squared, L∞, Z) use every value through the sketch's
// bin or category counts; KS and Wasserstein need raw values and use the current reservoir against
// the reference sample (Wasserstein is still normed by the full reference's standard deviation).
import { evaluateMethodValue } from "@/lib/drift/method-value";
import { DEFAULT_THRESHOLDS, isDrifted, selectMethod } from "@/lib/drift/select-method";
import { OTHER_CATEGORY, type Sketch, type SketchSpec } from "@/lib/drift/sketch";
import {
  chiSquareFromCounts, jensenShannonFromCounts, ksTwoSample, linfFromCounts, psiFromCounts, wassersteinNorm, zTestFromCounts,
} from "@/lib/drift/statistics";
import type { ReferenceFeatureSummary } from "@/lib/drift/summarize-reference";
import type { DriftOverride, DriftStats, FeatureDrift } from "@/lib/drift/types";

export type SketchQuality = { count: number; missing: number; outOfRange: number; missingRate: number; outOfRangeRate: number };

export type SketchFeatureDrift = FeatureDrift & { quality: SketchQuality };

/** Keeps only bins that are non-empty on at least one side (empty-on-both bins carry no information). */
function nonEmptyPairs(ref: readonly number[], cur: readonly number[]): [number[], number[]] {
  const r: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < ref.length; i++) {
    if (ref[i] > 0 || cur[i] > 0) {
      r.push(ref[i]);
      c.push(cur[i]);
    }
  }
  return [r, c];
}

// JSON has no Infinity: an infinite chi-squared is reported as null (its p-value is 0).
const nanToNull = (x: number) => (Number.isFinite(x) ? x : null);

export function driftFromSketches(
  spec: SketchSpec,
  reference: ReferenceFeatureSummary,
  current: Sketch,
  override: DriftOverride = {},
): SketchFeatureDrift {
  const stats: DriftStats = { psi: null, ks: null, ks_pvalue: null, wasserstein_norm: null, jensen_shannon: null };
  let curCounts: number[];
  let discrete: boolean;
  if (spec.kind === "numeric" && current.kind === "numeric") {
    curCounts = current.bins;
    discrete = reference.unique <= 20;
  } else if (spec.kind === "categorical" && current.kind === "categorical") {
    curCounts = [...spec.categories.map((c) => current.counts[c] ?? 0), current.counts[OTHER_CATEGORY] ?? 0];
    discrete = true;
  } else {
    throw new Error(`driftFromSketches: ${reference.name} has a ${spec.kind} spec but a ${current.kind} sketch`);
  }
  const [refBins, curBins] = nonEmptyPairs(reference.binCounts, curCounts);
  const currentRows = curCounts.reduce((s, c) => s + c, 0);

  if (reference.n > 0 && currentRows > 0) {
    stats.psi = psiFromCounts(refBins, curBins);
    stats.jensen_shannon = jensenShannonFromCounts(refBins, curBins);
    if (discrete) {
      const chi = chiSquareFromCounts(refBins, curBins);
      stats.chi2 = nanToNull(chi.statistic);
      stats.chi2_pvalue = nanToNull(chi.pvalue);
      stats.linf = linfFromCounts(refBins, curBins);
      if (refBins.length <= 2) stats.z_pvalue = zTestFromCounts(refBins, curBins);
    }
    if (current.kind === "numeric" && current.reservoir.values.length > 0 && reference.sample.length > 0) {
      const ks = ksTwoSample(reference.sample, current.reservoir.values);
      stats.ks = ks.statistic;
      stats.ks_pvalue = ks.pvalue;
      stats.wasserstein_norm = wassersteinNorm(reference.sample, current.reservoir.values, reference.std ?? 0);
    }
  }

  // Evidently pools distinct values of both sides; the sketch only knows the reference's, plus any
  // non-empty bin that the reference never filled.
  const newValues = refBins.filter((r) => r === 0).length;
  const method = override.method ?? selectMethod(reference.kind, reference.n, reference.unique + newValues);
  const threshold = override.threshold ?? DEFAULT_THRESHOLDS[method];
  const value = evaluateMethodValue(method, stats);
  const outOfRange = current.kind === "numeric" ? current.outOfRange : 0;
  return {
    name: reference.name, kind: reference.kind, method, value, threshold, drifted: isDrifted(method, value, threshold), stats,
    referenceRows: reference.n, currentRows,
    quality: {
      count: current.count, missing: current.missing, outOfRange,
      missingRate: current.count ? current.missing / current.count : 0,
      outOfRangeRate: currentRows ? outOfRange / currentRows : 0,
    },
  };
}
