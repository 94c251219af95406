/**
 * The raw sums every rollup read adds up — requests, errors, latency sum and the merged latency histogram — and the
 * SQL that sums histograms element-wise. Shared by the minute and hour reads and by the hourly aggregation job, so the
 * two tables are summed the same way.
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

/**
 * `ARRAY[coalesce(sum("latencyBuckets"[1]),0), …]`: the element-wise sum of the histograms as one aggregate pass (no
 * unnest). Reads sum float8 — exact for counts below 2^53, and about twice as fast as the numeric sums Postgres
 * keeps for the hourly table's bigints; the hourly job sums into bigint.
 */
export function bucketSumsSql(column = `"latencyBuckets"`, type: "float8" | "bigint" = "float8"): Prisma.Sql {
  const element = (i: number) => (type === "float8" ? `${column}[${i + 1}]::float8` : `${column}[${i + 1}]`);
  const parts = Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => `coalesce(sum(${element(i)}),0)`);
  return Prisma.raw(`ARRAY[${parts.join(",")}]::${type}[]`);
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
