/**
 * The Open Inference Protocol's gRPC messages (inference/grpc/grpc_predict_v2.proto): a `ModelInferRequest` as
 * decodeModelInferRequest reads it, read into the same `InferRequest` the REST protocol parses to — with the same
 * validation and messages — and the run's outputs written back as a `ModelInferResponse` (which @grpc/proto-loader
 * encodes). Pure: no transport.
 */
import { typedArrayFor, type ModelSignature, type V2Datatype } from "@/lib/tensor/datatypes";
import { encodeBinary, type NamedTensor } from "./build-infer-response";
import { decodeBinaryData } from "./decode-binary-data";
import type { ContentsField, GrpcInferRequest, GrpcParameters, GrpcTensorContents } from "./decode-grpc-infer-request";
import { INT_RANGES, outOfRange, wrongElementCount } from "./decode-json-data";
import { oipBadRequest } from "./oip-error";
import { shapeSize, type OipTensor, type TensorData } from "./oip-tensor";
import { forEachDelimited, forEachVarint, type WireElements } from "./protobuf-wire";
import { newTypedArray } from "./small-typed-array";
import {
  checkDatatype,
  checkShape,
  inputSpecsOf,
  readOutputs,
  type InferRequest,
  type ParseInferRequestLimits,
  type RequestedOutput,
} from "./parse-infer-request";

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
const CONTENTS_FIELD: Record<V2Datatype, ContentsField | undefined> = {
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

function rawData(name: string, datatype: V2Datatype, shape: number[], bytes: Buffer, contents: GrpcTensorContents | undefined) {
  if (filledField(contents)) throw oipBadRequest(`input '${name}' has both 'contents' and raw_input_contents: send one of them`);
  return decodeBinaryData(name, datatype, shape, bytes, 0, bytes.length);
}

function contentsData(name: string, datatype: V2Datatype, shape: number[], contents: GrpcTensorContents | undefined): TensorData {
  const field = CONTENTS_FIELD[datatype];
  if (field === undefined) throw oipBadRequest(`input '${name}': ${datatype} has no 'contents' field; send its bytes in raw_input_contents`);
  const filled = filledField(contents);
  if (filled !== undefined && filled !== field) throw oipBadRequest(`input '${name}': ${datatype} elements belong in contents.${field}, not contents.${filled}`);
  const elements = contents?.[field];
  const count = elements?.count ?? 0;
  // Counted before anything is decoded: what is decoded is what the (limited) shape holds.
  if (count !== shapeSize(shape)) throw wrongElementCount(name, shape, count);
  return elements ? decodeElements(name, datatype, shape, elements) : decodeBinaryData(name, datatype, shape, Buffer.alloc(0), 0, 0);
}

/** A contents field's elements (as many as the shape holds) as the typed array onnxruntime-node takes. */
function decodeElements(name: string, datatype: V2Datatype, shape: number[], elements: WireElements): TensorData {
  const bytes = elements.bytes();
  const count = elements.count;
  switch (datatype) {
    case "FP32":
    case "FP64":
      // Little-endian IEEE 754, as in raw_input_contents.
      return decodeBinaryData(name, datatype, shape, bytes, 0, bytes.length);
    case "BOOL": {
      const out = newTypedArray(Uint8Array, count);
      forEachVarint(bytes, count, (i, lo, hi) => {
        out[i] = lo !== 0 || hi !== 0 ? 1 : 0;
      });
      return out;
    }
    case "INT64":
    case "UINT64": {
      const out = datatype === "INT64" ? newTypedArray(BigInt64Array, count) : newTypedArray(BigUint64Array, count);
      // Both halves written as they came: a varint holds the two's-complement 64-bit value of int64 and uint64 alike.
      const words = new Uint32Array(out.buffer, out.byteOffset, count * 2);
      forEachVarint(bytes, count, (i, lo, hi) => {
        words[2 * i] = lo;
        words[2 * i + 1] = hi;
      });
      return out;
    }
    case "BYTES": {
      const out = new Array<string>(count);
      forEachDelimited(bytes, count, (i, start, end) => {
        out[i] = bytes.toString("utf8", start, end);
      });
      return out;
    }
    case "FP16":
      throw new Error("unreachable: FP16 has no contents field");
    default: {
      // int32 and uint32 fields: the varint's low 32 bits, signed or not, then the datatype's range.
      const signed = datatype.startsWith("INT");
      const [min, max] = INT_RANGES[datatype];
      const out = newTypedArray(typedArrayFor(datatype) as Int32ArrayConstructor, count);
      forEachVarint(bytes, count, (i, lo) => {
        const v = signed ? lo | 0 : lo >>> 0;
        if (v < min || v > max) throw outOfRange(name, i, v, datatype);
        out[i] = v;
      });
      return out;
    }
  }
}

/** The first `contents` field holding elements, if any. */
function filledField(contents: GrpcTensorContents | undefined): ContentsField | undefined {
  if (!contents) return undefined;
  for (const key of Object.keys(contents) as ContentsField[]) if ((contents[key]?.count ?? 0) > 0) return key;
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
