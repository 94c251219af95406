/**
 * The protobuf wire format, for the few places that must see or change a model's bytes as they are: fields newer
 * than onnx-proto's ONNX 1.10 schema (which protobufjs drops when it decodes), and edits that must leave every other
 * byte of a model unchanged. Pure.
 */

/** A field of a message: where its tag starts, where its value (a length-delimited field's payload) starts and ends. */
export interface WireField {
  field: number;
  wire: number;
  start: number;
  valueStart: number;
  end: number;
}

/** Bytes that are not a clean protobuf message. */
export class WireError extends Error {}

function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new WireError("truncated varint");
    const b = buf[pos++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, pos];
    scale *= 128;
  }
  throw new WireError("varint too long");
}

/** The fields of the message between start and end, in order; throws WireError on anything but a clean message. */
export function wireFields(buf: Uint8Array, start = 0, end = buf.length): WireField[] {
  const out: WireField[] = [];
  let pos = start;
  while (pos < end) {
    const at = pos;
    const [tag, afterTag] = readVarint(buf, pos);
    const wire = tag % 8;
    let valueStart = afterTag;
    if (wire === 0) pos = readVarint(buf, afterTag)[1];
    else if (wire === 1) pos = afterTag + 8;
    else if (wire === 5) pos = afterTag + 4;
    else if (wire === 2) {
      const [length, payload] = readVarint(buf, afterTag);
      valueStart = payload;
      pos = payload + length;
    } else throw new WireError(`unsupported wire type ${wire}`);
    if (pos > end) throw new WireError("truncated field");
    out.push({ field: Math.floor(tag / 8), wire, start: at, valueStart, end: pos });
  }
  return out;
}

/** A length-delimited field's payload (a view, not a copy). */
export function payloadOf(buf: Uint8Array, f: WireField): Uint8Array {
  return buf.subarray(f.valueStart, f.end);
}

function varintBytes(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A length-delimited field, encoded: appended to a message, it adds (or, for a repeated field, appends) the value. */
export function lengthDelimited(field: number, payload: Uint8Array): Uint8Array {
  return concatBytes([Uint8Array.from([...varintBytes(field * 8 + 2), ...varintBytes(payload.length)]), payload]);
}
