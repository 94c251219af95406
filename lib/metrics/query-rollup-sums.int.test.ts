import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { aggregateHourlyRollups } from "./aggregate-hourly-rollups";
import { queryEndpointMetrics } from "./query-endpoint-metrics";
import { queryRollupSums, type RollupBucket } from "./query-rollup-sums";
import { HOUR_MS, MINUTE_MS, makeEndpoint, minuteRows, type MinuteRow } from "./rollups-test-kit";

// Earlier than any other test file's rollups: the job's watermark is global (its newest hourly row), and a first
// full pass here must only reach rows before its settled edge.
const T0 = Date.parse("2023-03-06T00:00:00Z");
const at = (h: number, m = 0, s = 0) => new Date(T0 + h * HOUR_MS + m * MINUTE_MS + s * 1000);

/** The sums straight from the generated rows, bucketed as date_bin does: an oracle that shares no code with the query. */
function oracle(rows: readonly MinuteRow[], from: Date, to: Date, step: number): RollupBucket[] {
  const stepMs = step * 1000;
  const out = new Map<string, RollupBucket>();
  for (const r of rows) {
    const m = r.minute.getTime();
    if (m < from.getTime() || m >= to.getTime()) continue;
    const t = Math.floor(m / stepMs) * stepMs;
    const key = `${r.version}:${t}`;
    const b = out.get(key) ?? { t, version: r.version, sums: { requests: 0, errors: 0, latencySumMs: 0, buckets: new Array(r.latencyBuckets.length).fill(0) } };
    b.sums.requests += r.count;
    b.sums.errors += r.errors;
    b.sums.latencySumMs += r.latencySumMs;
    r.latencyBuckets.forEach((c, i) => (b.sums.buckets[i] += c));
    out.set(key, b);
  }
  return [...out.values()].sort((a, b) => a.version - b.version || a.t - b.t);
}

describe("queryRollupSums", () => {
  it("answers from whole hours plus minute edges exactly what the minutes alone answer", async () => {
    const db = await getDb();
    const e = await makeEndpoint("hourly-read");
    const other = await makeEndpoint("hourly-read-other");
    // Three versions from two instances for 12 hours; v3 silent for the whole of hour 4 (a gap, not zeros), and
    // another endpoint's traffic in the same hours that must not leak in.
    const rows = minuteRows({ endpointId: e.id, versions: [1, 2, 3], instances: ["a", "b"], from: T0, to: at(12).getTime(), seed: 7 }).filter(
      (r) => !(r.version === 3 && r.minute >= at(4) && r.minute < at(5)),
    );
    await db.metricRollup.createMany({ data: [...rows, ...minuteRows({ endpointId: other.id, versions: [1], instances: ["a"], from: T0, to: at(12).getTime(), seed: 8 })] });

    const windows = [
      { from: at(1, 17), to: at(11, 23, 30), step: 3600 }, // partial hours at both ends
      { from: at(1, 17), to: at(11, 23, 30), step: 7200 }, // ... and buckets of two hours, edges inside them
      { from: at(0), to: at(12), step: 14_400 }, // aligned ends
      { from: at(2, 59), to: at(3, 1), step: 3600 }, // crosses an hour but holds no whole one
      { from: at(1, 17), to: at(11, 23, 30), step: 300 }, // minute steps never read hours
    ];
    const read = () => Promise.all(windows.map((w) => queryRollupSums({ db, endpointId: e.id, ...w })));

    const minuteOnly = await read();
    expect(minuteOnly.map((r) => r.hourly)).toEqual([null, null, null, null, null]);
    windows.forEach((w, i) => expect(minuteOnly[i].buckets).toEqual(oracle(rows, w.from, w.to, w.step)));

    // The job last ran at 09:07: hours before 09:00 are aggregated; 09:00 onwards exist only as minutes.
    await aggregateHourlyRollups({ db, now: at(9, 7), sweep: true });
    const mixed = await read();
    expect(mixed.map((r) => r.hourly)).toEqual([{ from: at(2), to: at(9) }, { from: at(2), to: at(9) }, { from: at(0), to: at(9) }, null, null]);
    windows.forEach((_, i) => expect(mixed[i].buckets).toEqual(minuteOnly[i].buckets));

    // A later tick moves the edge on; the answer stays the same.
    await aggregateHourlyRollups({ db, now: at(12, 30), sweep: true });
    const later = await read();
    expect(later[0].hourly).toEqual({ from: at(2), to: at(11) });
    windows.forEach((_, i) => expect(later[i].buckets).toEqual(minuteOnly[i].buckets));
  });

  it("gives the charts the same series, totals and percentiles with and without hourly rows", async () => {
    const db = await getDb();
    const e = await makeEndpoint("hourly-metrics");
    const rows = minuteRows({ endpointId: e.id, versions: [1, 2], instances: ["a", "b"], from: T0, to: at(30).getTime(), seed: 11 });
    await db.metricRollup.createMany({ data: rows });
    // The 7- and 30-day presets' steps (1 h, 4 h), 2 h, and the ladder's choice for 9 hours (2 min: minutes only)
    const asks = [
      { from: at(0, 40), to: at(29, 50, 15), step: 14_400 },
      { from: at(0, 40), to: at(29, 50, 15), step: 3600 },
      { from: at(3), to: at(28, 1), step: 7200 },
      { from: at(20), to: at(29, 10) },
    ];
    const read = () => Promise.all(asks.map((a) => queryEndpointMetrics({ db, endpointName: e.name, ...a })));
    const before = await read();
    await aggregateHourlyRollups({ db, now: at(27, 20), sweep: true });
    const after = await read();
    expect(after).toEqual(before);
    expect(before[1].variants[0].points.length).toBeGreaterThan(25);
    expect(before[1].totals.p99).not.toBeNull();
    const { hourly } = await queryRollupSums({ db, endpointId: e.id, from: at(0, 40), to: at(29, 50, 15), step: 3600 });
    expect(hourly).toEqual({ from: at(1), to: at(27) });
  });
});
