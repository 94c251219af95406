import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { aggregateHourlyRollups } from "./aggregate-hourly-rollups";
import { HOUR_MS, MINUTE_MS, expectedHours, makeEndpoint, minuteRows, readHours, type MinuteRow } from "./rollups-test-kit";

// Earlier than any other test file's rollups, so the job's passes here reach no other file's minute rows; each test
// has a day of its own, so its recent passes see only its own rows.
const T0 = Date.parse("2023-01-09T00:00:00Z");
const onDay = (d: number) => (h: number, m = 0) => new Date(T0 + d * 86_400_000 + h * HOUR_MS + m * MINUTE_MS);
const before = (rows: MinuteRow[], t: Date) => rows.filter((r) => r.minute < t);

async function currentMinuteRows(endpointId: string): Promise<MinuteRow[]> {
  const db = await getDb();
  return db.metricRollup.findMany({ where: { endpointId } });
}

describe("aggregateHourlyRollups", () => {
  // The watermark is the newest hourly row of any endpoint, so each test starts from an empty hourly table, as a new
  // installation does. (No other test file reads it.)
  beforeEach(async () => {
    const db = await getDb();
    await db.metricRollupHour.deleteMany({});
  });

  it("sums every instance's minutes into one row per version and hour, leaves unsettled hours alone, and reruns write nothing", async () => {
    const db = await getDb();
    const at = onDay(0);
    const e = await makeEndpoint("hourly-job");
    const rows = minuteRows({ endpointId: e.id, versions: [1, 2], instances: ["a", "b", "c"], from: at(0).getTime(), to: at(4, 30).getTime(), seed: 3 });
    await db.metricRollup.createMany({ data: rows });

    // 04:03: hour 03 ended three minutes ago and may still get its last flushes, so it stays with the minutes.
    const first = await aggregateHourlyRollups({ db, now: at(4, 3) });
    expect(first).toMatchObject({ settledEnd: at(3), recentFrom: null });
    expect(await readHours([e.id])).toEqual(expectedHours(before(rows, at(3))));

    const second = await aggregateHourlyRollups({ db, now: at(4, 30) });
    expect(second).toMatchObject({ settledEnd: at(4), recentFrom: at(2), recent: 2 });
    const hours = await readHours([e.id]);
    expect(hours).toEqual(expectedHours(before(rows, at(4))));
    expect(hours).toHaveLength(8);

    for (const sweep of [false, true]) {
      expect(await aggregateHourlyRollups({ db, now: at(4, 31), sweep })).toMatchObject({ recent: 0, swept: 0 });
    }
    expect(await readHours([e.id])).toEqual(hours);
  });

  it("picks up late minute rows: recent hours on every tick, older hours on the sweep", async () => {
    const db = await getDb();
    const at = onDay(1);
    const e = await makeEndpoint("hourly-late");
    const rows = minuteRows({ endpointId: e.id, versions: [1, 2], instances: ["a", "b"], from: at(0).getTime(), to: at(6, 10).getTime(), seed: 5 });
    await db.metricRollup.createMany({ data: rows });
    await aggregateHourlyRollups({ db, now: at(6, 10) });
    const settled = expectedHours(before(rows, at(6)));
    expect(await readHours([e.id])).toEqual(settled);

    // The data plane re-upserts a minute of hour 05 with more requests; a third instance flushes hour 04 late;
    // one that was cut off for hours flushes hour 01, including a version that had no row in that hour.
    const updated = rows.find((r) => r.minute >= at(5) && r.version === 1)!;
    await db.metricRollup.update({
      where: { endpointId_version_minute_instanceId: { endpointId: e.id, version: 1, minute: updated.minute, instanceId: updated.instanceId } },
      data: { count: { increment: 5 }, errors: { increment: 1 }, latencyBuckets: updated.latencyBuckets.map((c, i) => (i === 20 ? c + 5 : c)) },
    });
    const late = (hour: number, version: number, instanceId: string, count: number): MinuteRow => ({
      ...rows[0],
      version,
      minute: at(hour, 17),
      instanceId,
      count,
      errors: 1,
      latencySumMs: 3 * count,
      latencyBuckets: rows[0].latencyBuckets.map((_, i) => (i === 9 ? count : 0)),
    });
    await db.metricRollup.createMany({ data: [late(4, 2, "c", 7), late(1, 1, "d", 11), late(1, 9, "d", 2)] });
    const now = expectedHours(await currentMinuteRows(e.id)).filter((h) => h.hour < at(6).getTime());
    const hourOf = (list: typeof now, h: number) => list.filter((x) => x.hour === at(h).getTime());

    // A tick re-aggregates the recent hours (04 and 05); hour 01 waits for the sweep.
    expect(await aggregateHourlyRollups({ db, now: at(6, 11) })).toMatchObject({ recentFrom: at(4), recent: 2, swept: 0 });
    const afterTick = await readHours([e.id]);
    expect(hourOf(afterTick, 4)).toEqual(hourOf(now, 4));
    expect(hourOf(afterTick, 5)).toEqual(hourOf(now, 5));
    expect(hourOf(afterTick, 1)).toEqual(hourOf(settled, 1));

    expect(await aggregateHourlyRollups({ db, now: at(6, 12), sweep: true })).toMatchObject({ swept: 2, recent: 0 });
    expect(await readHours([e.id])).toEqual(now);
    expect(await aggregateHourlyRollups({ db, now: at(6, 13), sweep: true })).toMatchObject({ swept: 0, recent: 0 });
  });

  it("catches up after downtime from the newest hourly row, without waiting for the sweep", async () => {
    const db = await getDb();
    const at = onDay(2);
    const e = await makeEndpoint("hourly-downtime");
    const rows = minuteRows({ endpointId: e.id, versions: [1], instances: ["a"], from: at(0).getTime(), to: at(9, 10).getTime(), seed: 9 });
    await db.metricRollup.createMany({ data: before(rows, at(2, 10)) });
    await aggregateHourlyRollups({ db, now: at(2, 10) });
    // The control plane is down from 02:10 to 09:10 while the data plane keeps writing.
    await db.metricRollup.createMany({ data: rows.filter((r) => r.minute >= at(2, 10)) });
    expect(await aggregateHourlyRollups({ db, now: at(9, 10) })).toMatchObject({ recentFrom: at(2), recent: 7 });
    expect(await readHours([e.id])).toEqual(expectedHours(before(rows, at(9))));
  });

  it("never rewrites hours whose minutes retention may have thinned", async () => {
    const db = await getDb();
    const e = await makeEndpoint("hourly-retention");
    const old = onDay(3)(0);
    const now = new Date(old.getTime() + 31 * 86_400_000 + 10 * MINUTE_MS);
    // Live traffic puts the watermark at `now`'s settled edge, so older hours are the sweep's.
    await db.metricRollup.createMany({ data: minuteRows({ endpointId: e.id, versions: [1], instances: ["a"], from: now.getTime() - 3 * HOUR_MS, to: now.getTime(), seed: 1 }) });
    await aggregateHourlyRollups({ db, now });
    // An hour aggregated long ago from 60 minutes, of which retention has left one; and, two hours later, a minute
    // row no hourly row covers yet.
    const hourRow = { endpointId: e.id, version: 1, hour: old, minuteRows: 60, count: 1000n, errors: 10n, latencySumMs: 5000, latencyBuckets: new Array(28).fill(0n) };
    await db.metricRollupHour.create({ data: hourRow });
    const [lone, later] = minuteRows({ endpointId: e.id, versions: [1], instances: ["a"], from: old.getTime() + 30 * MINUTE_MS, to: old.getTime() + 31 * MINUTE_MS, seed: 2, skip: 0 })
      .concat(minuteRows({ endpointId: e.id, versions: [1], instances: ["a"], from: old.getTime() + 2 * HOUR_MS, to: old.getTime() + 2 * HOUR_MS + MINUTE_MS, seed: 4, skip: 0 }));
    await db.metricRollup.createMany({ data: [lone, later] });

    expect(await aggregateHourlyRollups({ db, now, sweep: true })).toMatchObject({ swept: 1 });
    const hours = await readHours([e.id]);
    expect(hours.find((h) => h.hour === old.getTime())).toMatchObject({ minuteRows: 60, count: 1000 });
    expect(hours.find((h) => h.hour === later.minute.getTime())).toMatchObject({ minuteRows: 1, count: later.count });
  });
});
