// A tiny seeded PRNG (mulberry32) whose whole state is one uint32, so a sketch can carry it in JSON
// and reservoir decisions replay identically on any process.

/** Advances the state; returns [uniform in [0, 1), next state]. */
export function nextRandom(state: number): [number, number] {
  const next = nextState(state);
  return [uniformOf(next), next];
}

/** nextRandom in two halves, for hot loops that keep the state in a local (no tuple per draw). */
export function nextState(state: number): number {
  return (state + 0x6d2b79f5) >>> 0;
}

/** The uniform in [0, 1) that nextRandom returns with this (already advanced) state. */
export function uniformOf(next: number): number {
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Scrambles a seed (e.g. a minute timestamp or two states combined) into a well-mixed state. */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995) >>> 0;
  }
  return h >>> 0;
}
