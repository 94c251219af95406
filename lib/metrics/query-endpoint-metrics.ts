/**
 * Per-variant (served version) request, error and latency series of one endpoint, aggregated in Postgres.
 *
 * Rollups are per minute per data-plane instance, and summed per hour by the hourly job. query-rollup-sums.ts sums
 * them per (time bucket, version) — from whole hours when the step is a whole number of hours, which is what keeps
 * 30 days × 10 versions (432k minute rows) fast — scalars with sum(), the latency histograms element-wise.
 * Percentiles come from the merged histograms (quantileFromBuckets), never from averaging per-minute percentiles.
 * Buckets without rows are absent: the prepare step turns them into gaps.
 */
import type { Db } from "@/lib/db/client";
import { badRequest, notFound } from "@/lib/errors";
import { quantileFromBuckets } from "./latency-buckets";
import { alignDown, validateRange } from "./prepare-range";
import { queryRollupSums } from "./query-rollup-sums";
import { addSums, emptySums, type RollupSums } from "./rollup-sums";

export interface MetricPoint {
  /** Bucket start, epoch milliseconds (UTC). */
  t: number;
  requests: number;
  /** Requests per second over the part of the bucket inside the window. */
  rps: number;
  errors: number;
  /** errors / requests, 0..1 (null when there were no requests). */
  errorRate: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  meanMs: number | null;
}

export type MetricTotals = Omit<MetricPoint, "t">;

export interface VariantSeries {
  version: number;
  label: string;
  totals: MetricTotals;
  points: MetricPoint[];
}

export interface EndpointMetrics {
  endpoint: string;
  /** The window actually queried: `from` aligned down to the step. ISO 8601. */
  from: string;
  to: string;
  /** Bucket width in seconds. */
  step: number;
  /** All variants together. */
  totals: MetricTotals;
  variants: VariantSeries[];
}

/** Turns summed counters into the chart's numbers; `seconds` is the time the sums cover (for rps). */
export function summarizeSums(s: RollupSums, seconds: number): MetricTotals {
  const has = s.requests > 0;
  const histogram = s.buckets.some((c) => c > 0);
  return {
    requests: s.requests,
    rps: seconds > 0 ? s.requests / seconds : 0,
    errors: s.errors,
    errorRate: has ? s.errors / s.requests : null,
    p50: histogram ? quantileFromBuckets(s.buckets, 0.5) : null,
    p95: histogram ? quantileFromBuckets(s.buckets, 0.95) : null,
    p99: histogram ? quantileFromBuckets(s.buckets, 0.99) : null,
    meanMs: has ? s.latencySumMs / s.requests : null,
  };
}

export async function queryEndpointMetrics(opts: {
  db: Db;
  endpointName: string;
  from: Date;
  to: Date;
  /** Seconds; defaults to the ladder's choice for the range (prepare-range.ts). */
  step?: number;
}): Promise<EndpointMetrics> {
  const { db, endpointName, to } = opts;
  const checked = validateRange(opts.from, to, opts.step);
  if ("error" in checked) throw badRequest(checked.error);
  const step = checked.step;
  const endpoint = await db.endpoint.findUnique({ where: { name: endpointName }, select: { id: true, name: true } });
  if (!endpoint) throw notFound(`endpoint '${endpointName}' not found`);

  // Aligning `from` makes the first bucket whole, so its rate is not diluted by minutes outside the window.
  const from = new Date(alignDown(opts.from, step));
  const { buckets } = await queryRollupSums({ db, endpointId: endpoint.id, from, to, step });
  const toMs = to.getTime();
  const stepMs = step * 1000;
  const byVersion = new Map<number, { points: MetricPoint[]; sums: RollupSums }>();
  const all = emptySums();
  for (const { t, version, sums } of buckets) {
    // The bucket still in progress (it holds `to`) has only been observed up to `to`.
    const seconds = (Math.min(t + stepMs, toMs) - t) / 1000;
    let v = byVersion.get(version);
    if (!v) byVersion.set(version, (v = { points: [], sums: emptySums() }));
    v.points.push({ t, ...summarizeSums(sums, seconds) });
    addSums(v.sums, sums);
    addSums(all, sums);
  }

  const windowSeconds = (toMs - from.getTime()) / 1000;
  const variants = [...byVersion.entries()]
    .sort(([a], [b]) => a - b)
    .map(([version, v]) => ({ version, label: `v${version}`, totals: summarizeSums(v.sums, windowSeconds), points: v.points }));
  return {
    endpoint: endpoint.name,
    from: from.toISOString(),
    to: to.toISOString(),
    step,
    totals: summarizeSums(all, windowSeconds),
    variants,
  };
}
