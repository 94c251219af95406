import { describe, expect, it } from "vitest";
import { buildModelConfig } from "./model-config";

describe("buildModelConfig", () => {
  it("reports a batched version's limit and its shapes without the batch axis, with the queue delay", () => {
    const signature = { inputs: [{ name: "x", datatype: "FP32" as const, shape: [-1, 32] }], outputs: [{ name: "label", datatype: "BYTES" as const, shape: [-1] }] };
    expect(buildModelConfig({ name: "fraud", signature, maxBatchSize: 64, maxQueueDelayMs: 0.5 })).toEqual({
      name: "fraud",
      platform: "onnxruntime_onnx",
      backend: "onnxruntime",
      max_batch_size: 64,
      input: [{ name: "x", data_type: "TYPE_FP32", dims: [32] }],
      output: [{ name: "label", data_type: "TYPE_STRING", dims: [] }],
      dynamic_batching: { max_queue_delay_microseconds: 500 },
    });
  });

  it("names a label file for an output with class labels, as a Triton model with one does", () => {
    const signature = {
      inputs: [{ name: "x", datatype: "FP32" as const, shape: [-1, 8] }],
      outputs: [{ name: "probs", datatype: "FP32" as const, shape: [-1, 3] }, { name: "embedding", datatype: "FP32" as const, shape: [-1, 16] }],
      labels: { probs: ["a", "b", "c"] },
    };
    expect(buildModelConfig({ name: "m", signature, maxBatchSize: 8, maxQueueDelayMs: 1 }).output).toEqual([
      { name: "probs", data_type: "TYPE_FP32", dims: [3], label_filename: "probs.labels.txt" },
      { name: "embedding", data_type: "TYPE_FP32", dims: [16] },
    ]);
  });

  it("reports max_batch_size 0 and whole shapes for a model without a dynamic leading axis, or with batching off", () => {
    const fixed = { inputs: [{ name: "img", datatype: "UINT8" as const, shape: [1, 3, 224, 224] }], outputs: [{ name: "p", datatype: "FP16" as const, shape: [1, 1000] }] };
    const c = buildModelConfig({ name: "img", signature: fixed, maxBatchSize: 64, maxQueueDelayMs: 1 });
    expect(c).toMatchObject({ max_batch_size: 0, input: [{ data_type: "TYPE_UINT8", dims: [1, 3, 224, 224] }], output: [{ data_type: "TYPE_FP16", dims: [1, 1000] }] });
    expect(c.dynamic_batching).toBeUndefined();
    const dynamic = { inputs: [{ name: "x", datatype: "INT64" as const, shape: [-1, 4] }], outputs: [{ name: "y", datatype: "INT64" as const, shape: [-1, 1] }] };
    expect(buildModelConfig({ name: "d", signature: dynamic, maxBatchSize: 1, maxQueueDelayMs: 1 })).toMatchObject({ max_batch_size: 0, input: [{ dims: [-1, 4] }] });
  });
});
