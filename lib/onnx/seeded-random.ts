/**
 * A small deterministic PRNG (mulberry32) so a model built from a seed has the same weights on every machine and
 * a test or the demo seed can recompute them. Not for anything secret.
 */

/** Returns a function yielding uniform numbers in [0, 1); the same seed always yields the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` float32 values uniform in [-scale, scale), drawn in order from `next`. */
export function uniformFloats(next: () => number, count: number, scale: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (next() * 2 - 1) * scale;
  return out;
}

/** Standard-normal samples (Box–Muller), for realistic-looking feature traffic. */
export function normalFloats(next: () => number, count: number, mean = 0, std = 1): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const u = 1 - next(); // (0, 1]: log(0) would be -Infinity
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = mean + std * r * Math.cos(2 * Math.PI * v);
    if (i + 1 < count) out[i + 1] = mean + std * r * Math.sin(2 * Math.PI * v);
  }
  return out;
}
