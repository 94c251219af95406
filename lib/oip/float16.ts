/**
 * IEEE 754 binary16 ("half") conversion. onnxruntime-node holds FP16 tensors as Uint16Array bit patterns, and JSON
 * carries them as ordinary numbers, so both directions are needed. Rounding goes from the double straight to half
 * (round to nearest, ties to even): going through float32 first would round twice and get some ties wrong.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Index of the high word (sign, exponent, top of the mantissa) on this machine.
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The half-precision bit pattern nearest to `value` (ties to even); NaN → 0x7e00, overflow → ±Infinity. */
export function floatToHalf(value: number): number {
  if (value !== value) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const abs = Math.abs(value);
  // 65520 is halfway between the largest half (65504) and 2^16; ties go to the even side, which is Infinity.
  if (abs >= 65520) return sign | 0x7c00;
  if (abs < 6.103515625e-5) {
    // Subnormal (or zero): a count of 2^-24 steps. A count of 1024 is exactly the smallest normal's bits.
    return sign | roundHalfEven(abs * 16777216);
  }
  f64[0] = abs;
  const exponent = ((u32[HI] >>> 20) & 0x7ff) - 1023;
  const scaled = (abs / pow2(exponent) - 1) * 1024; // exact: a power-of-two rescale
  const mantissa = roundHalfEven(scaled);
  // A mantissa that rounds up to 1024 carries into the exponent, which the addition does by itself.
  return sign | (((exponent + 15) << 10) + mantissa);
}

/** The number a half-precision bit pattern stands for. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 5.960464477539063e-8; // 2^-24
  if (exponent === 31) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * pow2(exponent - 15);
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function pow2(e: number): number {
  return 2 ** e;
}
