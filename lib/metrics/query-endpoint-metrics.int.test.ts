import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { aggregateHourlyRollups } from "./aggregate-hourly-rollups";
import { LATENCY_BUCKET_COUNT, bucketIndex } from "./latency-buckets";
import { queryEndpointMetrics } from "./query-endpoint-metrics";
import { queryFleetOverview } from "./query-fleet-overview";

const T0 = Date.parse("2024-05-01T10:00:00Z");
const min = (n: number) => new Date(T0 + n * 60_000);

/** `n` requests all at `ms` milliseconds. */
function hist(...pairs: [ms: number, n: number][]): number[] {
  const b = new Array(LATENCY_BUCKET_COUNT).fill(0);
  for (const [ms, n] of pairs) b[bucketIndex(ms)] += n;
  return b;
}

async function makeEndpoint(prefix: string) {
  const db = await getDb();
  const suffix = `${Date.now()}-${Math.random().toString(36).slice(2, 7)}`;
  const model = await db.model.create({ data: { name: `${prefix}-model-${suffix}` } });
  return db.endpoint.create({ data: { name: `${prefix}-${suffix}`, modelId: model.id, config: {} } });
}

describe("queryEndpointMetrics", () => {
  it("sums instances, merges histograms for percentiles and leaves empty buckets out", async () => {
    const db = await getDb();
    const e = await makeEndpoint("metrics");
    const other = await makeEndpoint("metrics-other");
    const row = (endpointId: string, version: number, minute: Date, instanceId: string, count: number, errors: number, latencySumMs: number, latencyBuckets: number[]) =>
      ({ endpointId, version, minute, instanceId, count, errors, latencySumMs, latencyBuckets });
    await db.metricRollup.createMany({
      data: [
        // bucket 10:00–10:05, v1: two instances in the same minute plus another minute
        row(e.id, 1, min(0), "a", 10, 1, 50, hist([5, 10])),
        row(e.id, 1, min(0), "b", 10, 0, 150, hist([20, 10])),
        row(e.id, 1, min(1), "a", 20, 3, 100, hist([5, 20])),
        // bucket 10:05–10:10, v1 (window ends 10:08, so it covers 180 s)
        row(e.id, 1, min(7), "a", 5, 5, 5000, hist([1000, 5])),
        // v2 only in the first bucket: its second bucket must be absent, not zero
        row(e.id, 2, min(2), "a", 4, 0, 4, hist([1, 4])),
        // outside the window, and another endpoint in the window: both ignored
        row(e.id, 1, min(-1), "a", 1000, 1000, 1, hist([1, 1000])),
        row(other.id, 1, min(0), "a", 1000, 1000, 1, hist([1, 1000])),
      ],
    });

    const m = await queryEndpointMetrics({ db, endpointName: e.name, from: min(0), to: min(8), step: 300 });
    expect(m.step).toBe(300);
    expect(m.from).toBe("2024-05-01T10:00:00.000Z");
    expect(m.variants.map((v) => v.version)).toEqual([1, 2]);

    const [v1, v2] = m.variants;
    expect(v1.points.map((p) => p.t)).toEqual([T0, T0 + 300_000]);
    const first = v1.points[0];
    expect(first.requests).toBe(40);
    expect(first.errors).toBe(4);
    expect(first.errorRate).toBeCloseTo(0.1, 12);
    expect(first.meanMs).toBeCloseTo(7.5, 12);
    expect(first.rps).toBeCloseTo(40 / 300, 12);
    // merged histogram: 30 in (4, 5], 10 in (15, 20]
    expect(first.p50).toBeCloseTo(4 + (20 / 30), 9);
    expect(first.p95).toBeCloseTo(15 + 5 * (8 / 10), 9);
    expect(first.p99).toBeCloseTo(15 + 5 * (9.6 / 10), 9);

    const second = v1.points[1];
    expect(second.requests).toBe(5);
    expect(second.errorRate).toBe(1);
    expect(second.rps).toBeCloseTo(5 / 180, 12);
    expect(second.p50).toBeGreaterThan(750);
    expect(second.p50).toBeLessThanOrEqual(1000);

    expect(v2.points).toHaveLength(1);
    expect(v2.points[0]).toMatchObject({ t: T0, requests: 4, errors: 0, errorRate: 0 });

    expect(v1.totals.requests).toBe(45);
    expect(v1.totals.errors).toBe(9);
    expect(m.totals.requests).toBe(49);
    expect(m.totals.errorRate).toBeCloseTo(9 / 49, 12);
    expect(m.totals.rps).toBeCloseTo(49 / 480, 12);

    // per-minute resolution keeps the minutes apart
    const fine = await queryEndpointMetrics({ db, endpointName: e.name, from: min(0), to: min(8), step: 60 });
    expect(fine.variants[0].points.map((p) => [p.t, p.requests])).toEqual([[T0, 20], [T0 + 60_000, 20], [T0 + 420_000, 5]]);
  });

  // 30 days × 10 versions of per-minute rollups (432,000 rows). Timing is printed, not asserted (see
  // bench/dashboard-queries.ts); what is asserted is that the aggregate over the whole volume is exact, from the
  // minutes and then from the hourly rollups.
  it.skipIf(process.env.FERRY_TEST_DB === "pglite")("aggregates 30 days × 10 versions exactly", async () => {
    const db = await getDb();
    const e = await makeEndpoint("metrics-scale");
    const end = new Date("2024-06-01T00:00:00Z");
    const buckets = `ARRAY[${Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => (i === 11 ? "c" : "0")).join(",")}]`;
    // count = 1 + (minute index mod 7) per version; every request in (7.5, 10] ms; every 10th minute 1 error.
    await db.$executeRawUnsafe(
      `INSERT INTO "MetricRollup" ("endpointId","version","minute","instanceId","count","errors","latencySumMs","latencyBuckets")
       SELECT $1, v, $2::timestamp - (i + 1) * interval '1 minute', 'a', c, (i % 10 = 0)::int, c * 9.0, ${buckets}
         FROM generate_series(1, 10) v, generate_series(0, 43199) i, LATERAL (SELECT 1 + i % 7 AS c) x`,
      e.id,
      end.toISOString().slice(0, 19),
    );
    await db.$executeRawUnsafe(`VACUUM ANALYZE "MetricRollup"`);
    const run = async () => {
      const t0 = performance.now();
      const m = await queryEndpointMetrics({ db, endpointName: e.name, from: new Date(end.getTime() - 30 * 86_400_000), to: end });
      return { m, ms: performance.now() - t0 };
    };
    // The first read of freshly inserted rows also writes their hint bits; the second is what a dashboard sees.
    const first = await run();
    const { m, ms } = await run();
    console.log(`queryEndpointMetrics over 432,000 rows: first ${first.ms.toFixed(0)} ms, then ${ms.toFixed(0)} ms (step ${m.step} s)`);
    // sum over i of (1 + i % 7): 43,200 minutes = 6,171 full weeks of 7 (28 each) + 3 (1 + 2 + 3)
    const perVersion = 6171 * 28 + 6;
    expect(m.step).toBe(14_400);
    expect(m.variants).toHaveLength(10);
    for (const v of m.variants) {
      expect(v.points).toHaveLength(180);
      expect(v.totals.requests).toBe(perVersion);
      expect(v.totals.errors).toBe(4320);
      expect(v.totals.meanMs).toBeCloseTo(9, 9);
      expect(v.totals.p99).toBeGreaterThan(7.5);
      expect(v.totals.p99).toBeLessThanOrEqual(10);
    }
    expect(m.totals.requests).toBe(10 * perVersion);

    // Once the hourly job has run, the same answer comes from 7,200 hourly rows.
    await aggregateHourlyRollups({ db, now: new Date(end.getTime() + 10 * 60_000), sweep: true });
    await db.$executeRawUnsafe(`VACUUM ANALYZE "MetricRollupHour"`);
    await run();
    const hourly = await run();
    console.log(`… from hourly rollups: ${hourly.ms.toFixed(0)} ms`);
    expect(hourly.m).toEqual(m);
  });

  it("refuses unknown endpoints and bad windows", async () => {
    const db = await getDb();
    await expect(queryEndpointMetrics({ db, endpointName: "no-such-endpoint", from: min(0), to: min(5) })).rejects.toMatchObject({ code: "not_found" });
    const e = await makeEndpoint("metrics-bad");
    await expect(queryEndpointMetrics({ db, endpointName: e.name, from: min(5), to: min(0) })).rejects.toMatchObject({ code: "bad_request" });
    await expect(queryEndpointMetrics({ db, endpointName: e.name, from: min(0), to: min(60 * 24 * 30), step: 60 })).rejects.toMatchObject({ code: "bad_request" });
  });
});

describe("queryFleetOverview", () => {
  it("reports status, last hour's traffic and open alerts per endpoint", async () => {
    const db = await getDb();
    const e = await makeEndpoint("fleet");
    const now = min(60);
    await db.metricRollup.createMany({
      data: [
        { endpointId: e.id, version: 1, minute: min(58), instanceId: "a", count: 90, errors: 9, latencySumMs: 900, latencyBuckets: hist([10, 90]) },
        { endpointId: e.id, version: 2, minute: min(58), instanceId: "b", count: 10, errors: 1, latencySumMs: 100, latencyBuckets: hist([10, 10]) },
        { endpointId: e.id, version: 1, minute: min(-5), instanceId: "a", count: 500, errors: 0, latencySumMs: 1, latencyBuckets: hist([1, 500]) },
      ],
    });
    await db.endpointState.createMany({
      data: [
        { endpointId: e.id, instanceId: "a", version: 1, state: "ready", generation: 1 },
        { endpointId: e.id, instanceId: "a", version: 2, state: "failed", generation: 1 },
      ],
    });
    await db.alert.createMany({
      data: [
        { endpointId: e.id, signal: "latency", title: "slow", severity: "critical", openKey: `${e.id}:latency:` },
        { endpointId: e.id, signal: "drift", feature: "f0", title: "drift", status: "resolved" },
      ],
    });
    const quiet = await makeEndpoint("fleet-quiet");

    const overview = await queryFleetOverview({ db, now });
    const row = overview.endpoints.find((x) => x.name === e.name)!;
    expect(row.status).toBe("degraded");
    expect(row.versions).toEqual([{ version: 1, state: "ready" }, { version: 2, state: "failed" }]);
    expect(row.requests).toBe(100);
    expect(row.errorRate).toBeCloseTo(0.1, 12);
    expect(row.p95).toBeGreaterThan(7.5);
    expect(row.p95).toBeLessThanOrEqual(10);
    expect(row.openAlerts).toBe(1);
    expect(row.criticalAlerts).toBe(1);
    expect(row.sparkline).toHaveLength(1);
    expect(row.sparkline[0].t).toBe(T0 + 55 * 60_000);

    const q = overview.endpoints.find((x) => x.name === quiet.name)!;
    expect(q).toMatchObject({ status: "not_serving", requests: 0, errorRate: null, p95: null, openAlerts: 0, sparkline: [] });
  });
});
