import type { ModelSignature, TensorSpec, V2Datatype } from "@/lib/tensor/datatypes";
import { readClassification } from "./classification";
import { decodeBinaryData } from "./decode-binary-data";
import { decodeJsonData } from "./decode-json-data";
import { oipBadRequest, unknownOutputError } from "./oip-error";
import { countOf, formatShape, type OipTensor } from "./oip-tensor";

export interface ParseInferRequestHeaders {
  /** Accepted whatever it says (or when absent): clients send JSON as text/plain, octet-stream or nothing. */
  contentType?: string;
  /** The `Inference-Header-Content-Length` header: the JSON is the first N bytes, binary tensors follow. */
  inferenceHeaderContentLength?: string;
}

export interface ParseInferRequestLimits {
  /** Most elements one input may hold. */
  maxElements: number;
  /** Most dimensions one input may have. */
  maxDims: number;
}

export interface RequestedOutput {
  name: string;
  /** Whether to answer with this output as binary data (its `binary_data`, else the request's default). */
  binary: boolean;
  /** Triton's classification extension: answer the output's top this-many classes instead (lib/oip/classification.ts). */
  classification?: number;
}

export interface InferRequest {
  id?: string;
  parameters: Record<string, unknown>;
  /** In request order. */
  inputs: Map<string, OipTensor>;
  /** The outputs asked for, in the order to answer with them; absent = all, in the model's order. */
  outputs?: RequestedOutput[];
  /** The request's `parameters.binary_data_output`: how outputs not named in `outputs` are returned. */
  binaryOutputDefault: boolean;
}

/**
 * Reads and validates an Open Inference Protocol (KServe V2) inference request against a model's signature,
 * including Triton's binary tensor data extension. Throws `OipError` (400) with a message naming the input and
 * what was expected; nothing reaches the model unless every input is complete and well-formed.
 */
export function parseInferRequest(
  body: Buffer,
  headers: ParseInferRequestHeaders,
  signature: ModelSignature,
  limits: ParseInferRequestLimits,
): InferRequest {
  const { json, headerLength } = readRequestJson(body, headers);
  return readInferRequest(json, body, headerLength, signature, limits);
}

/** A request's JSON (the whole body, or its first Inference-Header-Content-Length bytes), parsed, and that length. */
export function readRequestJson(body: Buffer, headers: ParseInferRequestHeaders): { json: Record<string, unknown>; headerLength: number | undefined } {
  const headerLength = readHeaderLength(headers.inferenceHeaderContentLength, body.length);
  return { json: readJson(body, headerLength), headerLength };
}

/**
 * parseInferRequest's reading of a request whose JSON is parsed: against one signature, leaving `json` as it was (a
 * parse worker parses a large body once and reads it against each signature its endpoint's versions have).
 */
export function readInferRequest(
  json: Record<string, unknown>,
  body: Buffer,
  headerLength: number | undefined,
  signature: ModelSignature,
  limits: ParseInferRequestLimits,
): InferRequest {
  const id = json.id;
  if (id !== undefined && typeof id !== "string") throw oipBadRequest("'id' must be a string");
  const parameters = json.parameters ?? {};
  if (!isObject(parameters)) throw oipBadRequest("'parameters' must be an object");
  const binaryOutputDefault = parameters.binary_data_output ?? false;
  if (typeof binaryOutputDefault !== "boolean") {
    throw oipBadRequest("'parameters.binary_data_output' must be a boolean");
  }
  if (!Array.isArray(json.inputs)) throw oipBadRequest("request has no 'inputs' array");

  const { specs, expectedNames } = inputSpecsOf(signature);
  const inputs = new Map<string, OipTensor>();
  let binaryOffset = headerLength ?? body.length;

  for (let index = 0; index < json.inputs.length; index++) {
    const raw: unknown = json.inputs[index];
    if (!isObject(raw)) throw oipBadRequest(`inputs[${index}] must be an object`);
    const name = raw.name;
    if (typeof name !== "string") throw oipBadRequest(`inputs[${index}] has no 'name'`);
    const spec = specs.get(name);
    if (!spec) throw oipBadRequest(`input '${name}' is not an input of the model (expected inputs: ${expectedNames})`);
    if (inputs.has(name)) throw oipBadRequest(`input '${name}' appears more than once`);

    const datatype = checkDatatype(name, raw.datatype, spec);
    const shape = checkShape(name, raw.shape, spec, limits);
    const params = raw.parameters ?? {};
    if (!isObject(params)) throw oipBadRequest(`input '${name}': 'parameters' must be an object`);
    if (params.shared_memory_region !== undefined) {
      throw oipBadRequest(`input '${name}': shared memory is not supported; send the data as JSON or binary data`);
    }

    const binarySize = params.binary_data_size;
    if (binarySize === undefined) {
      if (raw.data === undefined) throw oipBadRequest(`input '${name}' has no 'data' and no 'binary_data_size'`);
      inputs.set(name, { datatype, shape, data: decodeJsonData(name, datatype, shape, raw.data) });
      continue;
    }
    if (typeof binarySize !== "number" || !Number.isSafeInteger(binarySize) || binarySize < 0) {
      throw oipBadRequest(`input '${name}': 'binary_data_size' must be a non-negative integer`);
    }
    if (headerLength === undefined) {
      throw oipBadRequest(
        `input '${name}' has binary_data_size but the request has no Inference-Header-Content-Length header`,
      );
    }
    if (raw.data !== undefined) throw oipBadRequest(`input '${name}' has both 'data' and 'binary_data_size'`);
    const remaining = body.length - binaryOffset;
    if (binarySize > remaining) {
      throw oipBadRequest(
        `input '${name}': binary_data_size is ${countOf(binarySize, "byte")}, but only ${countOf(remaining, "byte")} of binary data remain`,
      );
    }
    const data = decodeBinaryData(name, datatype, shape, body, binaryOffset, binarySize);
    inputs.set(name, { datatype, shape, data });
    binaryOffset += binarySize;
  }

  if (binaryOffset !== body.length) {
    throw oipBadRequest(
      `request has ${countOf(body.length - binaryOffset, "byte")} of binary data beyond what the inputs' binary_data_size account for`,
    );
  }
  for (const spec of signature.inputs) {
    if (!inputs.has(spec.name)) {
      throw oipBadRequest(`input '${spec.name}' is missing (expected inputs: ${expectedNames})`);
    }
  }

  return {
    ...(id !== undefined && { id }),
    parameters,
    inputs,
    ...(json.outputs !== undefined && { outputs: readOutputs(json.outputs, signature, binaryOutputDefault) }),
    binaryOutputDefault,
  };
}

export interface InputSpecs {
  specs: Map<string, TensorSpec>;
  expectedNames: string;
}

const inputSpecsCache = new WeakMap<ModelSignature, InputSpecs>();

/** A signature's inputs by name, built once per signature (a version's is kept for as long as it serves). */
export function inputSpecsOf(signature: ModelSignature): InputSpecs {
  let cached = inputSpecsCache.get(signature);
  if (!cached) {
    cached = { specs: new Map(signature.inputs.map((s) => [s.name, s])), expectedNames: signature.inputs.map((s) => s.name).join(", ") };
    inputSpecsCache.set(signature, cached);
  }
  return cached;
}

function readHeaderLength(value: string | undefined, bodyLength: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const n = /^\d{1,15}$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!(n >= 1 && n <= bodyLength)) {
    throw oipBadRequest(
      `Inference-Header-Content-Length must be a whole number of bytes from 1 to the body's ${bodyLength}, got '${value}'`,
    );
  }
  return n;
}

/** A parsed request's `parameters` when it is an object (what routing rules read), else undefined. */
export function parametersOf(json: Record<string, unknown>): Record<string, unknown> | undefined {
  const p = json.parameters;
  return typeof p === "object" && p !== null && !Array.isArray(p) ? (p as Record<string, unknown>) : undefined;
}

function readJson(body: Buffer, headerLength: number | undefined): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8", 0, headerLength ?? body.length));
  } catch {
    throw oipBadRequest(
      headerLength === undefined
        ? "request body is not valid JSON"
        : `the request's first ${headerLength} bytes (Inference-Header-Content-Length) are not valid JSON`,
    );
  }
  if (!isObject(parsed)) throw oipBadRequest("request body must be a JSON object");
  return parsed;
}

export function checkDatatype(name: string, value: unknown, spec: TensorSpec): V2Datatype {
  if (typeof value !== "string") {
    throw oipBadRequest(`input '${name}' has no 'datatype' (the model's is ${spec.datatype})`);
  }
  if (value !== spec.datatype) {
    throw oipBadRequest(`input '${name}': datatype ${value} does not match the model's ${spec.datatype}`);
  }
  return spec.datatype;
}

export function checkShape(name: string, value: unknown, spec: TensorSpec, limits: ParseInferRequestLimits): number[] {
  if (!Array.isArray(value) || !value.every((d) => typeof d === "number" && Number.isSafeInteger(d))) {
    throw oipBadRequest(
      `input '${name}': 'shape' must be an array of integers (the model's is ${formatShape(spec.shape)})`,
    );
  }
  const shape = value as number[];
  if (shape.length > limits.maxDims) {
    throw oipBadRequest(
      `input '${name}': shape ${formatShape(shape)} has ${shape.length} dimensions, at most ${limits.maxDims} are allowed`,
    );
  }
  if (shape.some((d) => d < 0)) {
    throw oipBadRequest(`input '${name}': shape ${formatShape(shape)} has a negative dimension`);
  }
  if (shape.length !== spec.shape.length) {
    throw shapeMismatch(name, shape, spec, `expected ${spec.shape.length} dimensions, got ${shape.length}`);
  }
  let elements = 1;
  for (let i = 0; i < shape.length; i++) {
    const fixed = spec.shape[i];
    if (fixed >= 0 && shape[i] !== fixed) throw shapeMismatch(name, shape, spec, `dimension ${i} must be ${fixed}`);
    // An empty dynamic dimension would make an empty batch: nothing to run, and no rows to answer with.
    if (fixed < 0 && shape[i] === 0) throw shapeMismatch(name, shape, spec, `dimension ${i} must be at least 1`);
    elements *= shape[i];
  }
  if (elements > limits.maxElements) {
    throw oipBadRequest(
      `input '${name}': shape ${formatShape(shape)} has ${elements} elements, more than the limit of ${limits.maxElements}`,
    );
  }
  return shape;
}

function shapeMismatch(name: string, shape: number[], spec: TensorSpec, why: string) {
  return oipBadRequest(`input '${name}': shape ${formatShape(shape)} does not match the model's ${formatShape(spec.shape)} (${why})`);
}

export function readOutputs(value: unknown, signature: ModelSignature, binaryDefault: boolean): RequestedOutput[] {
  if (!Array.isArray(value)) throw oipBadRequest("'outputs' must be an array");
  const known = new Set(signature.outputs.map((o) => o.name));
  const seen = new Set<string>();
  return value.map((raw, index) => {
    if (!isObject(raw) || typeof raw.name !== "string") throw oipBadRequest(`outputs[${index}] has no 'name'`);
    const name = raw.name;
    if (!known.has(name)) throw unknownOutputError(name, signature.outputs.map((o) => o.name));
    if (seen.has(name)) throw oipBadRequest(`output '${name}' is requested more than once`);
    seen.add(name);
    const params = raw.parameters ?? {};
    if (!isObject(params)) throw oipBadRequest(`output '${name}': 'parameters' must be an object`);
    if (params.shared_memory_region !== undefined) {
      throw oipBadRequest(`output '${name}': shared memory is not supported`);
    }
    const classification = readClassification(signature.outputs.find((o) => o.name === name)!, params.classification);
    const binary = params.binary_data ?? binaryDefault;
    if (typeof binary !== "boolean") throw oipBadRequest(`output '${name}': 'binary_data' must be a boolean`);
    return classification === undefined ? { name, binary } : { name, binary, classification };
  });
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
