import { expect } from "vitest";
import { grpcService } from "@/inference/grpc/grpc-service";
import type { ModelSignature, TensorSpec } from "@/lib/tensor/datatypes";
import { isOipError } from "./oip-error";

/** Helpers shared by this folder's tests (not used by the codec itself). */

export const limits = { maxElements: 1 << 20, maxDims: 8 };

export function signature(inputs: TensorSpec[], outputs: TensorSpec[] = []): ModelSignature {
  return { inputs, outputs };
}

export function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/** The message of the OipError `fn` throws, checking its status. */
export function oipMessage(fn: () => unknown, status = 400): string {
  try {
    fn();
  } catch (e) {
    if (!isOipError(e)) throw e;
    expect(e.status).toBe(status);
    expect(e.body).toEqual({ error: e.message });
    return e.message;
  }
  throw new Error("expected an OipError, nothing was thrown");
}

export interface RawInput {
  name: string;
  shape: number[];
  datatype: string;
  raw: Uint8Array;
}

/**
 * A request laid out byte for byte as tritonclient's HTTP client sends it: compact JSON (`id`, `inputs` with
 * `binary_data_size`, then `outputs` or `parameters.binary_data_output`), then each input's raw bytes in order,
 * with the JSON's length for the Inference-Header-Content-Length header.
 */
export function tritonRequest(
  inputs: RawInput[],
  outputs?: { name: string; binary: boolean }[],
  id?: string,
): { body: Buffer; headerLength: string } {
  const request: Record<string, unknown> = {};
  if (id !== undefined) request.id = id;
  request.inputs = inputs.map((i) => ({
    name: i.name,
    shape: i.shape,
    datatype: i.datatype,
    parameters: { binary_data_size: i.raw.length },
  }));
  if (outputs) request.outputs = outputs.map((o) => ({ name: o.name, parameters: { binary_data: o.binary } }));
  else request.parameters = { binary_data_output: true };
  const json = Buffer.from(JSON.stringify(request));
  return { body: Buffer.concat([json, ...inputs.map((i) => i.raw)]), headerLength: String(json.length) };
}

/** tritonclient's serialize_byte_tensor: a 4-byte little-endian length before each element's bytes. */
export function serializeBytes(values: (string | Uint8Array)[]): Buffer {
  return Buffer.concat(
    values.flatMap((v) => {
      const bytes = typeof v === "string" ? Buffer.from(v) : Buffer.from(v);
      const len = Buffer.alloc(4);
      len.writeUInt32LE(bytes.length);
      return [len, bytes];
    }),
  );
}

export function rawOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer.slice(array.byteOffset, array.byteOffset + array.byteLength));
}

/** Reads a response as tritonclient's InferResult does: JSON header, then each binary output's bytes in order. */
export function readResponse(answer: Buffer | string, headers: Record<string, string>) {
  const body = typeof answer === "string" ? Buffer.from(answer) : answer;
  const headerLength = headers["Inference-Header-Content-Length"];
  const n = headerLength === undefined ? body.length : Number(headerLength);
  const json = JSON.parse(body.toString("utf8", 0, n));
  const binary = new Map<string, Buffer>();
  let offset = n;
  for (const output of json.outputs) {
    const size = output.parameters?.binary_data_size;
    if (size !== undefined) {
      binary.set(output.name, body.subarray(offset, offset + size));
      offset += size;
    }
  }
  expect(offset).toBe(body.length);
  return { json, binary };
}

/** A ModelInferRequest as protobufjs takes it (64-bit integers as decimal strings, oneofs by their field). */
export type InferRequestObject = Record<string, unknown>;

/** ModelInfer as @grpc/proto-loader serves it (the protos live with the gRPC server in inference/grpc). */
const modelInferMethod = () => grpcService("inference.GRPCInferenceService").service.ModelInfer;

/** A ModelInferRequest's bytes as protobufjs writes them (as @grpc/proto-loader's clients send it). */
export function encodeInferRequest(msg: InferRequestObject): Buffer {
  return modelInferMethod().requestSerialize(msg) as Buffer;
}

/** protobufjs's own reading of a ModelInferRequest's bytes: the reference for decodeModelInferRequest. */
export function protobufjsInferRequest(bytes: Buffer): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return modelInferMethod().requestDeserialize(bytes) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}
