import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { driftFromSketches } from "@/lib/drift/drift-from-sketches";
import { evaluateFeatureDrift } from "@/lib/drift/evaluate-feature-drift";
import { mixSeed, nextRandom } from "@/lib/drift/seeded-random";
import {
  addNumbers,
  addValue, binIndex, createSketchSpec, deserializeSketch, mergeSketches, newSketch, serializeSketch,
  type NumericSketch, type Sketch, type SketchSpec,
} from "@/lib/drift/sketch";
import { summarizeReference } from "@/lib/drift/summarize-reference";

function gaussian(seed: number, n: number, mean = 0, sd = 1): number[] {
  let state = mixSeed(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const [u1, s1] = nextRandom(state);
    const [u2, s2] = nextRandom(s1);
    state = s2;
    out.push(Math.round((mean + sd * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2)) * 1e5) / 1e5);
  }
  return out;
}

const reference = gaussian(1, 600);
const numericSpec = createSketchSpec(reference, "numeric", { reservoirSize: 50 });
const categoricalSpec = createSketchSpec(["a", "b", "b", "c", "c", "c"], "categorical", { maxCategories: 2 });

function sketchOf(spec: SketchSpec, values: readonly unknown[], seed = 0): Sketch {
  const s = newSketch(spec, seed);
  for (const v of values) addValue(s, v);
  return s;
}

const countsOf = (s: Sketch) =>
  s.kind === "numeric"
    ? { count: s.count, missing: s.missing, outOfRange: s.outOfRange, bins: s.bins, min: s.min, max: s.max, seen: s.reservoir.seen }
    : { count: s.count, missing: s.missing, counts: s.counts };

const numericValue = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -6, max: 6, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(null, Number.NaN, Infinity, -50, 50, numericSpec.kind === "numeric" ? numericSpec.edges[3] : 0) },
);
const categoryValue = fc.oneof(fc.constantFrom("a", "b", "c", "d", null, "toString", "__proto__", "constructor"), fc.string({ maxLength: 2 }));

describe("numeric sketch merge", () => {
  it("merge(a, b) has the counts of one sketch over the concatenated data", () => {
    fc.assert(fc.property(fc.array(numericValue, { maxLength: 300 }), fc.array(numericValue, { maxLength: 300 }), (a, b) => {
      const merged = mergeSketches(sketchOf(numericSpec, a, 1), sketchOf(numericSpec, b, 2)) as NumericSketch;
      const whole = sketchOf(numericSpec, [...a, ...b]) as NumericSketch;
      expect(countsOf(merged)).toEqual(countsOf(whole));
      expect(merged.sum).toBeCloseTo(whole.sum, 6);
      expect(merged.sumSquares).toBeCloseTo(whole.sumSquares, 4);
      expect(merged.bins.reduce((x, y) => x + y, 0)).toBe(whole.count - whole.missing);
    }));
  });

  it("counts do not depend on merge order or grouping", () => {
    fc.assert(fc.property(fc.array(fc.array(numericValue, { maxLength: 80 }), { minLength: 1, maxLength: 6 }), fc.integer(), (parts, seed) => {
      const sketches = parts.map((p, i) => sketchOf(numericSpec, p, i));
      const left = sketches.reduce((acc, s) => mergeSketches(acc, s));
      const right = [...sketches].reverse().reduce((acc, s) => mergeSketches(s, acc));
      const shuffled = [...sketches].sort((x, y) => mixSeed(seed, x.count) - mixSeed(seed, y.count)).reduce((acc, s) => mergeSketches(acc, s));
      expect(countsOf(left)).toEqual(countsOf(right));
      expect(countsOf(left)).toEqual(countsOf(shuffled));
    }));
  });

  it("keeps a bounded reservoir drawn from the data, and everything when it fits", () => {
    fc.assert(fc.property(fc.array(fc.array(numericValue, { maxLength: 60 }), { minLength: 1, maxLength: 5 }), (parts) => {
      const merged = parts.map((p, i) => sketchOf(numericSpec, p, i)).reduce((acc, s) => mergeSketches(acc, s)) as NumericSketch;
      const valid = parts.flat().filter((v): v is number => typeof v === "number" && Number.isFinite(v));
      expect(merged.reservoir.values.length).toBe(Math.min(valid.length, 50));
      const pool = new Map<number, number>();
      for (const v of valid) pool.set(v, (pool.get(v) ?? 0) + 1);
      for (const v of merged.reservoir.values) {
        expect(pool.get(v) ?? 0).toBeGreaterThan(0);
        pool.set(v, pool.get(v)! - 1);
      }
      if (valid.length <= 50) expect([...merged.reservoir.values].sort()).toEqual([...valid].sort());
    }));
  });

  it("keeps every value of a stream with the same chance, early or late", () => {
    // 1,000 values through a 50-slot reservoir, 400 seeds: each decile of the stream should hold a tenth of the
    // 20,000 slots (2,000; σ ≈ 42, so ±8 % is about 4σ). A sampler that favours the fill phase or the tail fails.
    const spec = createSketchSpec(gaussian(1, 100), "numeric", { reservoirSize: 50 });
    const deciles = new Array(10).fill(0);
    const stream = Array.from({ length: 1000 }, (_, i) => i);
    for (let seed = 0; seed < 400; seed++) {
      const sketch = newSketch(spec, seed) as NumericSketch;
      // In pieces of varying length, as the data plane adds them (the sampler's state crosses calls).
      for (let at = 0, piece = 1; at < stream.length; at += piece, piece = (piece * 7) % 61 + 1) addNumbers(sketch, stream, at, 1, Math.min(piece, stream.length - at));
      expect(sketch.reservoir.values).toHaveLength(50);
      for (const v of sketch.reservoir.values) deciles[Math.floor(v / 100)]++;
    }
    for (const n of deciles) {
      expect(n).toBeGreaterThan(1840);
      expect(n).toBeLessThan(2160);
    }
  });

  it("samples on after a JSON round trip exactly as without one, and uniformly after a merge", () => {
    // Past its fill the reservoir skips ahead (Algorithm L) with state kept in the sketch: a stored and reloaded
    // sketch must carry it. A merged reservoir has none and samples per value (Algorithm R) — still uniformly.
    const spec = createSketchSpec(gaussian(1, 100), "numeric", { reservoirSize: 50 });
    const stream = Array.from({ length: 3000 }, (_, i) => i);
    const straight = newSketch(spec, 3) as NumericSketch;
    addNumbers(straight, stream, 0, 1, stream.length);
    const first = newSketch(spec, 3) as NumericSketch;
    addNumbers(first, stream, 0, 1, 1200);
    const reloaded = deserializeSketch(serializeSketch(first)) as NumericSketch;
    addNumbers(reloaded, stream, 1200, 1, stream.length - 1200);
    expect(reloaded).toEqual(straight);

    let late = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const merged = mergeSketches(sketchOf(numericSpec, new Array(500).fill(0), t), sketchOf(numericSpec, new Array(500).fill(1), t + 5_000)) as NumericSketch;
      addNumbers(merged, new Array(1000).fill(2), 0, 1, 1000);
      late += merged.reservoir.values.filter((v) => v === 2).length;
    }
    // Half the stream came after the merge: half the slots (±2 % is over 4σ for 10,000 slots).
    expect(late / (trials * 50)).toBeGreaterThan(0.48);
    expect(late / (trials * 50)).toBeLessThan(0.52);
  });

  it("merges reservoirs in proportion to what each side has seen", () => {
    let ones = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const a = sketchOf(numericSpec, new Array(1000).fill(0), t);
      const b = sketchOf(numericSpec, new Array(3000).fill(1), t + 10_000);
      ones += (mergeSketches(a, b) as NumericSketch).reservoir.values.filter((v) => v === 1).length;
    }
    // 75 % of the pooled population; 200 · 50 draws put the mean within ±1.5 % with overwhelming odds.
    expect(ones / (trials * 50)).toBeGreaterThan(0.735);
    expect(ones / (trials * 50)).toBeLessThan(0.765);
  });

  it("is deterministic for a seed and round-trips through JSON", () => {
    const values = gaussian(5, 500);
    const s1 = sketchOf(numericSpec, values, 42);
    const s2 = sketchOf(numericSpec, values, 42);
    expect(s1).toEqual(s2);
    const copy = deserializeSketch(serializeSketch(s1));
    expect(copy).toEqual(s1);
    addValue(copy, 1);
    expect(copy.count).toBe(s1.count + 1);
    expect(() => deserializeSketch("{\"kind\":\"numeric\",\"edges\":[0,1],\"bins\":[0]}")).toThrow();
    const other = newSketch(createSketchSpec([1, 2, 3], "numeric"));
    expect(() => mergeSketches(s1, other)).toThrow();
  });

  it("bins like numpy.histogram inside the reference range and counts the outside", () => {
    expect([binIndex([0, 1, 2], -1), binIndex([0, 1, 2], 0), binIndex([0, 1, 2], 1), binIndex([0, 1, 2], 2), binIndex([0, 1, 2], 2.1)]).toEqual([0, 1, 2, 2, 3]);
    expect([binIndex([5], 4), binIndex([5], 5), binIndex([5], 6)]).toEqual([0, 1, 2]);
    const s = sketchOf(createSketchSpec([0, 1, 2, 3], "numeric"), [-1, 0, 3, 4, null, "x"]) as NumericSketch;
    expect(s).toMatchObject({ count: 6, missing: 2, outOfRange: 2, min: -1, max: 4 });
  });
});

describe("skipped rows", () => {
  it("add up through merges of either kind, survive serialization, and stay absent when there are none", () => {
    fc.assert(fc.property(fc.array(fc.nat(1_000), { minLength: 1, maxLength: 6 }), fc.boolean(), (skips, categorical) => {
      const spec = categorical ? categoricalSpec : numericSpec;
      const sketches = skips.map((n, i) => {
        const s = sketchOf(spec, categorical ? ["a", "c"] : [1, 2], i);
        if (n > 0) s.skipped = n;
        return deserializeSketch(serializeSketch(s));
      });
      const merged = sketches.reduce((acc, s) => mergeSketches(acc, s));
      const total = skips.reduce((x, y) => x + y, 0);
      expect(merged.skipped).toBe(total > 0 ? total : undefined);
      expect(merged.count).toBe(2 * skips.length);
    }));
  });
});

describe("addNumbers", () => {
  it("leaves a sketch exactly as addValue on each value would (bins, moments, min/max, missing, reservoir)", () => {
    const value = fc.oneof(fc.double({ min: -100, max: 100, noNaN: true }), fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 3));
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 0, maxLength: 30 }),
        fc.array(value, { minLength: 0, maxLength: 400 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer(),
        (reference, values, stride, reservoirSize, seed) => {
          const spec = createSketchSpec(reference, "numeric", { reservoirSize, seed });
          const one = newSketch(spec, 7);
          const column = newSketch(spec, 7);
          const data = new Float64Array(values.length * stride);
          values.forEach((v, i) => (data[i * stride + (stride - 1)] = v));
          for (const v of values) addValue(one, v);
          if (column.kind !== "numeric") throw new Error("numeric spec made a categorical sketch");
          addNumbers(column, data, stride - 1, stride, values.length);
          expect(column).toEqual(one);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("bins every value as binIndex does (numpy's rule), on, just below and just above each edge", () => {
    // addNumbers finds bins through a table of equal cells; values rounded across a cell boundary, several edges in
    // one cell (a clustered reference) and FP32-rounded edges must all land where binIndex puts them.
    const step = (x: number, dir: 1 | -1) => {
      const f = new Float64Array([x]);
      const bits = new BigInt64Array(f.buffer);
      if (x === 0) return dir * Number.MIN_VALUE;
      bits[0] += (x > 0) === (dir > 0) ? 1n : -1n;
      return f[0];
    };
    const referenceValue = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e-3, max: 1e-3, noNaN: true }), fc.integer({ min: -5, max: 5 }), fc.double({ min: 1e6, max: 1e6 + 1e-8, noNaN: true }));
    fc.assert(
      fc.property(fc.array(referenceValue, { minLength: 1, maxLength: 80 }), fc.array(fc.double({ noNaN: true }), { maxLength: 50 }), (reference, extra) => {
        const spec = createSketchSpec(reference, "numeric");
        if (spec.kind !== "numeric") throw new Error("numeric spec made a categorical sketch");
        const lo = spec.edges[0] ?? 0;
        const hi = spec.edges[spec.edges.length - 1] ?? 0;
        // Across the range too, in steps finer than the table's cells, so values fall near every cell boundary.
        const across = Array.from({ length: 5000 }, (_, i) => lo + ((hi - lo) * (i - 50)) / 4900);
        const values = [...extra, ...across, ...spec.edges.flatMap((e) => [e, step(e, -1), step(e, 1), Math.fround(e), (e + step(e, 1)) / 2])];
        const sketch = newSketch(spec) as NumericSketch;
        addNumbers(sketch, values, 0, 1, values.length);
        const expected = new Array(sketch.bins.length).fill(0);
        for (const v of values) if (Number.isFinite(v)) expected[binIndex(sketch.edges, v)]++;
        expect(sketch.bins).toEqual(expected);
        expect(sketch.outOfRange).toBe(expected[0] + expected[expected.length - 1]);
      }),
      { numRuns: 500 },
    );
  });
});

describe("categorical sketch merge", () => {
  it("counts categories (top N from the reference, the rest as __other__) and merges exactly", () => {
    expect(categoricalSpec).toEqual({ kind: "categorical", categories: ["c", "b"] });
    fc.assert(fc.property(fc.array(categoryValue, { maxLength: 200 }), fc.array(categoryValue, { maxLength: 200 }), (a, b) => {
      const ab = mergeSketches(sketchOf(categoricalSpec, a), sketchOf(categoricalSpec, b));
      const ba = mergeSketches(sketchOf(categoricalSpec, b), sketchOf(categoricalSpec, a));
      const whole = sketchOf(categoricalSpec, [...a, ...b]);
      expect(countsOf(ab)).toEqual(countsOf(whole));
      expect(countsOf(ba)).toEqual(countsOf(whole));
      const all = [...a, ...b];
      const tally = (pred: (v: string) => boolean) => all.filter((v) => v !== null && pred(v)).length;
      expect(whole).toMatchObject({
        count: all.length, missing: tally(() => false) + all.filter((v) => v === null).length,
        counts: { c: tally((v) => v === "c"), b: tally((v) => v === "b"), __other__: tally((v) => v !== "b" && v !== "c") },
      });
    }));
  });
});

describe("driftFromSketches", () => {
  function minuteSketches(spec: SketchSpec, values: readonly unknown[], perMinute = 37): Sketch {
    const minutes: Sketch[] = [];
    for (let i = 0; i < values.length; i += perMinute) minutes.push(sketchOf(spec, values.slice(i, i + perMinute), i));
    return minutes.reduce((acc, s) => mergeSketches(acc, s));
  }

  it("equals the raw-sample evaluation when the reservoir holds every current value", () => {
    const rows = reference.map((x, i) => ({ x, grade: ["lo", "mid", "hi"][i % 3], level: i % 8 }));
    const summary = summarizeReference(rows, ["x", "grade", "level"], { reservoirSize: 200 });
    const current = gaussian(9, 180, 0.4).map((x, i) => ({ x, grade: ["lo", "mid", "hi", "hi"][i % 4], level: (i * 7) % 8 }));
    for (const f of summary.features) {
      const cur = current.map((r) => r[f.name as keyof typeof r]);
      const fromSketch = driftFromSketches(f.spec, f, minuteSketches(f.spec, cur));
      const raw = evaluateFeatureDrift({ name: f.name, kind: f.kind, reference: rows.map((r) => r[f.name as keyof typeof r]), current: cur });
      expect(fromSketch.method).toBe(raw.method);
      expect(fromSketch.kind).toBe(raw.kind);
      if (f.name === "x") {
        // The sample paths: full reference (600 ≤ 1000) and all 180 current values.
        expect(fromSketch.method).toBe("ks");
        expect(fromSketch.stats.ks_pvalue).toBe(raw.stats.ks_pvalue);
        expect(fromSketch.stats.wasserstein_norm).toBeCloseTo(raw.stats.wasserstein_norm!, 12);
        expect(fromSketch.drifted).toBe(true);
      } else {
        // One bin per value: the binned statistics are Evidently's own.
        for (const k of ["psi", "jensen_shannon", "chi2", "chi2_pvalue", "linf"] as const) {
          expect(fromSketch.stats[k], `${f.name}.${k}`).toBeCloseTo(raw.stats[k]!, 12);
        }
      }
    }
  });

  it("flags a shifted feature and not an unshifted one on a large reference", () => {
    const big = gaussian(11, 5000);
    const [summary] = summarizeReference(big.map((v) => [v]), ["f"]).features;
    expect(summary).toMatchObject({ kind: "numeric", n: 5000, unique: expect.any(Number) });
    expect(summary.sample).toHaveLength(1000);
    const calm = driftFromSketches(summary.spec, summary, minuteSketches(summary.spec, gaussian(12, 3000)));
    const shifted = driftFromSketches(summary.spec, summary, minuteSketches(summary.spec, [...gaussian(13, 2900, 1), null, NaN]));
    expect(calm).toMatchObject({ method: "wasserstein_norm", threshold: 0.1, drifted: false });
    expect(shifted).toMatchObject({ method: "wasserstein_norm", drifted: true });
    expect(shifted.stats.psi!).toBeGreaterThan(calm.stats.psi!);
    expect(shifted.quality).toMatchObject({ count: 2902, missing: 2 });
    expect(shifted.quality.outOfRange).toBeGreaterThan(0);
  });

  it("summarizes references by Evidently's kind rule", () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ small: i % 4, wide: i, flt: (i % 3) + 0.5, s: `k${i % 2}`, b: i % 2 === 0 }));
    const { features } = summarizeReference(rows, ["small", "wide", "flt", "s", "b"]);
    expect(features.map((f) => f.kind)).toEqual(["categorical", "numeric", "numeric", "categorical", "categorical"]);
    const wide = features[1];
    expect(wide).toMatchObject({ n: 40, unique: 40, min: 0, max: 39, mean: 19.5 });
    expect(wide.histogram).toMatchObject({ counts: [4, 4, 4, 4, 4, 4, 4, 4, 4, 4] });
    expect(wide.spec.kind === "numeric" && wide.spec.edges.length).toBe(21);
  });
});
