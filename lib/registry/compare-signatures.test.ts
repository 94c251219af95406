import { describe, expect, it } from "vitest";
import { compareSignatures, incompatibilities } from "./compare-signatures";
import type { ModelSignature } from "@/lib/tensor/datatypes";

const base: ModelSignature = {
  inputs: [{ name: "x", datatype: "FP32", shape: [-1, 32] }],
  outputs: [{ name: "probs", datatype: "FP32", shape: [-1, 4] }],
};
const clone = (s: ModelSignature): ModelSignature => JSON.parse(JSON.stringify(s));

describe("compareSignatures", () => {
  it("finds nothing between identical signatures", () => {
    expect(compareSignatures(base, clone(base))).toEqual([]);
  });

  it("shows changed class labels on an output both versions have, never as breaking", () => {
    const was = { ...clone(base), labels: { probs: ["a", "b", "c", "d"] } };
    const is = { ...clone(base), labels: { probs: ["a", "c", "b", "d"] } };
    expect(compareSignatures(was, is)).toEqual([
      { side: "output", name: "probs", kind: "labels", breaking: false, message: "class labels change: a, b, c, d → a, c, b, d" },
    ]);
    expect(compareSignatures(base, is)[0].message).toBe("class labels change: none → a, c, b, d");
    expect(compareSignatures(was, { ...clone(was) })).toEqual([]);
    expect(incompatibilities(was, base)).toEqual([]);
  });

  it("treats a dynamic dimension as compatible with a fixed one", () => {
    const c = clone(base);
    c.inputs[0].shape = [8, 32];
    expect(incompatibilities(base, c)).toEqual([]);
  });

  it("flags datatype, rank, fixed-dimension, missing and added-input changes as breaking", () => {
    const c = clone(base);
    c.inputs[0].datatype = "FP64";
    c.outputs[0].shape = [-1, 5];
    expect(incompatibilities(base, c).map((d) => d.kind)).toEqual(["datatype", "dimension"]);

    const r = clone(base);
    r.inputs[0].shape = [-1, 32, 1];
    expect(incompatibilities(base, r)[0]).toMatchObject({ kind: "rank", side: "input", name: "x" });

    const renamed = clone(base);
    renamed.outputs[0].name = "scores";
    expect(incompatibilities(base, renamed).map((d) => d.kind)).toEqual(["missing"]);

    const extra = clone(base);
    extra.inputs.push({ name: "mask", datatype: "BOOL", shape: [-1] });
    extra.outputs.push({ name: "debug", datatype: "FP32", shape: [-1] });
    const diffs = compareSignatures(base, extra);
    expect(diffs.map((d) => [d.side, d.kind, d.breaking])).toEqual([["input", "added", true], ["output", "added", false]]);
    expect(incompatibilities(base, extra)).toHaveLength(1);
  });
});
