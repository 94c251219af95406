/**
 * Token buckets, refilled continuously. TokenBuckets keeps one per key: the data plane's per-token rate limit
 * (inference/authorize.ts) and drift sketch budget (inference/sketch-budget.ts). TokenBucket is a single one, for a
 * cap on the whole process: the prediction log cap (inference/recorder.ts), the run-error log lines
 * (inference/handle-infer.ts) and both planes' bound on reads of unverified tokens (lib/auth/authenticate-token.ts).
 * A caller takes one token or is refused (takeOne), or takes from a bucket as it decides by lowering `tokens` of
 * `refilled` itself (the drift budget: any amount while above zero).
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
    return refill(b, t, perSecond, burst);
  }

  /**
   * Takes one token from `key`'s bucket, which holds one second's worth (at least one token; none at a rate of 0).
   * Returns 0 when it did, else the seconds until a whole token is there.
   */
  takeOne(key: string, perSecond: number): number {
    return takeOneFrom(this.refilled(key, perSecond, oneSecondsWorth(perSecond)), perSecond);
  }
}

/** A single bucket, full when first used; takeOne as TokenBuckets' for one key. */
export class TokenBucket {
  private bucket: Bucket | undefined;

  constructor(
    /** Milliseconds. */
    private readonly now: () => number,
  ) {}

  takeOne(perSecond: number): number {
    const t = this.now();
    const burst = oneSecondsWorth(perSecond);
    this.bucket = this.bucket ? refill(this.bucket, t, perSecond, burst) : { tokens: burst, at: t };
    return takeOneFrom(this.bucket, perSecond);
  }
}

const oneSecondsWorth = (perSecond: number) => (perSecond > 0 ? Math.max(1, perSecond) : 0);

function refill(b: Bucket, t: number, perSecond: number, burst: number): Bucket {
  b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
  b.at = t;
  return b;
}

function takeOneFrom(b: Bucket, perSecond: number): number {
  if (b.tokens < 1) return (1 - b.tokens) / perSecond;
  b.tokens -= 1;
  return 0;
}
