/**
 * Typed arrays for request tensors, small ones carved from shared slabs. A typed array over 64 bytes gets memory of
 * its own from malloc plus an ArrayBuffer the GC tracks and sweeps: `new Float32Array(32)` — one batch-1 request of
 * a 32-feature model — cost ~0.8 µs on the HTTP thread, a view into a slab ~0.04 µs (microbenchmark, 2026-11-27).
 *
 * The views are zero-filled (a slab is a new ArrayBuffer, and no part of it is handed out twice). A slab lives as long
 * as any view into it. Code that transfers a tensor's buffer to another thread must copy a view first: the session
 * manager copies every tensor it did not stack itself.
 */
type TypedArrayConstructor<T> = { new (length: number): T; new (buffer: ArrayBuffer, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

const SLAB_BYTES = 64 * 1024;
/** Larger arrays are allocated on their own: the malloc is small next to filling them, and a slab would waste more. */
const MAX_SLAB_ARRAY_BYTES = 1024;

let slab = new ArrayBuffer(SLAB_BYTES);
let offset = 0;

export function newTypedArray<T>(Ctor: TypedArrayConstructor<T>, length: number): T {
  const bytes = length * Ctor.BYTES_PER_ELEMENT;
  if (bytes === 0 || bytes > MAX_SLAB_ARRAY_BYTES) return new Ctor(length);
  // 8-byte aligned, as Float64Array and BigInt64Array views require.
  let at = (offset + 7) & ~7;
  if (at + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    at = 0;
  }
  offset = at + bytes;
  return new Ctor(slab, at, length);
}
