/**
 * A `ModelInferRequest` (inference/grpc/grpc_predict_v2.proto) read from its wire bytes. Everything but the inputs'
 * typed `contents` is decoded as @grpc/proto-loader would (`keepCase`, `longs: String`, `oneofs`); each contents
 * field is kept as its elements' wire bytes (`WireElements`) until parseGrpcInferRequest has checked the input's
 * shape, then decoded straight into the tensor's typed array. A malformed message is a 400 saying what is wrong.
 */
import { oipBadRequest } from "./oip-error";
import { WireElements, WireError, WireReader, type ElementEncoding, type WireType } from "./protobuf-wire";

/** One `InferParameter`: `parameter_choice` names the field that is set (64-bit integers as decimal strings). */
export interface GrpcParameter {
  parameter_choice?: "bool_param" | "int64_param" | "string_param" | "double_param" | "uint64_param";
  bool_param?: boolean;
  int64_param?: string;
  string_param?: string;
  double_param?: number;
  uint64_param?: string;
}

/** A map of parameters by key (no prototype: any key a client sends is only a key). */
export type GrpcParameters = Record<string, GrpcParameter>;

/** `InferTensorContents`' fields, in field-number order (1…8). */
export const CONTENTS_FIELDS = [
  "bool_contents",
  "int_contents",
  "int64_contents",
  "uint_contents",
  "uint64_contents",
  "fp32_contents",
  "fp64_contents",
  "bytes_contents",
] as const;
export type ContentsField = (typeof CONTENTS_FIELDS)[number];

const ENCODING: Record<ContentsField, ElementEncoding> = {
  bool_contents: "varint",
  int_contents: "varint",
  int64_contents: "varint",
  uint_contents: "varint",
  uint64_contents: "varint",
  fp32_contents: "fixed32",
  fp64_contents: "fixed64",
  bytes_contents: "bytes",
};

/** The contents fields that came, each still in wire encoding. */
export type GrpcTensorContents = Partial<Record<ContentsField, WireElements>>;

export interface GrpcInferInput {
  name: string;
  datatype: string;
  shape: string[];
  parameters: GrpcParameters;
  contents?: GrpcTensorContents;
}

export interface GrpcInferRequest {
  model_name: string;
  model_version: string;
  id: string;
  parameters: GrpcParameters;
  inputs: GrpcInferInput[];
  outputs: { name: string; parameters: GrpcParameters }[];
  /** Views into the message's buffer, one per input when used. */
  raw_input_contents: Buffer[];
}

/** Reads a ModelInferRequest's bytes; throws OipError (400) naming what is malformed. */
export function decodeModelInferRequest(buf: Buffer): GrpcInferRequest {
  try {
    return readRequest(new WireReader(buf));
  } catch (e) {
    if (e instanceof WireError) throw oipBadRequest(`the message is not a valid ModelInferRequest: ${e.message}`);
    throw e;
  }
}

/** Reads the fields of one message, calling `field` for each (which must consume it); ends at the reader's end. */
function eachField(reader: WireReader, field: (n: number, wireType: WireType) => boolean): void {
  while (!reader.done) {
    const tag = reader.tag();
    if (!field(tag.field, tag.wireType)) reader.skip(tag.wireType);
  }
}

/** A reader over the length-delimited field at the reader's position (the outer reader moves past it). */
function nested(reader: WireReader, field: number, wireType: WireType): WireReader {
  expectType(field, wireType, 2);
  const { start, end } = reader.delimited();
  return new WireReader(reader.buf, start, end);
}

function expectType(field: number, wireType: WireType, expected: WireType): void {
  if (wireType !== expected) throw new WireError(`field ${field} has wire type ${wireType}, expected ${expected}`);
}

function str(reader: WireReader, field: number, wireType: WireType): string {
  expectType(field, wireType, 2);
  return reader.string();
}

function readRequest(reader: WireReader): GrpcInferRequest {
  const msg: GrpcInferRequest = { model_name: "", model_version: "", id: "", parameters: Object.create(null), inputs: [], outputs: [], raw_input_contents: [] };
  eachField(reader, (n, wt) => {
    if (n === 1) msg.model_name = str(reader, n, wt);
    else if (n === 2) msg.model_version = str(reader, n, wt);
    else if (n === 3) msg.id = str(reader, n, wt);
    else if (n === 4) readParameterEntry(nested(reader, n, wt), msg.parameters);
    else if (n === 5) msg.inputs.push(readInput(nested(reader, n, wt)));
    else if (n === 6) msg.outputs.push(readOutput(nested(reader, n, wt)));
    else if (n === 7) {
      expectType(n, wt, 2);
      msg.raw_input_contents.push(reader.bytes());
    } else return false;
    return true;
  });
  return msg;
}

function readInput(reader: WireReader): GrpcInferInput {
  const input: GrpcInferInput = { name: "", datatype: "", shape: [], parameters: Object.create(null) };
  eachField(reader, (n, wt) => {
    if (n === 1) input.name = str(reader, n, wt);
    else if (n === 2) input.datatype = str(reader, n, wt);
    else if (n === 3) readInt64s(reader, wt, input.shape);
    else if (n === 4) readParameterEntry(nested(reader, n, wt), input.parameters);
    else if (n === 5) input.contents = readContents(nested(reader, n, wt), input.contents);
    else return false;
    return true;
  });
  return input;
}

function readOutput(reader: WireReader): { name: string; parameters: GrpcParameters } {
  const output = { name: "", parameters: Object.create(null) as GrpcParameters };
  eachField(reader, (n, wt) => {
    if (n === 1) output.name = str(reader, n, wt);
    else if (n === 2) readParameterEntry(nested(reader, n, wt), output.parameters);
    else return false;
    return true;
  });
  return output;
}

/** `repeated int64` (a shape), packed or not, as decimal strings. */
function readInt64s(reader: WireReader, wireType: WireType, into: string[]): void {
  if (wireType === 0) {
    into.push(reader.varint64(true));
    return;
  }
  const run = nested(reader, 3, wireType);
  while (!run.done) into.push(run.varint64(true));
}

/**
 * Contents fields add to those of an earlier occurrence of the same message (a repeated field's elements concatenate
 * when a message is sent in parts, as protobuf merges).
 */
function readContents(reader: WireReader, earlier: GrpcTensorContents | undefined): GrpcTensorContents {
  const contents: GrpcTensorContents = earlier ?? {};
  eachField(reader, (n, wt) => {
    const field = CONTENTS_FIELDS[n - 1];
    if (field === undefined) return false;
    (contents[field] ??= new WireElements(ENCODING[field])).read(reader, wt, n);
    return true;
  });
  return contents;
}

const PARAMETER_CHOICES = ["bool_param", "int64_param", "string_param", "double_param", "uint64_param"] as const;

/** One map entry (key = 1, value = 2); a later entry of the same key replaces an earlier one. */
function readParameterEntry(reader: WireReader, into: GrpcParameters): void {
  let key = "";
  let value: GrpcParameter = {};
  eachField(reader, (n, wt) => {
    if (n === 1) key = str(reader, n, wt);
    else if (n === 2) value = readParameter(nested(reader, n, wt));
    else return false;
    return true;
  });
  into[key] = value;
}

function readParameter(reader: WireReader): GrpcParameter {
  let p: GrpcParameter = {};
  eachField(reader, (n, wt) => {
    const choice = PARAMETER_CHOICES[n - 1];
    if (choice === undefined) return false;
    // A oneof keeps the last of its fields that came.
    if (choice === "bool_param") {
      expectType(n, wt, 0);
      p = { parameter_choice: choice, bool_param: reader.varint() !== 0 };
    } else if (choice === "int64_param" || choice === "uint64_param") {
      expectType(n, wt, 0);
      p = { parameter_choice: choice, [choice]: reader.varint64(choice === "int64_param") };
    } else if (choice === "string_param") p = { parameter_choice: choice, string_param: str(reader, n, wt) };
    else {
      expectType(n, wt, 1);
      p = { parameter_choice: choice, double_param: reader.double() };
    }
    return true;
  });
  return p;
}
