/**
 * The Open Inference Protocol's gRPC messages (inference/grpc/grpc_predict_v2.proto) as @grpc/proto-loader decodes
 * them (`keepCase`, `longs: String`, `defaults`, `oneofs`), read into the same `InferRequest` the REST protocol
 * parses to — with the same validation and messages — and the run's outputs written back as a `ModelInferResponse`.
 * Pure: no transport.
 */
import type { ModelSignature, V2Datatype } from "@/lib/tensor/datatypes";
import { encodeBinary, type NamedTensor } from "./build-infer-response";
import { decodeBinaryData } from "./decode-binary-data";
import { decodeJsonData } from "./decode-json-data";
import { oipBadRequest } from "./oip-error";
import type { OipTensor } from "./oip-tensor";
import {
  checkDatatype,
  checkShape,
  inputSpecsOf,
  readOutputs,
  type InferRequest,
  type ParseInferRequestLimits,
  type RequestedOutput,
} from "./parse-infer-request";

/** One `InferParameter`: `parameter_choice` names the field that is set (64-bit integers arrive as strings). */
export interface GrpcParameter {
  parameter_choice?: "bool_param" | "int64_param" | "string_param" | "double_param" | "uint64_param";
  bool_param?: boolean;
  int64_param?: string;
  string_param?: string;
  double_param?: number;
  uint64_param?: string;
}

export type GrpcParameters = Record<string, GrpcParameter>;

export interface GrpcTensorContents {
  bool_contents?: boolean[];
  int_contents?: number[];
  int64_contents?: string[];
  uint_contents?: number[];
  uint64_contents?: string[];
  fp32_contents?: number[];
  fp64_contents?: number[];
  bytes_contents?: Buffer[];
}

export interface GrpcInferRequest {
  model_name: string;
  model_version: string;
  id: string;
  parameters?: GrpcParameters;
  inputs?: { name: string; datatype: string; shape?: string[]; parameters?: GrpcParameters; contents?: GrpcTensorContents | null }[];
  outputs?: { name: string; parameters?: GrpcParameters }[];
  raw_input_contents?: Buffer[];
}

export interface GrpcInferResponse {
  model_name: string;
  model_version: string;
  id: string;
  outputs: { name: string; datatype: V2Datatype; shape: number[] }[];
  raw_output_contents: Buffer[];
}

/** Parameters as plain values; 64-bit integers become numbers when exact, else stay strings of digits. */
export function grpcParameters(params: GrpcParameters | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, p] of Object.entries(params ?? {})) {
    const choice = p.parameter_choice;
    if (choice === undefined) continue;
    const value = p[choice];
    if (choice === "int64_param" || choice === "uint64_param") {
      const n = Number(value);
      out[key] = Number.isSafeInteger(n) ? n : value;
    } else out[key] = value;
  }
  return out;
}

/** Which `InferTensorContents` field holds each datatype's elements (FP16 has none: it travels as raw bytes). */
const CONTENTS_FIELD: Record<V2Datatype, keyof GrpcTensorContents | undefined> = {
  BOOL: "bool_contents",
  INT8: "int_contents",
  INT16: "int_contents",
  INT32: "int_contents",
  INT64: "int64_contents",
  UINT8: "uint_contents",
  UINT16: "uint_contents",
  UINT32: "uint_contents",
  UINT64: "uint64_contents",
  FP16: undefined,
  FP32: "fp32_contents",
  FP64: "fp64_contents",
  BYTES: "bytes_contents",
};

/**
 * Reads and validates a `ModelInferRequest` against a model's signature: the REST protocol's checks and messages
 * (unknown, duplicate or missing inputs, datatype, shape, element count, limits), with each input's elements from
 * its `contents` field for the datatype or from `raw_input_contents` (then one entry per input, in order). Throws
 * OipError (400).
 */
export function parseGrpcInferRequest(msg: GrpcInferRequest, signature: ModelSignature, limits: ParseInferRequestLimits): InferRequest {
  const inputs = msg.inputs ?? [];
  const raw = msg.raw_input_contents ?? [];
  if (raw.length > 0 && raw.length !== inputs.length) {
    throw oipBadRequest(`raw_input_contents has ${raw.length} entries for ${inputs.length} inputs: send one per input, in the order of 'inputs'`);
  }
  const { specs, expectedNames } = inputSpecsOf(signature);
  const tensors = new Map<string, OipTensor>();
  inputs.forEach((input, index) => {
    const name = input.name;
    if (!name) throw oipBadRequest(`inputs[${index}] has no 'name'`);
    const spec = specs.get(name);
    if (!spec) throw oipBadRequest(`input '${name}' is not an input of the model (expected inputs: ${expectedNames})`);
    if (tensors.has(name)) throw oipBadRequest(`input '${name}' appears more than once`);
    const datatype = checkDatatype(name, input.datatype || undefined, spec);
    const shape = checkShape(name, (input.shape ?? []).map(Number), spec, limits);
    if (input.parameters?.shared_memory_region !== undefined) {
      throw oipBadRequest(`input '${name}': shared memory is not supported; send the data in 'contents' or raw_input_contents`);
    }
    const data = raw.length > 0 ? rawData(name, datatype, shape, raw[index], input.contents) : contentsData(name, datatype, shape, input.contents);
    tensors.set(name, { datatype, shape, data });
  });
  for (const spec of signature.inputs) {
    if (!tensors.has(spec.name)) throw oipBadRequest(`input '${spec.name}' is missing (expected inputs: ${expectedNames})`);
  }
  const requested = msg.outputs ?? [];
  return {
    ...(msg.id && { id: msg.id }),
    parameters: grpcParameters(msg.parameters),
    inputs: tensors,
    ...(requested.length > 0 && { outputs: readOutputs(requested.map((o) => ({ name: o.name, parameters: grpcParameters(o.parameters) })), signature, true) }),
    binaryOutputDefault: true,
  };
}

function rawData(name: string, datatype: V2Datatype, shape: number[], bytes: Buffer, contents: GrpcTensorContents | null | undefined) {
  if (filledField(contents)) throw oipBadRequest(`input '${name}' has both 'contents' and raw_input_contents: send one of them`);
  return decodeBinaryData(name, datatype, shape, bytes, 0, bytes.length);
}

function contentsData(name: string, datatype: V2Datatype, shape: number[], contents: GrpcTensorContents | null | undefined) {
  const field = CONTENTS_FIELD[datatype];
  if (field === undefined) throw oipBadRequest(`input '${name}': ${datatype} has no 'contents' field; send its bytes in raw_input_contents`);
  const filled = filledField(contents);
  if (filled !== undefined && filled !== field) throw oipBadRequest(`input '${name}': ${datatype} elements belong in contents.${field}, not contents.${filled}`);
  const values: unknown[] = contents?.[field] ?? [];
  return decodeJsonData(name, datatype, shape, field === "bytes_contents" ? (values as Buffer[]).map((b) => b.toString("utf8")) : values);
}

/** The first `contents` field holding elements, if any. */
function filledField(contents: GrpcTensorContents | null | undefined): keyof GrpcTensorContents | undefined {
  if (!contents) return undefined;
  for (const key of Object.keys(contents) as (keyof GrpcTensorContents)[]) if ((contents[key]?.length ?? 0) > 0) return key;
  return undefined;
}

/** The answer: every output (or those asked for, in that order) described in `outputs`, its bytes in raw_output_contents. */
export function buildGrpcInferResponse(o: {
  modelName: string;
  modelVersion: string;
  id: string;
  outputs: NamedTensor[];
  requested?: RequestedOutput[];
}): GrpcInferResponse {
  const byName = new Map(o.outputs.map((t) => [t.name, t]));
  const chosen = o.requested ? o.requested.map((r) => byName.get(r.name)!).filter(Boolean) : o.outputs;
  return {
    model_name: o.modelName,
    model_version: o.modelVersion,
    id: o.id,
    outputs: chosen.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape })),
    raw_output_contents: chosen.map((t) => encodeBinary(t)),
  };
}
