import { afterAll, describe, expect, it } from "vitest";
import type * as ort from "onnxruntime-node";
import { V2_DATATYPES } from "@/lib/tensor/datatypes";
import { buildExternalDataModel, buildFailingModel, buildImageModel, buildMlp, buildTwoInOut, buildTypedIdentity } from "./build-model";
import { InvalidModelError } from "./inspect-model";
import { cleanOrtMessage, createSessionAndSignature, smokeRun } from "./load-signature";
import { encodeModel, node, tensorInfo } from "./model-proto";

const sessions: ort.InferenceSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

async function load(bytes: Uint8Array) {
  const loaded = await createSessionAndSignature(bytes);
  sessions.push(loaded.session);
  return loaded;
}

describe("createSessionAndSignature", () => {
  it("returns the session, the merged signature and the inspection", async () => {
    const { session, signature, inspection } = await load(buildMlp({ inputs: 8, hidden: 4, outputs: 3 }));
    expect(session.inputNames).toEqual(["x"]);
    expect(signature).toEqual({
      inputs: [{ name: "x", datatype: "FP32", shape: [-1, 8] }],
      outputs: [{ name: "probs", datatype: "FP32", shape: [-1, 3] }],
    });
    expect(inspection.opset).toBe(17);
  });

  it("keeps dynamic image dimensions as -1", async () => {
    const { signature } = await load(buildImageModel());
    expect(signature.inputs).toEqual([{ name: "image", datatype: "FP32", shape: [-1, 3, -1, -1] }]);
  });

  it("keeps datatypes and order of several inputs and outputs", async () => {
    const { signature } = await load(buildTwoInOut());
    expect(signature).toEqual({
      inputs: [
        { name: "a", datatype: "FP32", shape: [-1, 4] },
        { name: "b", datatype: "INT64", shape: [-1, 2] },
      ],
      outputs: [
        { name: "total", datatype: "FP32", shape: [-1] },
        { name: "index", datatype: "INT64", shape: [-1] },
      ],
    });
  });

  it("refuses external data before onnxruntime sees the file", async () => {
    await expect(createSessionAndSignature(buildExternalDataModel("../../etc/passwd"))).rejects.toThrow(/refers to external data at "\.\.\/\.\.\/etc\/passwd"/);
  });

  it("turns an onnxruntime load failure into a readable InvalidModelError", async () => {
    // MatMul with one input parses fine but is not a valid node.
    const graph = { name: "g", node: [node("MatMul", ["x"], ["y"])], input: [tensorInfo("x", "FP32", [2, 2])], output: [tensorInfo("y", "FP32", [2, 2])] };
    const error = await createSessionAndSignature(encodeModel(graph)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidModelError);
    const reason = (error as InvalidModelError).reason;
    expect(reason).toMatch(/^onnxruntime cannot load the model: /);
    expect(reason).not.toMatch(/onnxruntime_src|\n/);
  });
});

describe("smokeRun", () => {
  it("runs every built model on zeros", async () => {
    const models = [buildMlp(), buildMlp({ dynamicBatch: false }), buildImageModel(), buildTwoInOut(), buildFailingModel(), ...V2_DATATYPES.map((dt) => buildTypedIdentity(dt))];
    for (const bytes of models) {
      const { session, signature } = await load(bytes);
      const result = await smokeRun(session, signature);
      expect(result, JSON.stringify(signature.inputs)).toMatchObject({ ok: true });
      if (result.ok) expect(result.ms).toBeGreaterThanOrEqual(0);
    }
  });

  it("reports, without throwing, a model that fails on zeros", async () => {
    // limit 0: the Gather table has no rows, so every index (0 included) is out of range.
    const { session, signature } = await load(buildFailingModel({ inputs: 2, hidden: 2, outputs: 2, limit: 0 }));
    const result = await smokeRun(session, signature);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^inference on zero inputs failed: .*out of (data )?bounds/);
  });

  it("skips inputs too large to fake, and reports a signature that does not fit the model", async () => {
    const { session, signature } = await load(buildMlp({ inputs: 2, hidden: 2, outputs: 2 }));
    const huge = { ...signature, inputs: [{ ...signature.inputs[0], shape: [4096, 4097] }] };
    expect(await smokeRun(session, huge)).toMatchObject({ ok: false, skipped: true });
    const wrong = { ...signature, inputs: [{ ...signature.inputs[0], shape: [1, 3] }] };
    expect(await smokeRun(session, wrong)).toMatchObject({ ok: false, reason: expect.stringMatching(/^inference on zero inputs failed/) });
  });
});

describe("cleanOrtMessage", () => {
  it("drops the source path and the C++ signature", () => {
    expect(
      cleanOrtMessage(
        "Error: /onnxruntime_src/onnxruntime/core/graph/model.cc:202 onnxruntime::Model::Model(onnx::ModelProto&&, const onnxruntime::PathString&, const onnxruntime::logging::Logger&) Unsupported model IR version: 14, max supported IR version: 13",
      ),
    ).toBe("Unsupported model IR version: 14, max supported IR version: 13");
    expect(
      cleanOrtMessage(
        "Exception during initialization: /onnxruntime_src/onnxruntime/core/providers/cpu/ml/scaler.cc:70 onnxruntime::ml::ScalerOp<T>::ScalerOp(const onnxruntime::OpKernelInfo&) [with T = float] scale_.size() == offset_.size() was false.",
      ),
    ).toBe("Exception during initialization: scale_.size() == offset_.size() was false.");
    expect(cleanOrtMessage("Error: plain message\nsecond line")).toBe("plain message");
  });
});
