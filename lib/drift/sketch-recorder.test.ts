import { describe, expect, it } from "vitest";
import { buildDriftSpec, type DriftSpec } from "@/lib/drift/drift-spec";
import { createSketchRecorder, type DriftSketchRow } from "@/lib/drift/sketch-recorder";
import { deserializeSketch, type CategoricalSketch, type NumericSketch } from "@/lib/drift/sketch";
import { summarizeReference } from "@/lib/drift/summarize-reference";

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const signature = {
  inputs: [{ name: "x", datatype: "FP32" as const, shape: [-1, 3] }],
  outputs: [{ name: "probs", datatype: "FP32" as const, shape: [-1, 2] }, { name: "score", datatype: "FP32" as const, shape: [-1] }],
};
// a: continuous, b: discrete 0.1/0.2/0.3 (float32 rounding matters), c: categorical ints
const refRows = Array.from({ length: 300 }, (_, i) => [i / 10, [0.1, 0.2, 0.3][i % 3], i % 2]);
const summary = summarizeReference(refRows, ["a", "b", "c"]);
const spec = buildDriftSpec(summary, signature)!;

function tensor(rows: number[][]) {
  return { datatype: "FP32", shape: [rows.length, rows[0].length], data: Float32Array.from(rows.flat()) };
}

const byFeature = (rows: DriftSketchRow[]) => new Map(rows.map((r) => [r.feature, deserializeSketch(r.sketch)]));

describe("buildDriftSpec", () => {
  it("binds each reference column to its input column and sketches classifier outputs as classes", () => {
    expect(spec.features.map((f) => [f.name, f.input, f.column, f.spec.kind])).toEqual([
      ["a", "x", 0, "numeric"], ["b", "x", 1, "numeric"], ["c", "x", 2, "categorical"],
    ]);
    expect(spec.outputs).toEqual([{ name: "probs", mode: "class", spec: { kind: "categorical", categories: ["0", "1"] } }]);
    expect(buildDriftSpec(null, signature)).toBeNull();
  });
});

describe("createSketchRecorder", () => {
  it("splits a [rows, N] input into its columns and counts each row once per feature", () => {
    const rec = createSketchRecorder({ loadSpec: () => spec, now: () => T0 });
    rec.record({
      endpointId: "e", version: 1, at: new Date(T0 + 5_000),
      inputs: new Map([["x", tensor([[1, 0.3, 1], [2, 0.1, 0], [NaN, 0.3, 7]])]]),
      outputs: new Map([["probs", tensor([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6]])]]),
    });
    const rows = rec.drain(T0 + 10_000);
    expect(rows.map((r) => r.feature).sort()).toEqual(["input:a", "input:b", "input:c", "output:probs"]);
    expect(rows.every((r) => r.minute.getTime() === T0 && r.endpointId === "e" && r.version === 1)).toBe(true);
    const s = byFeature(rows);
    const a = s.get("input:a") as NumericSketch;
    expect([a.count, a.missing, a.sum]).toEqual([3, 1, 3]);
    // 0.3 and 0.1 as float32 still fall in the reference's own bins, not outside the range.
    const b = s.get("input:b") as NumericSketch;
    expect(b.outOfRange).toBe(0);
    expect(b.bins.filter((c) => c > 0)).toEqual([1, 2]);
    const c = s.get("input:c") as CategoricalSketch;
    expect(c.counts).toMatchObject({ "0": 1, "1": 1, __other__: 1 });
    const p = s.get("output:probs") as CategoricalSketch;
    expect(p.counts).toMatchObject({ "0": 1, "1": 2 });
  });

  it("counts each output row's class (its largest score, the first of ties; none when no score is a number)", () => {
    const rec = createSketchRecorder({ loadSpec: () => spec, now: () => T0 });
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const scores: number[][] = [[NaN, NaN], [0.5, 0.5], [-Infinity, -Infinity], [NaN, 0.2], [0.3, NaN], [-Infinity, 1]];
    for (let i = 0; i < 500; i++) scores.push([random(), random()]);
    const expected: Record<string, number> = { "0": 0, "1": 0 };
    let missing = 0;
    for (const [a, b] of scores) {
      if (!(a > -Infinity) && !(b > -Infinity)) missing++;
      else expected[b > a || !(a > -Infinity) ? "1" : "0"]++;
    }
    rec.record({
      endpointId: "e", version: 1, at: new Date(T0 + 5_000),
      inputs: new Map([["x", tensor(scores.map(() => [1, 0.3, 1]))]]),
      outputs: new Map([["probs", tensor(scores)]]),
    });
    const p = byFeature(rec.drain(T0 + 10_000)).get("output:probs") as CategoricalSketch;
    expect(p.count).toBe(scores.length);
    expect(p.missing).toBe(missing);
    expect(p.counts).toMatchObject(expected);
    expect(missing).toBe(2);
  });

  it("keeps minutes cumulative, returns only changed sketches, and drops values for evicted minutes as late", () => {
    const rec = createSketchRecorder({ loadSpec: () => spec, graceMinutes: 1 });
    const x = (v: number) => new Map([["x", tensor([[v, 0.2, 0]])]]);
    rec.record({ endpointId: "e", version: 1, at: new Date(T0), inputs: x(1) });
    expect(rec.drain(T0 + 1_000)).toHaveLength(3);
    expect(rec.drain(T0 + 2_000)).toHaveLength(0);
    rec.record({ endpointId: "e", version: 1, at: new Date(T0 + 30_000), inputs: x(2) });
    const again = byFeature(rec.drain(T0 + 40_000));
    expect((again.get("input:a") as NumericSketch).count).toBe(2); // cumulative, not a delta
    rec.drain(T0 + 3 * 60_000); // the minute ends its grace period and is evicted
    expect(rec.stats().sketches).toBe(0);
    rec.record({ endpointId: "e", version: 1, at: new Date(T0 + 50_000), inputs: x(3) });
    expect(rec.stats().late).toBe(1);
    expect(rec.drain(T0 + 3 * 60_000 + 1)).toHaveLength(0);
  });

  it("bounds memory: a record needing more sketches than allowed is dropped whole and counted", () => {
    const rec = createSketchRecorder({ loadSpec: () => spec, maxSketches: 7 });
    const inputs = new Map([["x", tensor([[1, 0.2, 0]])]]);
    rec.record({ endpointId: "e", version: 1, at: new Date(T0), inputs }); // 3 sketches
    rec.record({ endpointId: "e", version: 2, at: new Date(T0), inputs }); // 6
    rec.record({ endpointId: "e", version: 3, at: new Date(T0), inputs }); // would be 9
    rec.record({ endpointId: "e", version: 1, at: new Date(T0 + 1), inputs }); // existing sketches: fine
    expect(rec.stats()).toMatchObject({ sketches: 6, dropped: 1 });
    expect((byFeature(rec.drain(T0)).get("input:a") as NumericSketch).count).toBeGreaterThan(0);
  });

  it("waits for an async spec and records nothing without one", async () => {
    let loads = 0;
    const rec = createSketchRecorder({
      loadSpec: async (endpointId) => {
        loads++;
        return endpointId === "with-ref" ? spec : null;
      },
      graceMinutes: 0,
    });
    const inputs = new Map([["x", tensor([[1, 0.2, 1]])]]);
    await Promise.all([
      rec.record({ endpointId: "with-ref", version: 1, at: new Date(T0), inputs }),
      rec.record({ endpointId: "with-ref", version: 1, at: new Date(T0), inputs }),
      rec.record({ endpointId: "no-ref", version: 1, at: new Date(T0), inputs }),
    ]);
    expect(loads).toBe(2);
    const rows = rec.drain(T0 + 2 * 60_000); // drained and evicted
    expect(rows).toHaveLength(3);
    expect((byFeature(rows).get("input:a") as NumericSketch).count).toBe(2);
  });

  it("reads one-value-per-row inputs and 64-bit integers", () => {
    const two: DriftSpec = {
      features: [
        { name: "age", input: "age", column: 0, spec: summary.features[0].spec },
        { name: "kind", input: "kind", column: 0, spec: summary.features[2].spec },
      ],
      outputs: [],
    };
    const rec = createSketchRecorder({ loadSpec: () => two });
    rec.record({
      endpointId: "e", version: 1, at: new Date(T0),
      inputs: { age: { datatype: "FP64", shape: [2, 1], data: Float64Array.from([3, 4]) }, kind: { datatype: "INT64", shape: [2], data: BigInt64Array.from([1n, 0n]) } },
    });
    const s = byFeature(rec.drain(T0));
    expect((s.get("input:age") as NumericSketch).sum).toBe(7);
    expect((s.get("input:kind") as CategoricalSketch).counts).toMatchObject({ "0": 1, "1": 1 });
  });
});
