/**
 * What the guard judges: the candidate's and the stable version's rollups since the step started (summed over
 * data-plane instances, latency buckets merged), the latest drift report since the rollout started, and the shadow
 * comparisons recorded on the candidate's rows.
 *
 * Rollups are per minute, so the window starts at the minute the step started in: up to a minute of the previous
 * step's traffic counts too, which can only make the guard stricter. When the stable variant has too little traffic
 * in the step (at 100 % it has none), its baseline is widened to the whole rollout.
 */
import type { Db } from "@/lib/db/client";
import { emptyBuckets, mergeBucketsInto, quantileFromBuckets } from "@/lib/metrics/latency-buckets";
import type { RolloutMetrics, VariantMetrics } from "./decide-rollout-step";

export interface VersionTotals {
  requests: number;
  errors: number;
  buckets: number[];
  shadowCount: number;
  shadowAgree: number;
}

export async function sumRollups(db: Db, endpointId: string, version: number, from: Date, to: Date): Promise<VersionTotals> {
  const rows = await db.metricRollup.findMany({
    where: { endpointId, version, minute: { gte: from, lte: to } },
    select: { count: true, errors: true, latencyBuckets: true, shadowCount: true, shadowAgree: true },
  });
  const t: VersionTotals = { requests: 0, errors: 0, buckets: emptyBuckets(), shadowCount: 0, shadowAgree: 0 };
  for (const r of rows) {
    t.requests += r.count;
    t.errors += r.errors;
    mergeBucketsInto(t.buckets, r.latencyBuckets);
    t.shadowCount += r.shadowCount;
    t.shadowAgree += r.shadowAgree;
  }
  return t;
}

const toVariant = (t: VersionTotals): VariantMetrics => ({ requests: t.requests, errors: t.errors, p95Ms: quantileFromBuckets(t.buckets, 0.95) });
const minuteOf = (d: Date) => new Date(Math.floor(d.getTime() / 60_000) * 60_000);

export async function readRolloutMetrics(o: {
  db: Db;
  endpointId: string;
  candidateVersion: number;
  stableVersion: number;
  rolloutStartedAt: Date;
  stepStartedAt: Date;
  minRequests: number;
  now: Date;
}): Promise<RolloutMetrics> {
  const from = minuteOf(o.stepStartedAt);
  const candidate = await sumRollups(o.db, o.endpointId, o.candidateVersion, from, o.now);
  let stable = await sumRollups(o.db, o.endpointId, o.stableVersion, from, o.now);
  if (stable.requests < Math.max(1, o.minRequests)) {
    stable = await sumRollups(o.db, o.endpointId, o.stableVersion, minuteOf(o.rolloutStartedAt), o.now);
  }
  const drift = await o.db.driftReport.findFirst({
    where: { endpointId: o.endpointId, createdAt: { gte: o.rolloutStartedAt }, OR: [{ version: o.candidateVersion }, { version: null }] },
    orderBy: { createdAt: "desc" },
    select: { driftShare: true },
  });
  return {
    candidate: toVariant(candidate),
    stable: toVariant(stable),
    driftShare: drift?.driftShare ?? null,
    shadow: { count: candidate.shadowCount, agree: candidate.shadowAgree },
  };
}
