import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { newTypedArray } from "./small-typed-array";

const CTORS = [Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array] as const;

describe("newTypedArray", () => {
  it("hands out zero-filled, aligned arrays that never share a byte, small ones from shared slabs", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: CTORS.length - 1 }), fc.integer({ min: 0, max: 400 })), { minLength: 1, maxLength: 300 }), (asks) => {
        const arrays = asks.map(([c, n]) => {
          const a = newTypedArray(CTORS[c] as unknown as Float64ArrayConstructor, n);
          expect(a).toBeInstanceOf(CTORS[c]);
          expect(a.length).toBe(n);
          expect(a.byteOffset % CTORS[c].BYTES_PER_ELEMENT).toBe(0);
          expect(new Uint8Array(a.buffer, a.byteOffset, a.byteLength).every((b) => b === 0)).toBe(true);
          return a;
        });
        // Fill each with its own byte; every array must still hold only its own afterwards.
        arrays.forEach((a, i) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength).fill((i % 255) + 1));
        arrays.forEach((a, i) => expect(new Uint8Array(a.buffer, a.byteOffset, a.byteLength).every((b) => b === (i % 255) + 1)).toBe(true));
        for (const a of arrays) {
          // Over 1 KiB: a buffer of its own (whole, so it can be transferred as it is).
          if (a.byteLength > 1024) expect(a.byteLength).toBe(a.buffer.byteLength);
        }
      }),
      { numRuns: 200 },
    );
    const a = newTypedArray(Float32Array, 32);
    const b = newTypedArray(Float32Array, 32);
    expect(a.buffer).toBe(b.buffer);
  });
});
