/**
 * The fixed latency histogram Ferry records per minute (MetricRollup.latencyBuckets) and the dashboard merges to
 * compute percentiles over any window — merged buckets, never averaged percentiles. Pure: both planes use it.
 *
 * Bounds are upper edges in milliseconds; bucket i counts latencies in (BOUNDS[i-1], BOUNDS[i]], and the last
 * bucket (index BOUNDS.length) counts everything above the last bound.
 */
export const LATENCY_BOUNDS_MS = [
  0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000, 10000,
] as const;

export const LATENCY_BUCKET_COUNT = LATENCY_BOUNDS_MS.length + 1;

export function emptyBuckets(): number[] {
  return new Array(LATENCY_BUCKET_COUNT).fill(0);
}

/** Index of the bucket a latency falls in (binary search over the bounds). */
export function bucketIndex(ms: number): number {
  let lo = 0;
  let hi: number = LATENCY_BOUNDS_MS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms <= LATENCY_BOUNDS_MS[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Adds `b` into `a` (same length) and returns `a`. */
export function mergeBucketsInto(a: number[], b: readonly number[]): number[] {
  for (let i = 0; i < a.length; i++) a[i] += b[i] ?? 0;
  return a;
}

/**
 * The q-quantile (0..1) of a histogram, interpolated linearly inside the bucket that holds it (as Prometheus's
 * histogram_quantile does). Returns null for an empty histogram; the open last bucket answers its lower bound.
 */
export function quantileFromBuckets(buckets: readonly number[], q: number): number | null {
  let total = 0;
  for (const c of buckets) total += c;
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    const c = buckets[i];
    if (c === 0) continue;
    if (seen + c >= rank) {
      const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1];
      if (i >= LATENCY_BOUNDS_MS.length) return lower;
      const upper = LATENCY_BOUNDS_MS[i];
      return lower + (upper - lower) * Math.max(0, Math.min(1, (rank - seen) / c));
    }
    seen += c;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
}
