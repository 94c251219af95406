/**
 * onnx-proto describes ONNX 1.10, which predates FunctionProto.attribute_proto (field 11, ONNX 1.13+): attribute
 * defaults of model-local functions, which can hold tensors and so external data. protobufjs silently drops fields it
 * does not know, so this walks the wire format itself to find them. Input must already have decoded as a ModelProto.
 */

import { payloadOf, wireFields } from "./protobuf-wire";

const MODEL_FUNCTIONS = 25;
const FUNCTION_ATTRIBUTE_PROTO = 11;

/** The encoded AttributeProto of every function attribute default in the model, with the index of its function. */
export function functionAttributeDefaults(modelBytes: Uint8Array): { functionIndex: number; attribute: Uint8Array }[] {
  const found: { functionIndex: number; attribute: Uint8Array }[] = [];
  let functionIndex = 0;
  for (const f of wireFields(modelBytes)) {
    if (f.field !== MODEL_FUNCTIONS || f.wire !== 2) continue;
    const fn = payloadOf(modelBytes, f);
    for (const g of wireFields(fn)) {
      if (g.field === FUNCTION_ATTRIBUTE_PROTO && g.wire === 2) found.push({ functionIndex, attribute: payloadOf(fn, g) });
    }
    functionIndex++;
  }
  return found;
}
