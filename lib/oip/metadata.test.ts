import { describe, expect, it } from "vitest";
import { buildModelMetadata, buildServerMetadata, OipError } from "./metadata";

describe("metadata", () => {
  it("reports the server and its binary tensor data extension", () => {
    expect(buildServerMetadata("0.1.0")).toEqual({ name: "ferry", version: "0.1.0", extensions: ["binary_tensor_data", "classification", "statistics", "model_configuration", "model_repository"] });
  });

  it("describes a model with string versions and the signature's shapes", () => {
    const signature = {
      inputs: [{ name: "x", datatype: "FP32" as const, shape: [-1, 32] }],
      outputs: [{ name: "probs", datatype: "FP32" as const, shape: [-1, 4] }],
    };
    const metadata = buildModelMetadata({ name: "fraud", versions: [3, 4], signature });
    expect(metadata).toEqual({
      name: "fraud",
      versions: ["3", "4"],
      platform: "onnxruntime_onnx",
      inputs: [{ name: "x", datatype: "FP32", shape: [-1, 32] }],
      outputs: [{ name: "probs", datatype: "FP32", shape: [-1, 4] }],
    });
    metadata.inputs[0].shape[0] = 1;
    expect(signature.inputs[0].shape[0]).toBe(-1);
  });

  it("carries a status and the protocol's error body", () => {
    const e = new OipError(404, "model 'nope' not found");
    expect([e.status, e.body, e instanceof Error]).toEqual([404, { error: "model 'nope' not found" }, true]);
  });
});
