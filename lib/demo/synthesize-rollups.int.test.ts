import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { aggregateHourlyRollups } from "@/lib/metrics/aggregate-hourly-rollups";
import { prepareRange } from "@/lib/metrics/prepare-range";
import { queryEndpointMetrics, type EndpointMetrics } from "@/lib/metrics/query-endpoint-metrics";
import { queryRollupSums } from "@/lib/metrics/query-rollup-sums";
import { HOUR_MS, expectedHours, makeEndpoint, minuteRows, readHours } from "@/lib/metrics/rollups-test-kit";
import { synthesizeRollups } from "./synthesize-rollups";

// Later than the other rollup tests' dates and before the scale test's: the job's passes here reach only this file's
// rows.
const NOW = new Date("2023-09-04T15:42:17Z");

/** Everything equal, latency means up to float rounding (the demo's latency sums are not whole numbers). */
function expectSameMetrics(actual: EndpointMetrics, expected: EndpointMetrics) {
  const withoutMeans = (m: EndpointMetrics) => JSON.parse(JSON.stringify(m, (k, v) => (k === "meanMs" ? undefined : v)));
  const means = (m: EndpointMetrics) => [m.totals.meanMs, ...m.variants.flatMap((v) => [v.totals.meanMs, ...v.points.map((p) => p.meanMs)])];
  expect(withoutMeans(actual)).toEqual(withoutMeans(expected));
  const e = means(expected);
  means(actual).forEach((x, i) => expect(x).toBeCloseTo(e[i]!, 9));
}

describe("the demo's day of history", () => {
  it("is caught up by the hourly job when written after it moved on, and charts the same", async () => {
    const db = await getDb();
    // Another endpoint's live traffic has taken the hourly job up to NOW's settled edge...
    const live = await makeEndpoint("demo-live");
    await db.metricRollup.createMany({ data: minuteRows({ endpointId: live.id, versions: [1], instances: ["a"], from: NOW.getTime() - 3 * HOUR_MS, to: NOW.getTime(), seed: 1 }) });
    await aggregateHourlyRollups({ db, now: NOW });
    // ...when the seed writes a day of minute rollups straight into the table.
    const demo = await makeEndpoint("demo-history");
    const history = synthesizeRollups({ endpointId: demo.id, versions: [1, 2], now: NOW });
    await db.metricRollup.createMany({ data: history });
    // The history reaches the minute before NOW's, which live traffic fills.
    expect(Math.max(...history.map((r) => r.minute.getTime()))).toBe(Date.parse("2023-09-04T15:41:00Z"));

    const ranges = (["7d", "30d", "24h"] as const).map((range) => prepareRange({ range, now: NOW }));
    const read = () => Promise.all(ranges.map((r) => queryEndpointMetrics({ db, endpointName: demo.name, ...r })));
    const minuteOnly = await read();

    const { settledEnd } = await aggregateHourlyRollups({ db, now: new Date(NOW.getTime() + 60_000), sweep: true });
    const hours = await readHours([demo.id]);
    // The demo records no shadow traffic: its rows take the columns' defaults.
    const expected = expectedHours(history.map((r) => ({ shadowCount: 0, shadowAgree: 0, shadowAbsDiff: 0, ...r }))).filter((h) => h.hour < settledEnd.getTime());
    expect(hours.map(({ latencySumMs: _l, queueSumMs: _q, ...h }) => h)).toEqual(expected.map(({ latencySumMs: _l, queueSumMs: _q, ...h }) => h));
    hours.forEach((h, i) => expect(h.latencySumMs).toBeCloseTo(expected[i].latencySumMs, 6));

    const { hourly } = await queryRollupSums({ db, endpointId: demo.id, ...ranges[0] });
    expect(hourly?.to).toEqual(settledEnd);
    const after = await read();
    after.forEach((m, i) => expectSameMetrics(m, minuteOnly[i]));
    expect(after[0].variants.map((v) => v.totals.requests)).toEqual(minuteOnly[0].variants.map((v) => v.totals.requests));
  });
});
