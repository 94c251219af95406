import { floatToHalf } from "./float16";
import { encodeJsonData } from "./encode-json-data";
import { OipError, unknownOutputError } from "./oip-error";
import { formatShape, shapeSize, type OipTensor, type TensorData } from "./oip-tensor";
import type { RequestedOutput } from "./parse-infer-request";

export interface NamedTensor extends OipTensor {
  name: string;
}

export interface BuildInferResponseOptions {
  modelName: string;
  /** The version that served. */
  modelVersion: string;
  id?: string;
  /** Every output the model produced, in the model's order. */
  outputs: NamedTensor[];
  /** The request's `outputs` list: selects and orders the answer; absent or empty = all outputs. */
  requested?: RequestedOutput[];
  /** The request's `binary_data_output`: how outputs are sent when none are requested by name. */
  binaryDefault: boolean;
}

export interface InferResponse {
  /** The JSON text when every output is JSON (the server encodes it once, behind the head); bytes otherwise. */
  body: Buffer | string;
  headers: Record<string, string>;
}

/**
 * An Open Inference Protocol (KServe V2) inference response. Outputs asked for as binary follow the JSON header as
 * raw little-endian bytes (Triton's binary tensor data extension), each announced by `parameters.binary_data_size`,
 * with `Inference-Header-Content-Length` giving the JSON's length; otherwise the whole body is JSON.
 */
export function buildInferResponse(opts: BuildInferResponseOptions): InferResponse {
  const selected = selectOutputs(opts);
  const tensors: string[] = [];
  const chunks: Buffer[] = [];
  for (const { tensor, binary } of selected) {
    const count = shapeSize(tensor.shape);
    if (tensor.data.length !== count) {
      throw new OipError(
        500,
        `output '${tensor.name}' has ${tensor.data.length} elements, its shape ${formatShape(tensor.shape)} needs ${count}`,
      );
    }
    const head =
      `{"name":${JSON.stringify(tensor.name)},"datatype":"${tensor.datatype}",` +
      `"shape":[${tensor.shape.join(",")}]`;
    if (binary) {
      const chunk = encodeBinary(tensor);
      chunks.push(chunk);
      tensors.push(`${head},"parameters":{"binary_data_size":${chunk.length}}}`);
    } else {
      tensors.push(`${head},"data":[${tensor.json?.text ?? encodeJsonData(tensor.datatype, tensor.data)}]}`);
    }
  }
  const json =
    `{"model_name":${JSON.stringify(opts.modelName)},"model_version":${JSON.stringify(opts.modelVersion)}` +
    (opts.id !== undefined ? `,"id":${JSON.stringify(opts.id)}` : "") +
    `,"outputs":[${tensors.join(",")}]}`;
  if (chunks.length === 0) return { body: json, headers: { "Content-Type": "application/json" } };
  const header = Buffer.from(json, "utf8");
  return {
    body: Buffer.concat([header, ...chunks]),
    headers: {
      "Content-Type": "application/octet-stream",
      "Inference-Header-Content-Length": String(header.length),
    },
  };
}

/** Whether any output of the answer goes out as JSON (by selectOutputs' rule), so its text is wanted. */
export function answersInJson(requested: RequestedOutput[] | undefined, binaryDefault: boolean): boolean {
  return requested && requested.length > 0 ? requested.some((o) => !o.binary) : !binaryDefault;
}

function selectOutputs(opts: BuildInferResponseOptions): { tensor: NamedTensor; binary: boolean }[] {
  if (!opts.requested || opts.requested.length === 0) {
    return opts.outputs.map((tensor) => ({ tensor, binary: opts.binaryDefault }));
  }
  const byName = new Map(opts.outputs.map((t) => [t.name, t]));
  return opts.requested.map(({ name, binary }) => {
    const tensor = byName.get(name);
    if (!tensor) throw unknownOutputError(name, opts.outputs.map((t) => t.name));
    return { tensor, binary };
  });
}

/** The binary tensor data extension's bytes for one tensor: a view over the typed array where possible. */
export function encodeBinary(tensor: OipTensor): Buffer {
  const data: TensorData = tensor.data;
  if (Array.isArray(data)) {
    const parts = data.map((s) => Buffer.from(s, "utf8"));
    const out = Buffer.allocUnsafe(parts.reduce((n, p) => n + 4 + p.length, 0));
    let pos = 0;
    for (const part of parts) {
      out.writeUInt32LE(part.length, pos);
      part.copy(out, pos + 4);
      pos += 4 + part.length;
    }
    return out;
  }
  if (tensor.datatype === "FP16" && !(data instanceof Uint16Array)) {
    const bits = Uint16Array.from(data as Float32Array, floatToHalf);
    return Buffer.from(bits.buffer, bits.byteOffset, bits.byteLength);
  }
  if (tensor.datatype === "BOOL" && !(data instanceof Uint8Array)) {
    return Buffer.from(Uint8Array.from(data as Int32Array, (v) => (v ? 1 : 0)));
  }
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
