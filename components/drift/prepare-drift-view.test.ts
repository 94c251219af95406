import { describe, expect, it } from "vitest";
import { driftSample, formatLogTick, driftVerdict, prepareDriftHistory, prepareDriftTable, prepareHistogram, severityOf, type FeatureRowInput } from "./prepare-drift-view";

const stats = { psi: 0.2, ks: 0.1, ks_pvalue: 0.3, wasserstein_norm: 0.05, jensen_shannon: 0.02 };
const quality = { missingRate: 0, outOfRangeRate: 0.0004 };
const feature = (name: string, method: FeatureRowInput["method"], value: number | null, threshold: number, drifted: boolean): FeatureRowInput =>
  ({ name, kind: "numeric", method, value, threshold, drifted, stats, currentRows: 100, quality });

describe("prepareDriftTable", () => {
  it("puts drifted features first, the worst first, comparing distances and p-values by how far past the threshold", () => {
    const rows = prepareDriftTable([
      feature("calm", "wasserstein_norm", 0.02, 0.1, false),
      feature("p-bad", "ks", 0.0001, 0.05, true), // 500× past
      feature("w-bad", "wasserstein_norm", 0.5, 0.1, true), // 5× past
      feature("none", "ks", null, 0.05, false),
      feature("edge", "ks", 0.04, 0.05, true),
    ]);
    expect(rows.map((r) => r.name)).toEqual(["p-bad", "w-bad", "edge", "calm", "none"]);
    expect(rows[0].cells).toMatchObject({ value: "1.00e-4", threshold: "p < 0.05", ks: "0.1", ksP: "p 0.3", outOfRange: "< 0.1 %" });
    expect(rows[1].cells.threshold).toBe("≥ 0.1");
    expect(rows[4].cells.value).toBe("—");
    expect(severityOf("ks", 0, 0.05)).toBeGreaterThan(1e6);
  });
});

describe("driftVerdict", () => {
  it("says how many features drifted and whether the dataset did", () => {
    expect(driftVerdict({ rows: 10, dataset: { driftedFeatures: 3, totalFeatures: 8, datasetDrift: false, driftShare: 0.5 } })).toMatchObject({ title: "3 of 8 features drifted", tone: "yellow" });
    expect(driftVerdict({ rows: 10, dataset: { driftedFeatures: 4, totalFeatures: 8, datasetDrift: true, driftShare: 0.5 } }).tone).toBe("red");
    expect(driftVerdict({ rows: 0, dataset: { driftedFeatures: 0, totalFeatures: 0, datasetDrift: false, driftShare: 0.5 } }).tone).toBe("gray");
  });
});

describe("driftSample", () => {
  it("says whether the figures come from every row served or from a sample, and how large", () => {
    expect(driftSample({ rows: 1234 })).toEqual({ text: "1,234 rows sketched", hint: "every row the version served in the window" });
    expect(driftSample({ rows: 1234, rowsSkipped: 0 }).text).toBe("1,234 rows sketched");
    const sampled = driftSample({ rows: 250, rowsSkipped: 9_750 });
    expect(sampled.text).toBe("250 of 10,000 rows sketched");
    expect(sampled.hint).toMatch(/^a sample: 2\.5 % of the 10,000 rows served, past the drift budget$/);
    expect(driftSample({ rows: 3, rowsSkipped: 99_997 }).hint).toMatch(/^a sample: 0\.003 % of the 100,000 rows/);
    expect(driftSample({ rows: 600, rowsSkipped: 400 }).hint).toMatch(/^a sample: 60 % of the 1,000 rows/);
  });
});

describe("prepareDriftHistory", () => {
  it("leaves missing reports as gaps and keeps the latest threshold", () => {
    const m = 60_000;
    const h = prepareDriftHistory([
      { t: 0, value: 0.05, threshold: 0.1, drifted: false },
      { t: 5 * m, value: 0.2, threshold: 0.1, drifted: true },
      { t: 10 * m, value: null, threshold: 0.1, drifted: false },
      { t: 15 * m, value: 0.1, threshold: 0.1, drifted: true },
      { t: 60 * m, value: 0.08, threshold: 0.2, drifted: false },
    ], "wasserstein_norm");
    expect(h.points.map((p) => p.value)).toEqual([0.05, 0.2, null, 0.1, null, 0.08]);
    expect(h.points[4].t).toBe(20 * m);
    expect(h).toMatchObject({ threshold: 0.2, hasData: true, log: false });
    expect(prepareDriftHistory([{ t: 0, value: 0, threshold: 0.05, drifted: true }], "ks").points[0].value).toBeGreaterThan(0);
    expect(prepareDriftHistory([], null).hasData).toBe(false);
  });
});

describe("prepareHistogram", () => {
  it("turns shares into percentages and folds the tail of long category lists", () => {
    const h = prepareHistogram({ feature: "f", kind: "numeric", bins: [{ label: "a", reference: 0.25, current: 0.5 }, { label: "b", reference: 0.75, current: 0.5 }] })!;
    expect(h.bars).toEqual([{ label: "a", reference: 25, current: 50 }, { label: "b", reference: 75, current: 50 }]);
    const many = Array.from({ length: 30 }, (_, i) => ({ label: `c${i}`, reference: (30 - i) / 465, current: 0 }));
    const folded = prepareHistogram({ feature: "c", kind: "categorical", bins: many }, 5)!;
    expect(folded.bars.map((b) => b.label)).toEqual(["c0", "c1", "c2", "c3", "(rest)"]);
    expect(folded.hasData).toBe(false);
    expect(prepareHistogram(undefined)).toBeNull();
  });
});

describe("formatLogTick", () => {
  it("reads powers of ten as decimals down to 0.001 and as 1eN below; other values as scores", () => {
    expect([1, 0.1, 0.01, 0.001, 1e-4, 1e-6, 1e-12].map(formatLogTick)).toEqual(["1", "0.1", "0.01", "0.001", "1e-4", "1e-6", "1e-12"]);
    expect(formatLogTick(0.05)).toBe("0.05");
    expect(formatLogTick(3e-5)).toBe("3.00e-5");
    expect(formatLogTick(0)).toBe("0");
  });
});
