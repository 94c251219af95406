import { byteSizeOf, typedArrayFor, type V2Datatype } from "@/lib/tensor/datatypes";
import { oipBadRequest } from "./oip-error";
import { countOf, formatShape, shapeSize, type TensorData, type TypedTensorData } from "./oip-tensor";

type ViewConstructor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedTensorData;
type SizedConstructor = new (length: number) => TypedTensorData;

/**
 * One input's bytes from the binary tensor data extension (little-endian, row-major, no padding; BYTES as a
 * 4-byte little-endian length before each element) as the typed array onnxruntime-node takes. The array is a view
 * over the request body when the bytes are aligned for its element size, and a copy when they are not.
 */
export function decodeBinaryData(
  name: string,
  datatype: V2Datatype,
  shape: number[],
  body: Buffer,
  offset: number,
  size: number,
): TensorData {
  const count = shapeSize(shape);
  if (datatype === "BYTES") return decodeBytes(name, shape, count, body, offset, size);

  const expectedBytes = count * byteSizeOf(datatype);
  if (size !== expectedBytes) {
    throw oipBadRequest(
      `input '${name}': expected ${countOf(expectedBytes, "byte")} of binary data for ${datatype} shape ${formatShape(shape)}, got ${size}`,
    );
  }
  const Ctor = typedArrayFor(datatype)!;
  const start = body.byteOffset + offset;
  let out: TypedTensorData;
  if (start % Ctor.BYTES_PER_ELEMENT === 0) {
    out = new (Ctor as ViewConstructor)(body.buffer, start, count);
  } else {
    out = new (Ctor as SizedConstructor)(count);
    new Uint8Array(out.buffer, out.byteOffset, size).set(body.subarray(offset, offset + size));
  }
  if (datatype === "BOOL") {
    const bytes = out as Uint8Array;
    for (let i = 0; i < count; i++) {
      // onnxruntime reads any other byte as undefined behaviour, so reject it here.
      if (bytes[i] > 1) throw oipBadRequest(`input '${name}': element ${i} is byte ${bytes[i]}, a BOOL must be 0 or 1`);
    }
  }
  return out;
}

function decodeBytes(name: string, shape: number[], count: number, body: Buffer, offset: number, size: number) {
  const end = offset + size;
  const out: string[] = [];
  let pos = offset;
  while (pos < end) {
    const i = out.length;
    if (end - pos < 4) throw oipBadRequest(`input '${name}': binary data ends inside element ${i}'s 4-byte length`);
    const length = body.readUInt32LE(pos);
    pos += 4;
    if (length > end - pos) {
      throw oipBadRequest(
        `input '${name}': element ${i} claims ${countOf(length, "byte")}, but only ${countOf(end - pos, "byte")} of its binary data remain`,
      );
    }
    out.push(body.toString("utf8", pos, pos + length));
    pos += length;
  }
  if (out.length !== count) {
    throw oipBadRequest(
      `input '${name}': expected ${countOf(count, "element")} for shape ${formatShape(shape)}, got ${out.length}`,
    );
  }
  return out;
}
