/**
 * One endpoint's rollups summed per (time bucket, served version) over [from, to): what every chart series is made of.
 *
 * When the step is a whole number of hours, every UTC hour falls inside one bucket, so whole hours are read from
 * MetricRollupHour (one row per version per hour instead of one per instance per minute) and only the rest from
 * MetricRollup: the partial hours at either end of the window, and the hours from the endpoint's newest hourly row
 * on, which the hourly job (aggregate-hourly-rollups.ts) has not aggregated yet. Hourly rows are sums of the same
 * minute rows, so the answer is the minute-only answer: counts and histograms — hence percentiles — exactly, latency
 * sums up to float rounding. Other steps read minutes only.
 */
import type { Db } from "@/lib/db/client";
import { addSums, bucketSumsSql, type RollupSums } from "./rollup-sums";

const HOUR_MS = 3_600_000;

export interface RollupBucket {
  /** Bucket start, epoch milliseconds (UTC). */
  t: number;
  version: number;
  sums: RollupSums;
}

export interface RollupRead {
  /** Ordered by version, then time; buckets without rows are absent. */
  buckets: RollupBucket[];
  /** The whole hours that came from MetricRollupHour, or null when everything came from minutes. */
  hourly: { from: Date; to: Date } | null;
}

interface Row {
  t: number;
  version: number;
  requests: number;
  errors: number;
  latency_sum: number;
  buckets: number[];
}

export async function queryRollupSums(opts: { db: Db; endpointId: string; from: Date; to: Date; step: number }): Promise<RollupRead> {
  const { db, endpointId, from, to, step } = opts;
  const hourly = (step * 1000) % HOUR_MS === 0 ? await aggregatedHours(db, endpointId, from, to) : null;
  // Without usable hourly rows the hour range collapses to [to, to): one statement shape either way.
  const hoursFrom = hourly?.from ?? to;
  const hoursTo = hourly?.to ?? to;
  // JIT compilation costs ~150 ms on long minute scans (their plan cost crosses jit_above_cost) and buys nothing for
  // a single aggregate pass, so it is switched off for this one statement.
  const [, rows] = await db.$transaction([
    db.$executeRaw`SET LOCAL jit = off`,
    db.$queryRaw<Row[]>`
      SELECT (extract(epoch FROM b) * 1000)::float8 AS t, "version", requests, errors, latency_sum, buckets
        FROM (SELECT date_bin(${step}::int * interval '1 second', "hour", TIMESTAMP '1970-01-01') AS b, "version",
                     sum("count"::float8) AS requests, sum("errors"::float8) AS errors,
                     sum("latencySumMs") AS latency_sum, ${bucketSumsSql()} AS buckets
                FROM "MetricRollupHour"
               WHERE "endpointId" = ${endpointId} AND "hour" >= ${hoursFrom} AND "hour" < ${hoursTo}
               GROUP BY 1, 2
              UNION ALL
              SELECT date_bin(${step}::int * interval '1 second', "minute", TIMESTAMP '1970-01-01'), "version",
                     sum("count")::float8, sum("errors")::float8, sum("latencySumMs")::float8, ${bucketSumsSql()}
                FROM "MetricRollup"
               WHERE "endpointId" = ${endpointId}
                 AND (("minute" >= ${from} AND "minute" < ${hoursFrom}) OR ("minute" >= ${hoursTo} AND "minute" < ${to}))
               GROUP BY 1, 2) g`,
  ]);
  // A bucket can get a part from each table (an edge hour and whole hours): add them up.
  const merged = new Map<string, RollupBucket>();
  for (const r of rows) {
    const t = Number(r.t);
    const key = `${r.version}:${t}`;
    const sums: RollupSums = { requests: Number(r.requests), errors: Number(r.errors), latencySumMs: Number(r.latency_sum), buckets: r.buckets.map(Number) };
    const b = merged.get(key);
    if (b) addSums(b.sums, sums);
    else merged.set(key, { t, version: r.version, sums });
  }
  const buckets = [...merged.values()].sort((a, b) => a.version - b.version || a.t - b.t);
  return { buckets, hourly };
}

/**
 * The whole hours inside [from, to) that MetricRollupHour holds for this endpoint. The job writes every hour up to
 * its settled edge for all endpoints in one transaction, so every hour before the endpoint's newest hourly row is
 * complete; hours after it (not aggregated yet, or without traffic) are read from minutes, which is always right.
 */
async function aggregatedHours(db: Db, endpointId: string, from: Date, to: Date): Promise<{ from: Date; to: Date } | null> {
  const [w] = await db.$queryRaw<{ newest: number | null }[]>`
    SELECT (extract(epoch FROM max("hour")) * 1000)::float8 AS newest FROM "MetricRollupHour" WHERE "endpointId" = ${endpointId}`;
  if (w?.newest == null) return null;
  const start = Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS;
  const end = Math.min(Math.floor(to.getTime() / HOUR_MS) * HOUR_MS, Number(w.newest) + HOUR_MS);
  return end > start ? { from: new Date(start), to: new Date(end) } : null;
}
