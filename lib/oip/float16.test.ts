import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { floatToHalf, halfToFloat } from "./float16";

describe("float16", () => {
  it("round-trips every one of the 65536 bit patterns (NaNs to the canonical NaN)", () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = halfToFloat(bits);
      if (Number.isNaN(value)) {
        expect((bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0).toBe(true);
        expect(floatToHalf(value)).toBe(0x7e00);
      } else if (floatToHalf(value) !== bits) {
        throw new Error(`0x${bits.toString(16)} → ${value} → 0x${floatToHalf(value).toString(16)}`);
      }
    }
  });

  it("knows the landmarks", () => {
    expect(floatToHalf(1)).toBe(0x3c00);
    expect(floatToHalf(-2)).toBe(0xc000);
    expect(floatToHalf(0.5)).toBe(0x3800);
    expect(floatToHalf(65504)).toBe(0x7bff);
    expect(floatToHalf(1e6)).toBe(0x7c00);
    expect(floatToHalf(-Infinity)).toBe(0xfc00);
    expect(floatToHalf(-0)).toBe(0x8000);
    expect(floatToHalf(0)).toBe(0);
    expect(floatToHalf(2 ** -14)).toBe(0x0400); // smallest normal
    expect(floatToHalf(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(floatToHalf(0.1)).toBe(0x2e66);
    expect(halfToFloat(0x3555)).toBeCloseTo(0.333251953125, 12);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
  });

  it("rounds ties to even, straight from the double", () => {
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00); // halfway between 1 and the next half: stays even
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway between odd 0x3c01 and 0x3c02: goes up
    expect(floatToHalf(1 + 2 ** -11 + 2 ** -40)).toBe(0x3c01); // a hair above halfway
    expect(floatToHalf(2 ** -25)).toBe(0); // halfway between 0 and the smallest subnormal
    expect(floatToHalf(3 * 2 ** -25)).toBe(2);
    expect(floatToHalf(65519.99)).toBe(0x7bff);
    expect(floatToHalf(65520)).toBe(0x7c00); // halfway between 65504 and 2^16: ties to the even side, Infinity
    expect(floatToHalf(2 ** -14 - 2 ** -25)).toBe(0x0400); // the largest subnormal rounds up into the normals
  });

  it("picks the nearest half for any double", () => {
    fc.assert(
      fc.property(fc.double({ min: -70000, max: 70000, noNaN: true }), (x) => {
        const bits = floatToHalf(x);
        const chosen = Math.abs(x - halfToFloat(bits));
        if (!Number.isFinite(halfToFloat(bits))) return Math.abs(x) >= 65520;
        for (const neighbour of [bits - 1, bits + 1]) {
          if ((neighbour & 0x7fff) >= 0x7c00 || neighbour < 0 || neighbour > 0xffff) continue;
          if ((neighbour & 0x8000) !== (bits & 0x8000)) continue;
          if (Math.abs(x - halfToFloat(neighbour)) < chosen) return false;
        }
        return true;
      }),
      { numRuns: 5000 },
    );
  });
});
