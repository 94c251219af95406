/**
 * Token buckets by key, refilled continuously: the per-token rate limit (authorize.ts), the drift sketch budget
 * (sketch-budget.ts) and the prediction log's cap (recorder.ts). Each caller decides how to take from a bucket — one
 * token or refuse, or any amount while above zero — by lowering `tokens` itself.
 */
export type Bucket = { tokens: number; at: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    /** Milliseconds. */
    private readonly now: () => number,
    /** Past this many keys every bucket is forgotten, which refills them: a bound on memory, not a policy. */
    private readonly maxKeys = 50_000,
  ) {}

  /** `key`'s bucket refilled to now at `perSecond`, up to `burst`; a bucket not seen before is full. */
  refilled(key: string, perSecond: number, burst: number): Bucket {
    const t = this.now();
    let b = this.buckets.get(key);
    if (b === undefined) {
      if (this.buckets.size >= this.maxKeys) this.buckets.clear();
      this.buckets.set(key, (b = { tokens: burst, at: t }));
      return b;
    }
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
    b.at = t;
    return b;
  }
}
