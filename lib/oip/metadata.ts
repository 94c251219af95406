import type { ModelSignature, TensorSpec } from "@/lib/tensor/datatypes";

export { OipError, isOipError } from "./oip-error";

/** Open Inference Protocol extensions the data plane implements, as `GET /v2` reports them. */
export const OIP_EXTENSIONS = ["binary_tensor_data", "classification", "statistics", "model_configuration", "model_repository"] as const;

/** The order of listings of every endpoint's versions (the repository index, `/v2/models/stats`): by name, then version. */
export function byNameThenVersion(a: { name: string; version: number }, b: { name: string; version: number }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.version - b.version;
}

export interface ServerMetadata {
  name: string;
  version: string;
  extensions: string[];
}

export interface ModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

/**
 * `GET /v2`. tritonclient and KServe clients check `extensions` for `binary_tensor_data` before using it; `statistics`
 * and `model_configuration` are Triton's `…/stats` and `…/config` (lib/oip/model-statistics.ts, model-config.ts), which
 * perf_analyzer reads; `model_repository` is its index (load / unload are refused: lib/oip/model-repository.ts).
 */
export function buildServerMetadata(version: string, extraExtensions: string[] = []): ServerMetadata {
  return { name: "ferry", version, extensions: [...OIP_EXTENSIONS, ...extraExtensions] };
}

/**
 * `GET /v2/models/{name}[/versions/{v}]`: the endpoint name is the protocol's model name; shapes are the
 * signature's, -1 marking a dynamic dimension. Versions are strings, as the protocol has them.
 */
export function buildModelMetadata(opts: {
  name: string;
  versions: Array<string | number>;
  signature: ModelSignature;
}): ModelMetadata {
  const copy = (t: TensorSpec): TensorSpec => ({ name: t.name, datatype: t.datatype, shape: [...t.shape] });
  return {
    name: opts.name,
    versions: opts.versions.map(String),
    platform: "onnxruntime_onnx",
    inputs: opts.signature.inputs.map(copy),
    outputs: opts.signature.outputs.map(copy),
  };
}
