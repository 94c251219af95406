import { describe, expect, it } from "vitest";
import { msprt, msprtPoint, type ProportionCounts } from "./msprt";

/** mulberry32: a tiny seeded PRNG so the simulations are reproducible. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function binomial(n: number, p: number, random: () => number) {
  let x = 0;
  for (let i = 0; i < n; i++) if (random() < p) x++;
  return x;
}

/** Cumulative looks of an experiment: `batches` batches of `size` trials per arm. */
function simulate(pa: number, pb: number, batches: number, size: number, random: () => number) {
  const looks: { a: ProportionCounts; b: ProportionCounts }[] = [];
  const a = { n: 0, x: 0 };
  const b = { n: 0, x: 0 };
  for (let i = 0; i < batches; i++) {
    a.n += size;
    a.x += binomial(size, pa, random);
    b.n += size;
    b.x += binomial(size, pb, random);
    looks.push({ a: { ...a }, b: { ...b } });
  }
  return looks;
}

describe("msprtPoint", () => {
  it("gives Λ below 1 at no observed difference and growing with the difference", () => {
    const none = msprtPoint({ n: 1000, x: 100 }, { n: 1000, x: 100 }, 0.05, 0.03);
    expect(none.difference).toBe(0);
    expect(none.likelihoodRatio).toBeLessThan(1);
    const some = msprtPoint({ n: 1000, x: 100 }, { n: 1000, x: 130 }, 0.05, 0.03);
    const more = msprtPoint({ n: 1000, x: 100 }, { n: 1000, x: 160 }, 0.05, 0.03);
    expect(more.likelihoodRatio).toBeGreaterThan(some.likelihoodRatio);
    expect(some.likelihoodRatio).toBeGreaterThan(none.likelihoodRatio);
  });

  it("has an interval that excludes 0 exactly when Λ(0) ≥ 1/α", () => {
    for (const xb of [100, 110, 120, 125, 130, 140, 160]) {
      const p = msprtPoint({ n: 2000, x: 200 }, { n: 2000, x: xb }, 0.05, 0.03);
      const excludesZero = Math.abs(p.difference) > p.halfWidth;
      expect(excludesZero).toBe(p.likelihoodRatio >= 20);
    }
  });

  it("is wider than a fixed-horizon 95 % interval (the price of peeking)", () => {
    const p = msprtPoint({ n: 5000, x: 500 }, { n: 5000, x: 500 }, 0.05, 0.03);
    expect(p.halfWidth).toBeGreaterThan(1.96 * Math.sqrt(p.variance));
  });
});

describe("msprt", () => {
  it("says nothing before both arms have the minimum number of trials", () => {
    const r = msprt([{ a: { n: 50, x: 0 }, b: { n: 50, x: 50 } }], { better: "lower" });
    expect(r.verdict).toBe("no difference yet");
    expect(r.pValue).toBeLessThan(0.05);
  });

  it("finds the better arm by direction: lower error rate, higher accuracy", () => {
    const looks = [{ a: { n: 2000, x: 200 }, b: { n: 2000, x: 100 } }];
    expect(msprt(looks, { better: "lower" }).verdict).toBe("B is better");
    expect(msprt(looks, { better: "higher" }).verdict).toBe("A is better");
    const r = msprt(looks, { better: "lower" });
    expect(r.ci[1]).toBeLessThan(0);
    expect(r.difference).toBeCloseTo(-0.05, 10);
  });

  it("declares no difference once the always-valid interval fits inside the margin", () => {
    const few = msprt([{ a: { n: 200, x: 2 }, b: { n: 200, x: 2 } }], { better: "lower" });
    expect(few.verdict).toBe("no difference yet");
    const many = msprt([{ a: { n: 20_000, x: 10 }, b: { n: 20_000, x: 11 } }], { better: "lower" });
    expect(many.verdict).toBe("no difference");
    expect(many.ci[0]).toBeGreaterThanOrEqual(-0.005);
    expect(many.ci[1]).toBeLessThanOrEqual(0.005);
  });

  it("keeps the smallest p-value and the intersected interval across looks", () => {
    const looks = [
      { a: { n: 1000, x: 100 }, b: { n: 1000, x: 160 } },
      { a: { n: 2000, x: 200 }, b: { n: 2000, x: 230 } },
    ];
    const all = msprt(looks, { better: "lower" });
    const lastOnly = msprt(looks.slice(1), { better: "lower" });
    const firstOnly = msprt(looks.slice(0, 1), { better: "lower" });
    expect(all.pValue).toBe(firstOnly.pValue);
    expect(all.pValue).toBeLessThan(lastOnly.pValue);
    expect(all.ci[0]).toBeGreaterThanOrEqual(Math.max(firstOnly.ci[0], lastOnly.ci[0]) - 1e-12);
    expect(all.looks).toBe(2);
  });

  it("keeps the A/A false-positive rate at or below α when checked after every batch", () => {
    const random = rng(12345);
    const experiments = 200;
    let falsePositives = 0;
    for (let e = 0; e < experiments; e++) {
      const looks = simulate(0.1, 0.1, 40, 50, random);
      for (let k = 1; k <= looks.length; k++) {
        const v = msprt(looks.slice(0, k), { better: "lower", minSamples: 0 }).verdict;
        if (v === "A is better" || v === "B is better") {
          falsePositives++;
          break;
        }
      }
    }
    expect(falsePositives / experiments).toBeLessThanOrEqual(0.05);
  });

  it("a naive fixed-horizon z-test peeked at after every batch is fooled far more often (the simulation can fail)", () => {
    const random = rng(777);
    let naive = 0;
    for (let e = 0; e < 200; e++) {
      const looks = simulate(0.1, 0.1, 40, 50, random);
      if (looks.some(({ a, b }) => Math.abs(b.x / b.n - a.x / a.n) > 1.96 * Math.sqrt(msprtPoint(a, b, 0.05, 0.03).variance))) naive++;
    }
    expect(naive / 200).toBeGreaterThan(0.1);
  });

  it("detects a real improvement (power)", () => {
    const random = rng(99);
    let found = 0;
    for (let e = 0; e < 50; e++) {
      const r = msprt(simulate(0.1, 0.05, 40, 100, random), { better: "lower" });
      if (r.verdict === "B is better") found++;
      expect(r.verdict).not.toBe("A is better");
    }
    expect(found).toBeGreaterThan(40);
  });
});
