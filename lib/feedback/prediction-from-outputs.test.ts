import { describe, expect, it } from "vitest";
import { parseFeedbackBody } from "./feedback-body";
import { toLoggedTensors } from "@/lib/oip/logged-tensors";
import type { OipTensor } from "@/lib/oip/oip-tensor";
import { predictedClass, predictedLabels, predictedValue } from "./prediction-from-outputs";

describe("reading logged predictions", () => {
  const probs = { probs: { datatype: "FP32", shape: [2, 3], data: [0.1, 0.7, 0.2, 0.9, 0.05, 0.05] } };

  it("classifies by the argmax of the first row of the first 2-D float output", () => {
    expect(predictedClass(probs)).toBe(1);
    expect(predictedLabels(probs)).toEqual(["1"]);
    expect(predictedClass({ ids: { datatype: "INT64", shape: [1, 3], data: [5, 9, 1] }, ...probs })).toBe(1);
  });

  it("names the predicted class by the version's label for that output too, so feedback may give either", () => {
    expect(predictedLabels(probs, { probs: ["legit", "fraud", "review"] })).toEqual(["1", "fraud"]);
    // Labels of another output, or too few, leave the index alone.
    expect(predictedLabels(probs, { scores: ["legit", "fraud", "review"] })).toEqual(["1"]);
    expect(predictedLabels(probs, { probs: ["legit"] })).toEqual(["1"]);
  });

  it("reads outputs as the data plane logs them (raw bytes)", () => {
    const logged = (name: string, t: OipTensor) => JSON.parse(JSON.stringify(toLoggedTensors(new Map([[name, t]]))));
    expect(predictedClass(logged("probs", { datatype: "FP32", shape: [2, 3], data: Float32Array.from([0.1, 0.2, 0.7, 0.9, 0.05, 0.05]) }))).toBe(2);
    expect(predictedLabels(logged("label", { datatype: "INT64", shape: [1], data: BigInt64Array.from([4n]) }))).toEqual(["4"]);
    expect(predictedValue(logged("y", { datatype: "FP64", shape: [1, 1], data: Float64Array.from([-2.5]) }))).toBe(-2.5);
  });

  it("falls back to the first value for models without scores", () => {
    const labelled = { label: { datatype: "INT64", shape: [1], data: [4] } };
    expect(predictedClass(labelled)).toBeUndefined();
    expect(predictedLabels(labelled)).toEqual(["4"]);
    expect(predictedLabels({ label: { datatype: "BYTES", shape: [1], data: ["cat"] } })).toEqual(["cat"]);
  });

  it("reads a regression value and refuses what is not a number", () => {
    expect(predictedValue({ y: { datatype: "FP32", shape: [1, 1], data: [3.5] } })).toBe(3.5);
    expect(predictedValue({ y: { datatype: "FP32", shape: [1], data: ["NaN"] } })).toBeUndefined();
    expect(predictedValue(null)).toBeUndefined();
    expect(predictedValue({ y: "junk" })).toBeUndefined();
  });
});

describe("parseFeedbackBody", () => {
  it("accepts {items}, a bare array and a single item; the last duplicate wins", () => {
    expect(parseFeedbackBody({ items: [{ request_id: "a", label: 1 }] })).toEqual([{ request_id: "a", label: 1 }]);
    expect(parseFeedbackBody([{ request_id: "a", value: 2 }, { request_id: "a", value: 3 }])).toEqual([{ request_id: "a", value: 3 }]);
    expect(parseFeedbackBody({ request_id: "b", label: "cat" })).toEqual([{ request_id: "b", label: "cat" }]);
  });

  it("refuses items without ground truth, unknown fields and oversized batches", () => {
    expect(() => parseFeedbackBody({ items: [{ request_id: "a" }] })).toThrow(/label/);
    expect(() => parseFeedbackBody({ items: [{ request_id: "a", label: 1, lable: 2 }] })).toThrow();
    expect(() => parseFeedbackBody({ items: [] })).toThrow();
    expect(() => parseFeedbackBody({ items: Array.from({ length: 10_001 }, (_, i) => ({ request_id: String(i), value: 1 })) })).toThrow(/10000/);
    expect(parseFeedbackBody({ items: Array.from({ length: 10_000 }, (_, i) => ({ request_id: String(i), value: 1 })) })).toHaveLength(10_000);
  });
});
