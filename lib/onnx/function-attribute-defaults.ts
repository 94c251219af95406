/**
 * onnx-proto describes ONNX 1.10, which predates FunctionProto.attribute_proto (field 11, ONNX 1.13+): attribute
 * defaults of model-local functions, which can hold tensors and so external data. protobufjs silently drops fields it
 * does not know, so this walks the wire format itself to find them. Input must already have decoded as a ModelProto.
 */

const MODEL_FUNCTIONS = 25;
const FUNCTION_ATTRIBUTE_PROTO = 11;

interface Field {
  number: number;
  wireType: number;
  /** Payload of a length-delimited field. */
  bytes?: Uint8Array;
}

function* fields(buf: Uint8Array): Generator<Field> {
  let at = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (at >= buf.length) throw new Error("truncated varint");
      const byte = buf[at++];
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
  };
  while (at < buf.length) {
    const tag = varint();
    const wireType = tag % 8;
    const number = Math.floor(tag / 8);
    if (wireType === 0) varint();
    else if (wireType === 1) at += 8;
    else if (wireType === 5) at += 4;
    else if (wireType === 2) {
      const length = varint();
      if (at + length > buf.length) throw new Error("truncated field");
      yield { number, wireType, bytes: buf.subarray(at, at + length) };
      at += length;
      continue;
    } else throw new Error(`unsupported wire type ${wireType}`);
    yield { number, wireType };
  }
}

/** The encoded AttributeProto of every function attribute default in the model, with the index of its function. */
export function functionAttributeDefaults(modelBytes: Uint8Array): { functionIndex: number; attribute: Uint8Array }[] {
  const found: { functionIndex: number; attribute: Uint8Array }[] = [];
  let functionIndex = 0;
  for (const f of fields(modelBytes)) {
    if (f.number !== MODEL_FUNCTIONS || !f.bytes) continue;
    for (const g of fields(f.bytes)) {
      if (g.number === FUNCTION_ATTRIBUTE_PROTO && g.bytes) found.push({ functionIndex, attribute: g.bytes });
    }
    functionIndex++;
  }
  return found;
}
