import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classify, readClassification } from "./classification";
import { floatToHalf } from "./float16";
import { oipMessage } from "./test-support";

/** The top `k` of one row by a plain sort of (value, index) pairs: the reference. */
function topK(row: number[], k: number): string[] {
  return row
    .map((v, i) => ({ v, i }))
    .sort((a, b) => (Number.isNaN(a.v) ? 1 : 0) - (Number.isNaN(b.v) ? 1 : 0) || b.v - a.v || a.i - b.i)
    .slice(0, k)
    .map(({ v, i }) => `${Number.isNaN(v) ? "nan" : v.toFixed(6)}:${i}`);
}

describe("classify (Triton's classification extension)", () => {
  it("answers each row's highest-valued classes as value:index strings, as Triton's documentation shows", () => {
    const out = classify({ datatype: "FP32", shape: [2, 4], data: Float32Array.from([1.1, 3.3, 0.5, 2.4, 0, 1, 1, -1]) }, 2, true);
    expect(out).toEqual({ datatype: "BYTES", shape: [2, 2], data: ["3.300000:1", "2.400000:3", "1.000000:1", "1.000000:2"] });
  });

  it("adds each class's label as a third part when the version has labels, as Triton does with a label file", () => {
    const out = classify({ datatype: "FP32", shape: [2, 3], data: Float32Array.from([0.2, 0.7, 0.1, 0.5, 0.1, 0.4]) }, 2, true, ["cat", "dog: big"]);
    // Class 2 has no label (the list is shorter): written as value:index, as Triton writes a class past its label file.
    expect(out.data).toEqual(["0.700000:1:dog: big", "0.200000:0:cat", "0.500000:0:cat", "0.400000:2"]);
  });

  it("orders any row as a plain sort does: highest first, equal values by index, NaN last", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), fc.constantFrom(NaN, 0, 1, -1)), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 15 }),
        (rows, row, k) => {
          const data = Array.from({ length: rows }, (_, r) => row.map((v) => (Number.isNaN(v) ? v : v + r)));
          const out = classify({ datatype: "FP64", shape: [rows, row.length], data: Float64Array.from(data.flat()) }, k, true);
          expect(out.shape).toEqual([rows, Math.min(k, row.length)]);
          expect(out.data).toEqual(data.flatMap((d) => topK(d, k)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("takes a whole tensor as one row when it has no batch axis, and never answers more classes than there are", () => {
    const out = classify({ datatype: "INT32", shape: [1, 3], data: Int32Array.from([7, -2, 9]) }, 5, false);
    expect(out).toEqual({ datatype: "BYTES", shape: [3], data: ["9:2", "7:0", "-2:1"] });
  });

  it("compares 64-bit integers exactly, and reads FP16 from its bits", () => {
    const big = classify({ datatype: "INT64", shape: [1, 3], data: BigInt64Array.from([2n ** 60n + 1n, 2n ** 60n, -1n]) }, 2, true);
    expect(big.data).toEqual([`${2n ** 60n + 1n}:0`, `${2n ** 60n}:1`]);
    const half = classify({ datatype: "FP16", shape: [1, 3], data: Uint16Array.from([0.5, -2, 1024].map(floatToHalf)) }, 1, true);
    expect(half.data).toEqual(["1024.000000:2"]);
    const inf = classify({ datatype: "FP32", shape: [3], data: Float32Array.from([-Infinity, NaN, Infinity]) }, 3, false);
    expect(inf.data).toEqual(["inf:2", "-inf:0", "nan:1"]);
  });

  it("answers an empty batch with no classes", () => {
    expect(classify({ datatype: "FP32", shape: [0, 4], data: new Float32Array(0) }, 2, true)).toEqual({ datatype: "BYTES", shape: [0, 0], data: [] });
  });
});

describe("readClassification", () => {
  const probs = { name: "probs", datatype: "FP32" as const, shape: [-1, 4] };
  it("takes a positive integer, and nothing when the parameter is absent", () => {
    expect(readClassification(probs, 3)).toBe(3);
    expect(readClassification(probs, undefined)).toBeUndefined();
  });

  it.each([0, -1, 1.5, "3", true])("refuses %j, saying what it takes", (value) => {
    expect(oipMessage(() => readClassification(probs, value))).toBe(
      `output 'probs': 'classification' must be a positive integer, the number of classes to answer (got ${JSON.stringify(value)})`,
    );
  });

  it("refuses a BYTES output", () => {
    expect(oipMessage(() => readClassification({ name: "names", datatype: "BYTES", shape: [-1] }, 2))).toBe("output 'names': classification needs a numeric output, and this one is BYTES");
  });
});
