import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { LATENCY_BOUNDS_MS, LATENCY_BUCKET_COUNT, bucketIndex, emptyBuckets, mergeBucketsInto, quantileFromBuckets } from "./latency-buckets";

describe("latency buckets", () => {
  it("puts a value on a bound into that bound's bucket and overflow into the last", () => {
    expect(bucketIndex(0)).toBe(0);
    expect(bucketIndex(0.1)).toBe(0);
    expect(bucketIndex(0.11)).toBe(1);
    expect(bucketIndex(1)).toBe(LATENCY_BOUNDS_MS.indexOf(1));
    expect(bucketIndex(1e9)).toBe(LATENCY_BUCKET_COUNT - 1);
  });

  it("returns null for an empty histogram", () => {
    expect(quantileFromBuckets(emptyBuckets(), 0.5)).toBeNull();
  });

  it("keeps every quantile inside the bucket of the exact sample quantile", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 9000, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.constantFrom(0.5, 0.95, 0.99), (xs, q) => {
        const b = emptyBuckets();
        for (const x of xs) b[bucketIndex(x)]++;
        const sorted = [...xs].sort((a, c) => a - c);
        const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
        const est = quantileFromBuckets(b, q)!;
        const i = bucketIndex(exact);
        const lo = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1];
        const hi = i < LATENCY_BOUNDS_MS.length ? LATENCY_BOUNDS_MS[i] : Infinity;
        expect(est).toBeGreaterThanOrEqual(lo - 1e-9);
        expect(est).toBeLessThanOrEqual(hi + 1e-9);
      }),
    );
  });

  it("merges histograms so the merged quantile equals the quantile of the union", () => {
    const a = emptyBuckets();
    const b = emptyBuckets();
    [1, 2, 3].forEach((x) => a[bucketIndex(x)]++);
    [40, 50, 60].forEach((x) => b[bucketIndex(x)]++);
    const union = emptyBuckets();
    [1, 2, 3, 40, 50, 60].forEach((x) => union[bucketIndex(x)]++);
    expect(mergeBucketsInto(emptyBuckets(), a).map((v, i) => v + b[i])).toEqual(union);
    expect(quantileFromBuckets(mergeBucketsInto(a, b), 0.99)).toBe(quantileFromBuckets(union, 0.99));
  });
});
