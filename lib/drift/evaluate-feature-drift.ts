// Drift of one feature from raw reference and current samples, Evidently-style: missing and
// non-finite values are dropped, the method is chosen by Evidently's defaults unless overridden,
// and every applicable statistic is reported alongside the verdict.
import {
  binLikeEvidently, chiSquareFromCounts, jensenShannonFromCounts, ksTwoSample, linfFromCounts,
  psiFromCounts, wassersteinNorm, zTestFromCounts,
} from "@/lib/drift/statistics";
import { evaluateMethodValue } from "@/lib/drift/method-value";
import { DEFAULT_DRIFT_SHARE, DEFAULT_THRESHOLDS, inferKind, isDrifted, selectMethod } from "@/lib/drift/select-method";
import type { DatasetDrift, DriftOverride, DriftStats, FeatureDrift, FeatureKind } from "@/lib/drift/types";

export type RawValue = number | string | boolean | null | undefined;

export type FeatureSamples = DriftOverride & {
  name: string;
  reference: readonly RawValue[];
  current: readonly RawValue[];
  /** Defaults to Evidently's rule applied to the reference. */
  kind?: FeatureKind;
};

const isMissing = (v: RawValue) => v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v));

function clean(values: readonly RawValue[], kind: FeatureKind): (number | string)[] {
  const out: (number | string)[] = [];
  for (const v of values) {
    if (isMissing(v)) continue;
    if (kind === "numeric") {
      const n = typeof v === "number" ? v : Number(v);
      if (Number.isFinite(n)) out.push(n);
    } else {
      out.push(String(v));
    }
  }
  return out;
}

// JSON has no Infinity: an infinite chi-squared (a category the reference never saw) is reported as null with p = 0.
const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

export function evaluateFeatureDrift(input: FeatureSamples): FeatureDrift {
  const kind = input.kind ?? inferKind(input.reference);
  const ref = clean(input.reference, kind);
  const cur = clean(input.current, kind);
  const uniqueValues = new Set([...ref, ...cur]).size;
  const method = input.method ?? selectMethod(kind, ref.length, uniqueValues);
  const threshold = input.threshold ?? DEFAULT_THRESHOLDS[method];
  const stats: DriftStats = { psi: null, ks: null, ks_pvalue: null, wasserstein_norm: null, jensen_shannon: null };

  if (ref.length > 0 && cur.length > 0) {
    const binned = binLikeEvidently(ref, cur, kind);
    stats.psi = psiFromCounts(binned.referenceCounts, binned.currentCounts);
    stats.jensen_shannon = jensenShannonFromCounts(binned.referenceCounts, binned.currentCounts);
    if (kind === "numeric") {
      const ks = ksTwoSample(ref as number[], cur as number[]);
      stats.ks = ks.statistic;
      stats.ks_pvalue = ks.pvalue;
      stats.wasserstein_norm = wassersteinNorm(ref as number[], cur as number[]);
    }
    // Count-based tests over distinct values (never Sturges bins), as Evidently's chisquare and z do.
    if (kind === "categorical" || uniqueValues <= 20) {
      const byValue = binned.keys ? binned : binLikeEvidently(ref, cur, "categorical");
      const chi = chiSquareFromCounts(byValue.referenceCounts, byValue.currentCounts);
      stats.chi2 = finiteOrNull(chi.statistic);
      stats.chi2_pvalue = finiteOrNull(chi.pvalue);
      stats.linf = linfFromCounts(byValue.referenceCounts, byValue.currentCounts);
      if (byValue.referenceCounts.length <= 2) stats.z_pvalue = zTestFromCounts(byValue.referenceCounts, byValue.currentCounts);
    }
  }
  const value = evaluateMethodValue(method, stats);
  return {
    name: input.name, kind, method, value, threshold, drifted: isDrifted(method, value, threshold), stats,
    referenceRows: ref.length, currentRows: cur.length,
  };
}

/** Evidently's dataset drift: drifted when the share of drifted features reaches driftShare (default 0.5). */
export function evaluateDatasetDrift(features: readonly Pick<FeatureDrift, "drifted" | "value">[], driftShare = DEFAULT_DRIFT_SHARE): DatasetDrift {
  const scored = features.filter((f) => f.value !== null);
  const driftedFeatures = scored.filter((f) => f.drifted).length;
  const share = scored.length ? driftedFeatures / scored.length : 0;
  return { datasetDrift: scored.length > 0 && share >= driftShare, driftedFeatures, totalFeatures: scored.length, share, driftShare };
}
