// Evidently's default stattest choice and thresholds (legacy registry._get_default_stattest).
import type { DriftMethod, FeatureKind } from "@/lib/drift/types";

export const DEFAULT_THRESHOLDS: Record<DriftMethod, number> = {
  ks: 0.05,
  chisquare: 0.05,
  z: 0.05,
  wasserstein_norm: 0.1,
  jensen_shannon: 0.1,
  psi: 0.1,
  // Not an Evidently test; Ferry's own default.
  linf: 0.1,
};

/** Evidently's drift_share: the dataset drifts when at least this share of features drift. */
export const DEFAULT_DRIFT_SHARE = 0.5;

const P_VALUE_METHODS = new Set<DriftMethod>(["ks", "chisquare", "z"]);

export const isPValueMethod = (m: DriftMethod) => P_VALUE_METHODS.has(m);

const METHOD_LABELS: Record<DriftMethod, string> = {
  ks: "KS p-value", chisquare: "χ² p-value", z: "Z-test p-value", wasserstein_norm: "Wasserstein (normed)",
  jensen_shannon: "Jensen–Shannon", psi: "PSI", linf: "L∞",
};

/** What a person reads for a method: "KS p-value", "PSI"; an unknown name as it is. */
export const methodLabel = (m: string) => METHOD_LABELS[m as DriftMethod] ?? m;

/**
 * @param referenceRows rows in the reference (valid values)
 * @param uniqueValues distinct values across reference and current (Evidently pools both)
 */
export function selectMethod(kind: FeatureKind, referenceRows: number, uniqueValues: number): DriftMethod {
  if (referenceRows <= 1000) {
    if (kind === "numeric" && uniqueValues > 5) return "ks";
    return uniqueValues > 2 ? "chisquare" : "z";
  }
  if (kind === "numeric" && uniqueValues > 5) return "wasserstein_norm";
  return "jensen_shannon";
}

/** Evidently: KS drifts at p ≤ threshold, chi-squared and Z at p < threshold, distances at ≥ threshold. */
export function isDrifted(method: DriftMethod, value: number | null, threshold: number): boolean {
  if (value === null || Number.isNaN(value)) return false;
  if (method === "ks") return value <= threshold;
  if (isPValueMethod(method)) return value < threshold;
  return value >= threshold;
}

/** Evidently's column-type rule: strings and booleans are categorical; integers with ≤ 5 distinct values too. */
export function inferKind(values: readonly unknown[]): FeatureKind {
  const distinct = new Set<unknown>();
  let allIntegers = true;
  for (const v of values) {
    if (v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v))) continue;
    if (typeof v !== "number") return "categorical";
    if (!Number.isInteger(v)) allIntegers = false;
    distinct.add(v);
  }
  return allIntegers && distinct.size <= 5 ? "categorical" : "numeric";
}
