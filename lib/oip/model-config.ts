/**
 * `GET /v2/models/{name}[/versions/{v}]/config`: Triton's model configuration extension, as tritonclient's
 * `get_model_config` and perf_analyzer read it (perf_analyzer takes the batch size it may send and the inputs it must
 * fill from here). A version Ferry batches (every input and output has a dynamic leading axis) reports its batching
 * limit as `max_batch_size` and shapes without the batch axis, with `dynamic_batching`'s queue delay; any other reports
 * `max_batch_size: 0` and whole shapes, as Triton does. An output with class labels names a label file, as a Triton
 * model with one does (clients see that classification answers carry labels). Pure.
 */
import type { ModelSignature, TensorSpec, V2Datatype } from "@/lib/tensor/datatypes";
import { canBatch } from "./stack-batch";

export interface TritonTensorConfig {
  name: string;
  data_type: string;
  dims: number[];
  /** An output with class labels: Triton names the model's label file here; Ferry keeps the labels with the version. */
  label_filename?: string;
}

export interface TritonModelConfig {
  name: string;
  platform: "onnxruntime_onnx";
  backend: "onnxruntime";
  max_batch_size: number;
  input: TritonTensorConfig[];
  output: TritonTensorConfig[];
  dynamic_batching?: { max_queue_delay_microseconds: number };
}

/** Triton's TYPE_* names: the V2 datatype's, except that BYTES is TYPE_STRING. */
export const tritonDataType = (d: V2Datatype) => (d === "BYTES" ? "TYPE_STRING" : `TYPE_${d}`);

export function buildModelConfig(o: { name: string; signature: ModelSignature; maxBatchSize: number; maxQueueDelayMs: number }): TritonModelConfig {
  const batched = o.signature.inputs.length > 0 && canBatch(o.signature) && o.maxBatchSize > 1;
  const tensor = (t: TensorSpec): TritonTensorConfig => ({ name: t.name, data_type: tritonDataType(t.datatype), dims: batched ? t.shape.slice(1) : [...t.shape] });
  return {
    name: o.name,
    platform: "onnxruntime_onnx",
    backend: "onnxruntime",
    max_batch_size: batched ? o.maxBatchSize : 0,
    input: o.signature.inputs.map(tensor),
    output: o.signature.outputs.map((t) => (o.signature.labels?.[t.name] ? { ...tensor(t), label_filename: `${t.name}.labels.txt` } : tensor(t))),
    ...(batched ? { dynamic_batching: { max_queue_delay_microseconds: Math.round(o.maxQueueDelayMs * 1000) } } : {}),
  };
}
