import { describe, expect, it } from "vitest";
import * as ort from "onnxruntime-node";
import { declaredLabels } from "@/lib/registry/declared-class-labels";
import { buildLinearClassifier, buildMlp, buildZipMapClassifier } from "./build-model";
import { inspectModel } from "./inspect-model";
import { informativeLabels } from "./declared-labels";
import { servableModel } from "./servable-model";

function labelsOf(bytes: Uint8Array) {
  const { bytes: servable, unzipped } = servableModel(bytes);
  const inspection = inspectModel(servable);
  return declaredLabels(unzipped, inspection.classLabels, inspection.signature);
}

describe("class labels a model declares", () => {
  it("reads an ML-domain classifier's classes and gives them to its one score output with as many columns", async () => {
    const bytes = buildLinearClassifier({ inputs: 3, seed: 5, classLabels: ["low", "mid", "high"] });
    expect(inspectModel(bytes).classLabels).toEqual([["low", "mid", "high"]]);
    expect(labelsOf(bytes)).toEqual({ probabilities: ["low", "mid", "high"] });
    // The model runs as built: the classes it answers are the ones read.
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ x: new ort.Tensor("float32", Float32Array.from([1, 0, -1, 0.5, 2, 0]), [2, 3]) });
    await session.release();
    expect((out.label.data as string[]).every((l) => ["low", "mid", "high"].includes(l))).toBe(true);
    expect(out.probabilities.dims).toEqual([2, 3]);
  });

  it("keeps integer classes only when they are not the columns' indices", () => {
    expect(labelsOf(buildLinearClassifier({ classLabels: [0, 1, 2] }))).toBeUndefined();
    expect(labelsOf(buildLinearClassifier({ classLabels: [10, 20, 30] }))).toEqual({ probabilities: ["10", "20", "30"] });
    expect(informativeLabels(["0", "1"])).toBe(false);
    expect(informativeLabels(["1", "0"])).toBe(true);
  });

  it("labels a ZipMap's output with its classes, and a model without classifiers not at all", () => {
    expect(labelsOf(buildZipMapClassifier({ classLabels: ["no", "yes"] }))).toEqual({ output_probability: ["no", "yes"] });
    expect(labelsOf(buildZipMapClassifier({ classLabels: [0, 1] }))).toBeUndefined();
    expect(inspectModel(buildMlp()).classLabels).toEqual([]);
    expect(labelsOf(buildMlp())).toBeUndefined();
  });

  it("gives no labels when the classes fit no single score output", () => {
    const signature = {
      inputs: [{ name: "x", datatype: "FP32" as const, shape: [-1, 3] }],
      outputs: [
        { name: "a", datatype: "FP32" as const, shape: [-1, 2] },
        { name: "b", datatype: "FP32" as const, shape: [-1, 2] },
      ],
    };
    expect(declaredLabels([], [["x", "y"]], signature)).toBeUndefined();
    expect(declaredLabels([], [["x", "y", "z"]], { ...signature, outputs: signature.outputs.slice(0, 1) })).toBeUndefined();
    expect(declaredLabels([], [["x", "y"], ["p", "q"]], { ...signature, outputs: signature.outputs.slice(0, 1) })).toBeUndefined();
    expect(declaredLabels([], [["x", "y"]], { ...signature, outputs: signature.outputs.slice(0, 1) })).toEqual({ a: ["x", "y"] });
    // Nor labels an uploaded file could not have.
    expect(declaredLabels([], [["x", ""]], { ...signature, outputs: signature.outputs.slice(0, 1) })).toBeUndefined();
    expect(declaredLabels([{ output: "a", classLabels: ["ok", "bell\u0007"] }], [], { ...signature, outputs: signature.outputs.slice(0, 1) })).toBeUndefined();
  });
});
