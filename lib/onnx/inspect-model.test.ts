import { describe, expect, it } from "vitest";
import * as ort from "onnxruntime-node";
import fc from "fast-check";
import { isAppError } from "@/lib/errors";
import { buildExternalDataModel, buildImageModel, buildMlp, buildTwoInOut, withModelOptions, withOpset, type ExternalDataPlacement } from "./build-model";
import { inspectModel, InvalidModelError, ONNX_SUPPORT } from "./inspect-model";
import { encodeModel, node, onnx, tensorInfo } from "./model-proto";
import { seededRandom } from "./seeded-random";

function reasonOf(bytes: Uint8Array): string {
  try {
    inspectModel(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidModelError);
    return (e as InvalidModelError).reason;
  }
  throw new Error("inspectModel accepted the model");
}

const tiny = () => buildMlp({ inputs: 2, hidden: 2, outputs: 2 });

describe("inspectModel on valid models", () => {
  it("reads the envelope and the signature of the MLP", () => {
    const bytes = withModelOptions(buildMlp({ producerName: "pytorch", producerVersion: "2.4", docString: "fraud v1" }), {
      metadata: { team: "risk", "ferry.test": "yes" },
    });
    expect(inspectModel(bytes)).toEqual({
      irVersion: 8,
      opset: 17,
      opsets: { "": 17 },
      producer: { name: "pytorch", version: "2.4" },
      metadata: { team: "risk", "ferry.test": "yes" },
      signature: {
        inputs: [{ name: "x", datatype: "FP32", shape: [-1, 32] }],
        outputs: [{ name: "probs", datatype: "FP32", shape: [-1, 4] }],
      },
      unknownRank: [],
      docString: "fraud v1",
      classLabels: [],
    });
  });

  it("shows -1 for every dynamic image dimension and fixed sizes as numbers", () => {
    expect(inspectModel(buildImageModel()).signature).toEqual({
      inputs: [{ name: "image", datatype: "FP32", shape: [-1, 3, -1, -1] }],
      outputs: [{ name: "probs", datatype: "FP32", shape: [-1, 2] }],
    });
    expect(inspectModel(buildMlp({ dynamicBatch: false })).signature.inputs[0].shape).toEqual([1, 32]);
  });

  it("reports several datatypes, and ai.onnx as the default domain", () => {
    const info = inspectModel(withOpset(buildTwoInOut(), 15, "ai.onnx"));
    expect(info.signature.inputs.map((s) => s.datatype)).toEqual(["FP32", "INT64"]);
    expect(info.signature.outputs.map((s) => s.datatype)).toEqual(["FP32", "INT64"]);
    expect(info.opset).toBe(15);
  });

  it("leaves initializers out of the inputs and marks unknown ranks and dims", () => {
    const graph = {
      name: "g",
      node: [node("Add", ["x", "w"], ["y"])],
      initializer: [{ name: "w", dims: [1], dataType: 1, floatData: [1] }],
      input: [tensorInfo("x", "FP32", ["n", null, 0]), tensorInfo("w", "FP32", [1])],
      output: [tensorInfo("y", "FP32", undefined)],
    };
    const info = inspectModel(encodeModel(graph));
    expect(info.signature.inputs).toEqual([{ name: "x", datatype: "FP32", shape: [-1, -1, 0] }]);
    expect(info.signature.outputs).toEqual([{ name: "y", datatype: "FP32", shape: [] }]);
    expect(info.unknownRank).toEqual(["y"]);
  });

  it("accepts an operator from a model-local function's domain", () => {
    const fn = { name: "Double", domain: "acme.fn", input: ["X"], output: ["Y"], node: [node("Add", ["X", "X"], ["Y"])], opsetImport: [{ domain: "", version: 17 }] };
    const graph = { name: "g", node: [node("Double", ["x"], ["y"], [], "acme.fn")], input: [tensorInfo("x", "FP32", [2])], output: [tensorInfo("y", "FP32", [2])] };
    expect(inspectModel(encodeModel(graph, { extraOpsets: { "acme.fn": 1 }, functions: [fn] })).opsets).toEqual({ "": 17, "acme.fn": 1 });
  });
});

describe("inspectModel refuses", () => {
  it("random bytes, empty files and truncated models, as InvalidModelError (HTTP 422)", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const next = seededRandom(seed);
      const bytes = Uint8Array.from({ length: 64 + seed * 37 }, () => Math.floor(next() * 256));
      expect(reasonOf(bytes)).toMatch(/^not an ONNX model: .*\(truncated or random bytes\?\)$/);
    }
    expect(reasonOf(new Uint8Array(0))).toBe("not an ONNX model: the file is empty");
    const full = buildMlp();
    for (const cut of [1, 10, 100, full.length - 500, full.length - 1]) {
      expect(reasonOf(full.subarray(0, cut)), `cut at ${cut}`).toMatch(/^not an ONNX model/);
    }
    expect(reasonOf(new TextEncoder().encode("<html>not a model</html>"))).toMatch(/^not an ONNX model/);
    try {
      inspectModel(new Uint8Array([1, 2, 3]));
    } catch (e) {
      expect(isAppError(e) && e.status).toBe(422);
    }
  });

  it("anything else only ever with InvalidModelError (corrupted models, arbitrary bytes)", () => {
    const model = buildExternalDataModel("x", { placement: "function-default" });
    const corrupted = fc
      .array(fc.tuple(fc.nat(model.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
      .map((edits) => {
        const copy = Uint8Array.from(model);
        for (const [at, value] of edits) copy[at] = value;
        return copy;
      });
    fc.assert(
      fc.property(fc.oneof(corrupted, fc.uint8Array({ maxLength: 400 })), (bytes) => {
        try {
          inspectModel(bytes);
        } catch (e) {
          if (!(e instanceof InvalidModelError)) throw e;
        }
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  const placements: ExternalDataPlacement[] = ["initializer", "constant", "sparse-initializer", "subgraph", "function", "function-default"];
  for (const placement of placements) {
    it(`external data in a ${placement}, naming the tensor and the path`, () => {
      const reason = reasonOf(buildExternalDataModel("../../etc/passwd", { placement }));
      expect(reason).toMatch(/^tensor '(W|w_in|B|bias)' \(.+\) refers to external data at "\.\.\/\.\.\/etc\/passwd"; Ferry accepts only self-contained models/);
    });
  }

  it("an IR version newer than onnxruntime supports", () => {
    expect(reasonOf(withModelOptions(tiny(), { irVersion: ONNX_SUPPORT.maxIrVersion + 1 }))).toBe(
      `IR version 14 is newer than onnxruntime 1.30.0 supports (at most 13); export the model with an older ONNX version`,
    );
  });

  it("opsets newer than supported, per domain", () => {
    expect(reasonOf(withOpset(tiny(), 27))).toMatch(/^opset 27 of the default \(ai\.onnx\) domain is newer than onnxruntime 1\.30\.0 supports \(at most 26\)/);
    expect(reasonOf(withOpset(tiny(), 27, "ai.onnx"))).toMatch(/^opset 27 of the default/);
    expect(reasonOf(withOpset(tiny(), 6, "ai.onnx.ml"))).toMatch(/^opset 6 of domain 'ai\.onnx\.ml' .* \(at most 5\)/);
    expect(reasonOf(withOpset(tiny(), 2, "com.microsoft"))).toMatch(/^opset 2 of domain 'com\.microsoft' .* \(at most 1\)/);
  });

  it("operators from unknown domains, even inside a subgraph", () => {
    const custom = node("Decrypt", ["x"], ["y"], [], "com.evil");
    const graph = { name: "g", node: [custom], input: [tensorInfo("x", "FP32", [2])], output: [tensorInfo("y", "FP32", [2])] };
    expect(reasonOf(encodeModel(graph, { extraOpsets: { "com.evil": 1 } }))).toBe(
      "node 'decrypt_y' in the main graph uses operator 'Decrypt' from domain 'com.evil', which onnxruntime does not provide (custom operators are not supported) and no function in the model defines",
    );
    const branch = { name: "b", node: [custom], output: [tensorInfo("y", "FP32", [2])] };
    const attrs = [
      { name: "then_branch", type: onnx.AttributeProto.AttributeType.GRAPH, g: branch },
      { name: "else_branch", type: onnx.AttributeProto.AttributeType.GRAPH, g: branch },
    ];
    const outer = { name: "g", node: [node("If", ["c"], ["y"], attrs)], input: [tensorInfo("c", "BOOL", []), tensorInfo("x", "FP32", [2])], output: [tensorInfo("y", "FP32", [2])] };
    expect(reasonOf(encodeModel(outer))).toMatch(/in subgraph 'then_branch' of node 'if_y' in the main graph uses operator 'Decrypt' from domain 'com\.evil'/);
  });

  it("inputs that are not tensors or have no V2 datatype", () => {
    const seq = { name: "s", type: { sequenceType: { elemType: { tensorType: { elemType: 1 } } } } };
    const g1 = { name: "g", node: [node("SequenceLength", ["s"], ["n"])], input: [seq], output: [tensorInfo("n", "INT64", [])] };
    expect(reasonOf(encodeModel(g1))).toBe("input 's' is a sequence, not a tensor; the Open Inference Protocol carries tensors only");
    const bf16 = { name: "y", type: { tensorType: { elemType: onnx.TensorProto.DataType.BFLOAT16, shape: { dim: [{ dimValue: 2 }] } } } };
    const g2 = { name: "g", node: [node("Cast", ["x"], ["y"], [{ name: "to", type: 2, i: 16 }])], input: [tensorInfo("x", "FP32", [2])], output: [bf16] };
    expect(reasonOf(encodeModel(g2))).toBe("output 'y' has element type BFLOAT16, which the Open Inference Protocol cannot carry");
  });
});

// The limits in ONNX_SUPPORT must be exactly what the bundled onnxruntime accepts: this fails when an upgrade moves them.
describe("ONNX_SUPPORT matches the bundled onnxruntime", () => {
  const loads = async (bytes: Uint8Array) =>
    ort.InferenceSession.create(bytes, { logSeverityLevel: 4 }).then(
      () => true,
      () => false,
    );
  it("at the IR edge", async () => {
    expect(await loads(withModelOptions(tiny(), { irVersion: ONNX_SUPPORT.maxIrVersion }))).toBe(true);
    expect(await loads(withModelOptions(tiny(), { irVersion: ONNX_SUPPORT.maxIrVersion + 1 }))).toBe(false);
  });
  for (const [domain, max] of Object.entries(ONNX_SUPPORT.maxOpsets)) {
    it(`at the opset edge of '${domain}'`, async () => {
      const base = domain === "" ? tiny() : withOpset(tiny(), 17);
      expect(await loads(withOpset(base, max, domain))).toBe(true);
      expect(await loads(withOpset(base, max + 1, domain))).toBe(false);
      expect(inspectModel(withOpset(base, max, domain)).opsets[domain]).toBe(max);
    });
  }
});
