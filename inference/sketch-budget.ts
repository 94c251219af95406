/**
 * How much of a version's traffic a session worker's drift sketches take. Binning a value costs 10–40 ns (it depends
 * on the machine), so a 32-feature model served at batch 64 kept its worker sketching four times as long as running
 * the model (perf: 52 % of the worker's time against 13 %; bench/README.md). Drift statistics need thousands of rows a minute, not millions: past a budget of values
 * (rows × input values per row) per second and version, the sketches take a sample of the runs' rows. The pool gives
 * each worker an equal share of the budget (runs go to the least busy worker, so a version's traffic spreads across them).
 *
 * A token bucket per (endpoint, version), holding one second of budget and refilled continuously. A range of rows is
 * sketched when the bucket is above zero and pays for all its rows, which may take the bucket below zero. Whether a
 * range is taken depends only on when it arrives, never on its size, so large and small requests are sampled alike;
 * over any few seconds the values sketched stay within the budget (plus one second's burst and the range that took
 * the bucket below zero). Deterministic for a
 * given clock, so it is tested without randomness.
 */
import { TokenBuckets } from "@/lib/limits/token-buckets";
import type { SketchRange } from "./worker-protocol";

export class SketchBudget {
  private readonly buckets: TokenBuckets;
  /** Rows offered and not sketched, since the worker started. */
  skippedRows = 0;

  constructor(
    /** Values per second per version; Infinity takes every row, 0 none. */
    private readonly valuesPerSecond: number,
    now: () => number = () => performance.now(),
  ) {
    this.buckets = new TokenBuckets(now, 10_000);
  }

  /** The ranges of a run its sketches take; the rows of the others are counted in skippedRows. */
  admit(ranges: readonly SketchRange[], valuesPerRow: number): readonly SketchRange[] {
    if (this.valuesPerSecond === Infinity) return ranges;
    let taken: SketchRange[] | undefined;
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[i];
      const bucket = this.buckets.refilled(`${r.endpointId}\u0000${r.version}`, this.valuesPerSecond, this.valuesPerSecond);
      if (bucket.tokens > 0) {
        bucket.tokens -= r.rows * valuesPerRow;
        taken?.push(r);
      } else {
        taken ??= ranges.slice(0, i);
        this.skippedRows += r.rows;
      }
    }
    return taken ?? ranges;
  }
}
