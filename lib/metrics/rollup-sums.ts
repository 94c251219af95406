/**
 * The raw sums every rollup read adds up — requests, errors, latency sum and the merged latency histogram — and the
 * SQL that sums histograms element-wise. Shared by the endpoint metrics and the fleet overview.
 */
import { Prisma } from "@/lib/generated/prisma/client";
import { LATENCY_BUCKET_COUNT, emptyBuckets, mergeBucketsInto } from "./latency-buckets";

/** Raw sums of one bucket (or a whole window). */
export interface RollupSums {
  requests: number;
  errors: number;
  latencySumMs: number;
  buckets: number[];
}

/** `ARRAY[coalesce(sum("latencyBuckets"[1]),0), …]`: the element-wise sum of the histograms, as one aggregate pass. */
export function bucketSumsSql(column = `"latencyBuckets"`): Prisma.Sql {
  const parts = Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => `coalesce(sum(${column}[${i + 1}]),0)`);
  return Prisma.raw(`ARRAY[${parts.join(",")}]::float8[]`);
}

export function emptySums(): RollupSums {
  return { requests: 0, errors: 0, latencySumMs: 0, buckets: emptyBuckets() };
}

export function addSums(into: RollupSums, s: RollupSums): RollupSums {
  into.requests += s.requests;
  into.errors += s.errors;
  into.latencySumMs += s.latencySumMs;
  mergeBucketsInto(into.buckets, s.buckets);
  return into;
}
