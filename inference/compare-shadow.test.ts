import { describe, expect, it } from "vitest";
import { compareShadow } from "./compare-shadow";

const t = (datatype: "FP32" | "INT64", shape: number[], data: number[]) =>
  new Map([["y", { datatype, shape, data: datatype === "INT64" ? BigInt64Array.from(data.map(BigInt)) : Float32Array.from(data) }]]);

describe("compareShadow", () => {
  it("compares classifier rows by argmax", () => {
    expect(compareShadow(t("FP32", [2, 2], [0.9, 0.1, 0.2, 0.8]), t("FP32", [2, 2], [0.6, 0.4, 0.3, 0.7]))?.agree).toBe(true);
    const diff = compareShadow(t("FP32", [2, 2], [0.9, 0.1, 0.2, 0.8]), t("FP32", [2, 2], [0.4, 0.6, 0.3, 0.7]))!;
    expect(diff.agree).toBe(false);
    expect(diff.absDiff).toBeCloseTo((0.5 + 0.5 + 0.1 + 0.1) / 4, 6);
  });

  it("uses the mean absolute difference otherwise", () => {
    expect(compareShadow(t("INT64", [3], [1, 2, 3]), t("INT64", [3], [1, 2, 3]))).toEqual({ agree: true, absDiff: 0 });
    expect(compareShadow(t("INT64", [2], [1, 2]), t("INT64", [2], [1, 4]))).toEqual({ agree: false, absDiff: 1 });
  });

  it("returns nothing when the answers cannot be compared", () => {
    expect(compareShadow(t("FP32", [2], [1, 2]), t("FP32", [3], [1, 2, 3]))).toBeUndefined();
  });
});
