import { describe, expect, it } from "vitest";
import { classBars } from "./class-bars";

describe("classBars", () => {
  it("ranks one row of probabilities, bars as long as each probability", () => {
    expect(classBars({ name: "probs", datatype: "FP32", shape: [1, 4], data: [0.1, 0.6, 0.05, 0.25] }, 3)).toEqual([
      { index: 1, value: 0.6, share: 0.6 },
      { index: 3, value: 0.25, share: 0.25 },
      { index: 0, value: 0.1, share: 0.1 },
    ]);
  });

  it("scales scores that are not probabilities (logits) to the top one, negative ones to nothing", () => {
    expect(classBars({ name: "logits", datatype: "FP64", shape: [3], data: [4, -2, 2] })).toEqual([
      { index: 0, value: 4, share: 1 },
      { index: 2, value: 2, share: 0.5 },
      { index: 1, value: -2, share: 0 },
    ]);
  });

  it("names each bar by its class's label when the version has labels (a class past their end stays unnamed)", () => {
    const bars = classBars({ name: "probs", datatype: "FP32", shape: [1, 4], data: [0.1, 0.6, 0.05, 0.25] }, 4, ["cat", "dog", "bird"]);
    expect(bars?.map((b) => [b.index, b.label])).toEqual([[1, "dog"], [3, undefined], [0, "cat"], [2, "bird"]]);
  });

  it("shows nothing for outputs that are not one row of float scores", () => {
    expect(classBars({ name: "y", datatype: "FP32", shape: [2, 3], data: [1, 2, 3, 4, 5, 6] })).toBeUndefined();
    expect(classBars({ name: "y", datatype: "INT64", shape: [1, 3], data: [1, 2, 3] })).toBeUndefined();
    expect(classBars({ name: "y", datatype: "FP32", shape: [1, 1], data: [0.5] })).toBeUndefined();
    expect(classBars({ name: "y", datatype: "BYTES", shape: [2], data: ["0.9:1", "0.1:0"] })).toBeUndefined();
  });
});
