import { describe, expect, it } from "vitest";
import * as ort from "onnxruntime-node";
import { buildMlp, buildZipMapClassifier, withModelOptions } from "./build-model";
import { inspectModel } from "./inspect-model";
import { encodeModel, node, onnx, tensorInfo } from "./model-proto";
import { servableModel, unzippedLabels } from "./servable-model";

const x = () => new ort.Tensor("float32", Float32Array.from({ length: 3 * 32 }, (_, i) => Math.sin(i * 0.37)), [3, 32]);

async function run(bytes: Uint8Array, fetches?: string[]) {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run({ x: x() }, fetches ?? session.outputNames);
  } finally {
    await session.release();
  }
}

describe("servableModel", () => {
  it("serves a ZipMap's probabilities as a float tensor under the output's name, with its string class labels", async () => {
    const labels = ["setosa", "versicolor", "virginica"];
    const uploaded = buildZipMapClassifier({ seed: 7, classLabels: labels });
    // As uploaded, onnxruntime-node loads the model but cannot answer its ZipMap output.
    await expect(run(uploaded)).rejects.toThrow(/Non tensor type/);
    const { bytes, unzipped } = servableModel(uploaded);
    expect(unzipped).toEqual([{ output: "output_probability", classLabels: labels }]);
    expect(unzippedLabels(unzipped)).toEqual({ output_probability: labels });
    expect(inspectModel(bytes).signature.outputs).toEqual([
      { name: "output_label", datatype: "BYTES", shape: [-1] },
      { name: "output_probability", datatype: "FP32", shape: [-1, 3] },
    ]);

    const served = await run(bytes);
    // The same MLP without the ZipMap (same seed, three classes) computes the same probabilities.
    const plain = await run(buildMlp({ seed: 7, outputs: 3 }));
    expect(served.output_probability.dims).toEqual([3, 3]);
    expect(Array.from(served.output_probability.data as Float32Array)).toEqual(Array.from(plain.probs.data as Float32Array));
    const probs = plain.probs.data as Float32Array;
    const argmax = [0, 1, 2].map((r) => [0, 1, 2].reduce((best, c) => (probs[r * 3 + c] > probs[r * 3 + best] ? c : best), 0));
    expect(served.output_label.data).toEqual(argmax.map((c) => labels[c]));
  });

  it("keeps integer class labels only when they say more than the column's index", () => {
    const indexed = servableModel(buildZipMapClassifier({ seed: 1, classLabels: [0, 1] }));
    expect(indexed.unzipped).toEqual([{ output: "output_probability", classLabels: ["0", "1"] }]);
    expect(unzippedLabels(indexed.unzipped)).toBeUndefined();
    const coded = servableModel(buildZipMapClassifier({ seed: 1, classLabels: [3, 5, 7] }));
    expect(unzippedLabels(coded.unzipped)).toEqual({ output_probability: ["3", "5", "7"] });
  });

  it("changes nothing else of the model: every other byte of the graph and the envelope reaches onnxruntime as uploaded", () => {
    const uploaded = withModelOptions(buildZipMapClassifier({ seed: 2, classLabels: ["no", "yes"] }), { producerName: "skl2onnx", metadata: { domain: "ai.onnx" } });
    const before = onnx.ModelProto.decode(uploaded);
    const after = onnx.ModelProto.decode(servableModel(uploaded).bytes);
    const [nodesBefore, nodesAfter] = [before.graph!.node!, after.graph!.node!];
    const zipMapAt = nodesBefore.findIndex((n) => n.opType === "ZipMap");
    expect(nodesAfter[zipMapAt]).toMatchObject({ opType: "Identity", domain: "", input: ["probabilities"], output: ["output_probability"], name: nodesBefore[zipMapAt].name });
    nodesAfter[zipMapAt] = nodesBefore[zipMapAt];
    after.graph!.output![1] = before.graph!.output![1];
    expect(onnx.ModelProto.toObject(after, { bytes: String })).toEqual(onnx.ModelProto.toObject(before, { bytes: String }));
  });

  it("returns the upload itself when there is no ZipMap to replace, or the bytes are not a model", () => {
    const mlp = buildMlp();
    expect(servableModel(mlp).bytes).toBe(mlp);
    const junk = new TextEncoder().encode("\x3a\xff\xff\xff\xffZipMap and more");
    expect(servableModel(junk)).toEqual({ bytes: junk, unzipped: [] });
    // A ZipMap whose maps feed another node stays: its output is not the graph's alone to retype.
    const AttrType = onnx.AttributeProto.AttributeType;
    const seqOfMaps = { sequenceType: { elemType: { mapType: { keyType: 8, valueType: { tensorType: { elemType: 1 } } } } } };
    const consumed = encodeModel(
      {
        name: "g",
        node: [
          node("ZipMap", ["x"], ["maps"], [{ name: "classlabels_strings", type: AttrType.STRINGS, strings: [new TextEncoder().encode("a")] }], "ai.onnx.ml"),
          node("Identity", ["maps"], ["copy"]),
        ],
        input: [tensorInfo("x", "FP32", ["N", 1])],
        output: [{ name: "maps", type: seqOfMaps }, { name: "copy", type: seqOfMaps }],
      },
      { extraOpsets: { "ai.onnx.ml": 1 } },
    );
    expect(servableModel(consumed).unzipped).toEqual([]);
  });
});
