import { describe, expect, it } from "vitest";
import expected from "@/lib/drift/scipy/expected.json";
import { evaluateDatasetDrift, evaluateFeatureDrift } from "@/lib/drift/evaluate-feature-drift";
import {
  binLikeEvidently, chiSquareFromCounts, histogramCounts, ksTwoSample, populationStd, sturgesEdges, wassersteinDistance,
} from "@/lib/drift/statistics";
import { kolmogorovSf } from "@/lib/drift/kolmogorov-distribution";
import { chiSquaredSf, gammaQ, normalCdf } from "@/lib/drift/special-functions";
import { quantileSorted } from "@/lib/drift/sketch";
import { equalWidthHistogram } from "@/lib/drift/summarize-reference";

type Case = {
  name: string; kind: "numeric" | "categorical"; reference: (number | string)[]; current: (number | string)[];
  default_method: string; psi: number; jensen_shannon: number; ks?: number; ks_pvalue?: number; ks_method?: string;
  wasserstein?: number; reference_std?: number; wasserstein_norm?: number; chi2?: number | null; chi2_pvalue?: number;
  linf?: number; z_pvalue?: number; bin_edges?: number[] | null; reference_quantiles_20?: number[];
  reference_histogram_10?: number[]; reference_histogram_10_edges?: number[];
};
const cases = (expected as { cases: Case[] }).cases;
const kstwo = (expected as { kstwo: { n: number; x: number; sf: number }[] }).kstwo;

/** |a − b| ≤ abs + rel·|b|: relative for ordinary values, absolute near zero. */
function close(actual: number | null | undefined, want: number | null | undefined, rel = 1e-9, abs = 1e-12) {
  if (want === null || want === undefined) return expect(actual ?? null).toBeNull();
  expect(actual).not.toBeNull();
  const ok = Math.abs((actual as number) - want) <= abs + rel * Math.abs(want);
  expect(ok, `${actual} vs scipy ${want}`).toBe(true);
}

describe("special functions", () => {
  it("match known values", () => {
    close(normalCdf(1.959963984540054), 0.975, 1e-13);
    // Values from scipy 1.17 (special.gammaincc, stats.norm.cdf, stats.chi2.sf).
    close(normalCdf(-3), 0.0013498980316300933, 1e-12);
    close(chiSquaredSf(3.841458820694124, 1), 0.05, 1e-12);
    close(chiSquaredSf(10, 4), 0.04042768199451279, 1e-12);
    close(chiSquaredSf(200, 150), 0.003973185970821635, 1e-11);
    close(gammaQ(2.5, 0.1), 0.9991138612111875, 1e-12);
    close(gammaQ(30.5, 45), 0.009260595110465165, 1e-11);
    close(gammaQ(0.5, 30), 9.485737571073857e-15, 1e-11, 0);
    expect(chiSquaredSf(Infinity, 3)).toBe(0);
  });
});

describe("Kolmogorov distribution", () => {
  it.each(kstwo)("kstwo.sf($x, $n)", ({ n, x, sf }) => close(kolmogorovSf(n, x), sf, 1e-9, 1e-14));
});

describe.each(cases)("$name against scipy", (c) => {
  const result = evaluateFeatureDrift({ name: c.name, kind: c.kind, reference: c.reference, current: c.current });

  it("chooses Evidently's default method", () => {
    expect(result.method).toBe(c.default_method);
  });

  it("bins like Evidently", () => {
    const binned = binLikeEvidently(c.reference, c.current, c.kind);
    if (c.bin_edges) {
      expect(binned.edges).toHaveLength(c.bin_edges.length);
      binned.edges!.forEach((e, i) => close(e, c.bin_edges![i], 0, 0));
    } else {
      expect(binned.keys).toBeDefined();
    }
  });

  it("PSI and Jensen–Shannon", () => {
    close(result.stats.psi, c.psi);
    close(result.stats.jensen_shannon, c.jensen_shannon);
  });

  if (c.kind === "numeric") {
    it("Kolmogorov–Smirnov statistic and p-value", () => {
      const ks = ksTwoSample(c.reference as number[], c.current as number[]);
      expect(ks.method).toBe(c.ks_method);
      close(ks.statistic, c.ks!, 1e-12);
      close(ks.pvalue, c.ks_pvalue!, 1e-9, 1e-14);
      close(result.stats.ks_pvalue, c.ks_pvalue!, 1e-9, 1e-14);
    });

    it("normed Wasserstein distance", () => {
      close(wassersteinDistance(c.reference as number[], c.current as number[]), c.wasserstein!);
      close(populationStd(c.reference as number[]), c.reference_std!, 1e-9, 1e-15);
      close(result.stats.wasserstein_norm, c.wasserstein_norm!);
    });

    it("quantiles and the 10-bin histogram", () => {
      const sorted = [...(c.reference as number[])].sort((a, b) => a - b);
      c.reference_quantiles_20!.forEach((q, i) => close(quantileSorted(sorted, i / 20), q, 1e-12, 1e-12));
      const hist = equalWidthHistogram(c.reference as number[], 10);
      expect(hist.counts).toEqual(c.reference_histogram_10);
      hist.edges.forEach((e, i) => close(e, c.reference_histogram_10_edges![i], 1e-12, 1e-12));
    });
  }

  if (c.chi2_pvalue !== undefined) {
    it("chi-squared and L∞", () => {
      close(result.stats.chi2, c.chi2);
      close(result.stats.chi2_pvalue, c.chi2_pvalue, 1e-8, 1e-300);
      close(result.stats.linf, c.linf);
    });
  }

  if (c.z_pvalue !== undefined) {
    it("Z-test p-value", () => close(result.stats.z_pvalue, c.z_pvalue, 1e-9, 1e-15));
  }
});

describe("verdicts", () => {
  it("uses Evidently's directions: p-values drift below, distances at or above the threshold", () => {
    const shifted = cases.find((c) => c.name === "normal_shift_unequal_n")!;
    const r = evaluateFeatureDrift({ name: "x", reference: shifted.reference, current: shifted.current });
    expect(r).toMatchObject({ method: "ks", threshold: 0.05, drifted: true });
    const calm = cases.find((c) => c.name === "normal_no_drift")!;
    expect(evaluateFeatureDrift({ name: "x", reference: calm.reference, current: calm.current }).drifted).toBe(false);
    const big = cases.find((c) => c.name === "lognormal_wasserstein")!;
    const w = evaluateFeatureDrift({ name: "x", reference: big.reference, current: big.current });
    expect(w.method).toBe("wasserstein_norm");
    expect(w.drifted).toBe(w.value! >= 0.1);
  });

  it("honours per-feature overrides", () => {
    const c = cases.find((k) => k.name === "normal_equal_n")!;
    const r = evaluateFeatureDrift({ name: "x", reference: c.reference, current: c.current, method: "psi", threshold: 0.05 });
    expect(r.method).toBe("psi");
    close(r.value, c.psi);
    expect(r.drifted).toBe(c.psi >= 0.05);
  });

  it("drops missing values and reports no verdict without data", () => {
    const r = evaluateFeatureDrift({ name: "x", reference: [1, 2, 3, 4, 5, 6, 7], current: [null, NaN, undefined] });
    expect(r).toMatchObject({ value: null, drifted: false, currentRows: 0 });
  });

  it("declares dataset drift at a 50% share of drifted features", () => {
    const f = (drifted: boolean) => ({ drifted, value: 1 });
    expect(evaluateDatasetDrift([f(true), f(false)]).datasetDrift).toBe(true);
    expect(evaluateDatasetDrift([f(true), f(false), f(false)]).datasetDrift).toBe(false);
    expect(evaluateDatasetDrift([]).datasetDrift).toBe(false);
  });

  it("histogramCounts follows numpy's closed last bin", () => {
    expect(histogramCounts([0, 1, 2, 3], [0, 1.5, 3])).toEqual([2, 2]);
    expect(sturgesEdges([1, 1])).toEqual([0.5, 1.5]);
    expect(chiSquareFromCounts([10, 0], [5, 5]).pvalue).toBe(0);
  });
});
