/**
 * The counters a rollup row carries, per minute (MetricRollup, written by the data plane's recorder) or per hour
 * (MetricRollupHour): one shape for every place that builds or sums such rows. Pure.
 */
export interface RollupCounters {
  count: number;
  errors: number;
  latencySumMs: number;
  /** Counts per bucket of lib/metrics/latency-buckets.ts. */
  latencyBuckets: number[];
  queueSumMs: number;
  batchRows: number;
  shadowCount: number;
  shadowAgree: number;
  shadowAbsDiff: number;
}

/** A per-minute row as stored: one endpoint, version, minute and data-plane instance. */
export interface MinuteRollupRow extends RollupCounters {
  endpointId: string;
  version: number;
  minute: Date;
  instanceId: string;
}
