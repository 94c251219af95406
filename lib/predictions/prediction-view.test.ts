import { describe, expect, it } from "vitest";
import { toLoggedTensors } from "@/lib/oip/logged-tensors";
import type { OipTensor } from "@/lib/oip/oip-tensor";
import { predictionView, shortFloat32, tensorPreview, tensorViews } from "./prediction-view";

const tensors = (entries: [string, OipTensor][]) => toLoggedTensors(new Map(entries));

describe("tensorViews", () => {
  it("decodes what the data plane logs, by name and in order, for numeric and BYTES tensors", () => {
    const stored = tensors([
      ["x", { datatype: "FP32", shape: [2, 2], data: new Float32Array([0.5, -1.25, 3, 4]) }],
      ["ids", { datatype: "INT64", shape: [2], data: new BigInt64Array([1n, 9007199254740993n]) }],
      ["text", { datatype: "BYTES", shape: [1], data: ["héllo"] }],
    ]);
    expect(tensorViews(JSON.parse(JSON.stringify(stored)))).toEqual([
      { name: "x", datatype: "FP32", shape: [2, 2], values: [0.5, -1.25, 3, 4], truncated: false },
      { name: "ids", datatype: "INT64", shape: [2], values: [1, "9007199254740993"], truncated: false },
      { name: "text", datatype: "BYTES", shape: [1], values: ["héllo"], truncated: false },
    ]);
  });

  it("says when only the head of a tensor was logged, and keeps a tensor it cannot decode as unreadable", () => {
    const big = tensors([["x", { datatype: "FP32", shape: [1, 300], data: new Float32Array(300).fill(1) }]]);
    const [view] = tensorViews(big);
    expect(view.truncated).toBe(true);
    expect(view.values).toHaveLength(256);
    expect(tensorViews({ x: { datatype: "FP32", shape: [1], raw: "AAA" } })).toEqual([{ name: "x", datatype: "FP32", shape: [1], values: null, truncated: false }]);
    expect(tensorViews(null)).toEqual([]);
    expect(tensorViews({ note: "not a tensor" })).toEqual([]);
  });
});

describe("predictionView", () => {
  it("shows the row with its ground truth", () => {
    const createdAt = new Date("2026-11-29T05:00:00Z");
    const view = predictionView(
      { id: 12345678901234567890n, requestId: "r1", version: 2, variant: "candidate", status: 200, latencyMs: 1.5, createdAt, inputs: tensors([["x", { datatype: "FP32", shape: [1, 1], data: new Float32Array([2]) }]]), outputs: null },
      { label: "fraud", value: null, createdAt },
    );
    expect(view).toEqual({
      id: "12345678901234567890", requestId: "r1", version: 2, variant: "candidate", status: 200, latencyMs: 1.5, createdAt: "2026-11-29T05:00:00.000Z",
      inputs: [{ name: "x", datatype: "FP32", shape: [1, 1], values: [2], truncated: false }],
      outputs: [],
      predictedClass: null,
      feedback: { label: "fraud", value: null, createdAt: "2026-11-29T05:00:00.000Z" },
    });
    expect(predictionView({ ...view, id: 1n, createdAt, inputs: null, outputs: null }).feedback).toBeNull();
  });

  it("names a one-row classifier's predicted class by the version's labels for that output, and leaves batches alone", () => {
    const row = (shape: number[], data: number[]) => ({
      id: 1n, requestId: "r", version: 1, variant: null, status: 200, latencyMs: 1, createdAt: new Date(0), inputs: null,
      outputs: tensors([["probs", { datatype: "FP32", shape, data: Float32Array.from(data) }]]),
    });
    expect(predictionView(row([1, 3], [0.2, 0.1, 0.7]), null, { probs: ["approve", "review", "decline"] }).predictedClass).toEqual({ index: 2, label: "decline" });
    expect(predictionView(row([1, 3], [0.2, 0.7, 0.1]), null, { scores: ["a", "b", "c"] }).predictedClass).toEqual({ index: 1, label: null });
    expect(predictionView(row([2, 3], [0.2, 0.1, 0.7, 0.9, 0, 0.1]), null, { probs: ["a", "b", "c"] }).predictedClass).toBeNull();
  });
});

describe("tensorPreview", () => {
  it("fits a tensor in a line: shape, the first values at 4 significant digits, and the count", () => {
    expect(tensorPreview({ name: "x", datatype: "FP32", shape: [1, 8], values: [0.123456, -2, 3, 4, 5, 6, 7, 8], truncated: false })).toBe("x [1,8] 0.1235, -2, 3, 4, 5, 6 … (8)");
    expect(tensorPreview({ name: "p", datatype: "FP32", shape: [1, 2], values: [0.25, 0.75], truncated: false })).toBe("p [1,2] 0.25, 0.75");
    expect(tensorPreview({ name: "t", datatype: "BYTES", shape: [1], values: ["a".repeat(30)], truncated: false })).toBe(`t [1] "${"a".repeat(24)}…"`);
    expect(tensorPreview({ name: "b", datatype: "BOOL", shape: [2], values: [true, false], truncated: false })).toBe("b [2] true, false");
    expect(tensorPreview({ name: "x", datatype: "FP32", shape: [1], values: null, truncated: false })).toBe("x [1] (not readable)");
  });
});

describe("shortFloat32", () => {
  it("prints a float32 as the shortest decimal that reads back as it", () => {
    expect(shortFloat32(Math.fround(2.951))).toBe(2.951);
    expect(shortFloat32(Math.fround(0.1))).toBe(0.1);
    expect(shortFloat32(Math.fround(1e-7))).toBe(1e-7);
    expect(shortFloat32(16777217)).toBe(16777216);
    for (const v of [Math.PI, -123.456789, 3.4e38, 1.17549435e-38]) expect(Math.fround(shortFloat32(Math.fround(v)))).toBe(Math.fround(v));
    expect([0, -0, Infinity, NaN].map(shortFloat32)).toEqual([0, -0, Infinity, NaN]);
  });
  it("is applied to FP32 tensors, not to FP64 ones", () => {
    const stored = tensors([
      ["a", { datatype: "FP32", shape: [1], data: new Float32Array([2.951]) }],
      ["b", { datatype: "FP64", shape: [1], data: new Float64Array([Math.fround(2.951)]) }],
    ]);
    expect(tensorViews(stored).map((t) => t.values)).toEqual([[2.951], [Math.fround(2.951)]]);
  });
});
