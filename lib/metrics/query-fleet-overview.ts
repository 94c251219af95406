/**
 * The home page's fleet overview: every endpoint with its serving status, last hour's traffic, error rate and p95,
 * a 5-minute p95 sparkline, and its open alerts. One aggregate query for all endpoints' rollups (the `minute` index
 * bounds it to the last hour), one for states, one for alert counts. Its steps are 5 minutes, finer than the hourly
 * rollups, so it reads minutes.
 */
import type { Db } from "@/lib/db/client";
import { summarizeSums, type MetricTotals } from "./query-endpoint-metrics";
import { addSums, bucketSumsSql, emptySums, type RollupSums } from "./rollup-sums";
import { summarizeEndpointStatus, type EndpointStatus } from "./prepare-endpoint-status";

export const FLEET_WINDOW_MS = 60 * 60_000;
export const FLEET_STEP_SECONDS = 300;

export interface FleetSparkPoint {
  /** Bucket start, epoch ms. */
  t: number;
  requests: number;
  p95: number | null;
  errorRate: number | null;
}

export interface FleetEndpoint extends MetricTotals {
  name: string;
  model: string;
  status: EndpointStatus;
  /** What each served version reports, worst instance first. */
  versions: { version: number; state: string }[];
  openAlerts: number;
  criticalAlerts: number;
  sparkline: FleetSparkPoint[];
}

export interface FleetOverview {
  /** The window of the traffic numbers (the last hour), ISO 8601. */
  from: string;
  to: string;
  step: number;
  endpoints: FleetEndpoint[];
}

interface Row {
  endpointId: string;
  t: number;
  requests: number;
  errors: number;
  latency_sum: number;
  buckets: number[];
}

const STATE_RANK: Record<string, number> = { failed: 0, loading: 1, warming: 2, draining: 3, ready: 4 };

export async function queryFleetOverview(opts: { db: Db; now?: Date }): Promise<FleetOverview> {
  const { db } = opts;
  const to = opts.now ?? new Date();
  const from = new Date(to.getTime() - FLEET_WINDOW_MS);
  const step = FLEET_STEP_SECONDS;

  const [endpoints, rows, alertCounts] = await Promise.all([
    db.endpoint.findMany({
      orderBy: { name: "asc" },
      select: { id: true, name: true, model: { select: { name: true } }, states: { select: { version: true, instanceId: true, state: true } } },
    }),
    db.$queryRaw<Row[]>`
      SELECT "endpointId", (extract(epoch FROM b) * 1000)::float8 AS t, requests, errors, latency_sum, buckets
        FROM (SELECT "endpointId",
                     date_bin(${step}::int * interval '1 second', "minute", TIMESTAMP '1970-01-01') AS b,
                     sum("count")::float8 AS requests,
                     sum("errors")::float8 AS errors,
                     sum("latencySumMs")::float8 AS latency_sum,
                     ${bucketSumsSql()} AS buckets
                FROM "MetricRollup"
               WHERE "minute" >= ${from} AND "minute" < ${to}
               GROUP BY 1, 2) g
       ORDER BY 1, 2`,
    db.alert.groupBy({
      by: ["endpointId", "severity"],
      where: { status: { in: ["open", "acknowledged"] }, endpointId: { not: null } },
      _count: { _all: true },
    }),
  ]);

  const byEndpoint = new Map<string, { sums: RollupSums; sparkline: FleetSparkPoint[] }>();
  const toMs = to.getTime();
  const stepMs = step * 1000;
  for (const r of rows) {
    const sums: RollupSums = { requests: Number(r.requests), errors: Number(r.errors), latencySumMs: Number(r.latency_sum), buckets: r.buckets.map(Number) };
    let e = byEndpoint.get(r.endpointId);
    if (!e) byEndpoint.set(r.endpointId, (e = { sums: emptySums(), sparkline: [] }));
    addSums(e.sums, sums);
    const t = Number(r.t);
    const s = summarizeSums(sums, (Math.min(t + stepMs, toMs) - Math.max(t, from.getTime())) / 1000);
    e.sparkline.push({ t, requests: s.requests, p95: s.p95, errorRate: s.errorRate });
  }

  const alerts = new Map<string, { open: number; critical: number }>();
  for (const a of alertCounts) {
    if (!a.endpointId) continue;
    const c = alerts.get(a.endpointId) ?? { open: 0, critical: 0 };
    c.open += a._count._all;
    if (a.severity === "critical") c.critical += a._count._all;
    alerts.set(a.endpointId, c);
  }

  return {
    from: from.toISOString(),
    to: to.toISOString(),
    step,
    endpoints: endpoints.map((e) => {
      const traffic = byEndpoint.get(e.id);
      const versions = new Map<number, string>();
      for (const s of e.states) {
        const prev = versions.get(s.version);
        if (prev === undefined || (STATE_RANK[s.state] ?? 0) < (STATE_RANK[prev] ?? 0)) versions.set(s.version, s.state);
      }
      return {
        name: e.name,
        model: e.model.name,
        status: summarizeEndpointStatus(e.states),
        versions: [...versions.entries()].sort(([a], [b]) => a - b).map(([version, state]) => ({ version, state })),
        ...summarizeSums(traffic?.sums ?? emptySums(), FLEET_WINDOW_MS / 1000),
        openAlerts: alerts.get(e.id)?.open ?? 0,
        criticalAlerts: alerts.get(e.id)?.critical ?? 0,
        sparkline: traffic?.sparkline ?? [],
      };
    }),
  };
}

