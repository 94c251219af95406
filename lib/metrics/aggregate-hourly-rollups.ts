/**
 * Sums per-minute rollups (MetricRollup: one row per instance per minute) into one row per endpoint, served version
 * and UTC hour (MetricRollupHour), which ranges charted in whole-hour steps read (query-rollup-sums.ts).
 *
 * Every write is one `INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE` that SETS an hour's totals from all its
 * minute rows, never adds to them: rerunning any hour is harmless and picks up whatever changed. Two passes:
 *
 * - sweep (when asked: hourly-rollups-job.ts asks on its first tick and every 10 minutes): the older hours, within
 *   the minute retention, whose number of minute rows differs from their hourly row's `minuteRows` — hours never
 *   aggregated (history written straight into the minute table, as the demo seed does) and hours to which late rows
 *   were added (a data plane that could not reach the database flushes what it kept once it can). It reads every
 *   minute row's index entry — 0.7–0.9 s for the 850k rows of bench/dashboard-queries.ts, on Postgres or PGlite —
 *   hence not every tick; a day per query with a yield between, so on PGlite (which runs on the caller's thread, the
 *   data plane's in embedded mode) it holds the thread ≤ ~60 ms at a time instead of 0.6 s. Until it runs, charts at
 *   whole-hour steps show such hours without the rows it will add.
 *   (A fresh database needs no sweep: with no hourly rows at all the recent pass takes every minute row.)
 * - recent: every hour from RECENT_HOURS before the settled edge — minute rows are re-upserted every few seconds
 *   while their minute runs and may be flushed late — or from the watermark when that is older (the job was down).
 *
 * The settled edge is the start of the hour that held `now - SETTLE_MS`: the running hour, and the one before for
 * SETTLE_MS after it ends (the data plane's last flushes of it), stay in the minute table only.
 *
 * The watermark is derived, not stored: the hour after the newest hourly row. Every recent pass writes all the
 * hours it covers for every endpoint at once, so the newest row marks how far aggregation has reached; hours after
 * it without traffic are re-scanned each tick, which is an empty index range. A stored watermark would be one more
 * thing to keep true (a restored backup, a truncated table) for nothing. The query side derives the same per
 * endpoint (query-rollup-sums.ts).
 *
 * What no pass catches: a minute row updated in place (same instance and minute, so the row count is unchanged)
 * more than RECENT_HOURS after its hour — only a data plane that flushed part of a minute, then lost the database
 * for hours, does that — and hours older than the minute retention, which are never rewritten because retention
 * may already have deleted part of their minutes (hourly rows outlive them: rollup-retention.ts).
 */
import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/client";
import { bucketSumsSql } from "./rollup-sums";
import { MINUTE_ROLLUP_RETENTION_MS } from "./rollup-retention";

const HOUR_MS = 3_600_000;
const RECENT_HOURS = 2;
const SETTLE_MS = 5 * 60_000;
const SWEEP_CHUNK_MS = 24 * HOUR_MS;

const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
const ceilHour = (ms: number) => Math.ceil(ms / HOUR_MS) * HOUR_MS;

export interface HourlyRollupResult {
  /** Hours before this are in MetricRollupHour (as of this run). */
  settledEnd: Date;
  /** Where the recent pass started; null when there were no hourly rows and it took every minute row. */
  recentFrom: Date | null;
  /** (endpoint, version, hour) rows written or changed by the sweep and by the recent pass. */
  swept: number;
  recent: number;
}

export async function aggregateHourlyRollups(opts: { db: Db; now?: Date; sweep?: boolean }): Promise<HourlyRollupResult> {
  const { db } = opts;
  const now = (opts.now ?? new Date()).getTime();
  const settledEnd = floorHour(now - SETTLE_MS);
  const [w] = await db.$queryRaw<{ newest: number | null }[]>`
    SELECT (extract(epoch FROM max("hour")) * 1000)::float8 AS newest FROM "MetricRollupHour"`;
  // No hourly rows at all (a fresh database, or the first run after the upgrade): aggregate everything once.
  const watermark = w?.newest == null ? Number.NEGATIVE_INFINITY : Number(w.newest) + HOUR_MS;
  const recentFrom = Math.min(settledEnd - RECENT_HOURS * HOUR_MS, watermark);
  // Only hours that still have all their minutes: those starting after the minute retention edge, with an hour to
  // spare for a retention run that races this one or runs on a replica whose clock is ahead.
  const sweepFrom = ceilHour(now - MINUTE_ROLLUP_RETENTION_MS) + HOUR_MS;
  const sweep = opts.sweep && sweepFrom < recentFrom;

  let swept = 0;
  if (sweep) {
    // A day per statement, not the whole month in one: on the embedded database a statement holds the thread it runs
    // on (the data plane's HTTP thread too) until it ends, and the month took 0.3–0.9 s at bench scale. Each upsert
    // sets whole hours (chunks are hour-aligned), so the chunks need no common transaction.
    // Most days have nothing stale: a day costs one counting query then, and is rewritten only when it has some.
    for (let from = sweepFrom; from < recentFrom; from += SWEEP_CHUNK_MS) {
      const day = { from: new Date(from), to: new Date(Math.min(from + SWEEP_CHUNK_MS, recentFrom)) };
      const [{ n }] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (${staleHours(day.from, day.to)}) s`;
      if (n > 0) swept += await upsertHours(db, staleHoursSource(day.from, day.to));
      // PGlite's promises settle as microtasks: without this, timers and sockets would still wait for the whole sweep.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const recent = await upsertHours(
    db,
    Number.isFinite(recentFrom)
      ? Prisma.sql`WHERE m."minute" >= ${new Date(recentFrom)} AND m."minute" < ${new Date(settledEnd)}`
      : Prisma.sql`WHERE m."minute" < ${new Date(settledEnd)}`,
  );
  return { settledEnd: new Date(settledEnd), recentFrom: Number.isFinite(recentFrom) ? new Date(recentFrom) : null, swept, recent };
}

/** The (endpoint, version, hour)s in [from, to) whose minute-row count their hourly row does not match. */
function staleHours(from: Date, to: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT c."endpointId", c."version", c."hour"
      FROM (SELECT "endpointId", "version", date_trunc('hour', "minute") AS "hour", count(*) AS n
              FROM "MetricRollup"
             WHERE "minute" >= ${from} AND "minute" < ${to}
             GROUP BY 1, 2, 3) c
      LEFT JOIN "MetricRollupHour" h ON h."endpointId" = c."endpointId" AND h."version" = c."version" AND h."hour" = c."hour"
     WHERE h."minuteRows" IS DISTINCT FROM c.n`;
}

/** Minute rows of the stale hours in [from, to). */
function staleHoursSource(from: Date, to: Date): Prisma.Sql {
  return Prisma.sql`
    JOIN (${staleHours(from, to)}) s
      ON m."endpointId" = s."endpointId" AND m."version" = s."version"
     AND m."minute" >= s."hour" AND m."minute" < s."hour" + interval '1 hour'
   WHERE m."minute" >= ${from} AND m."minute" < ${to}`;
}

/**
 * Sets each (endpoint, version, hour) of the selected minute rows to their sums. Rows whose sums did not change are
 * left alone (the recent pass recomputes the same hours every tick), so the count is of rows written.
 */
function upsertHours(db: Db, source: Prisma.Sql) {
  return db.$executeRaw`
    INSERT INTO "MetricRollupHour" AS t ("endpointId", "version", "hour", "minuteRows", "count", "errors", "latencySumMs",
                                        "latencyBuckets", "queueSumMs", "batchRows", "shadowCount", "shadowAgree", "shadowAbsDiff")
    SELECT m."endpointId", m."version", date_trunc('hour', m."minute"), count(*), sum(m."count"), sum(m."errors"),
           sum(m."latencySumMs"), ${bucketSumsSql(`m."latencyBuckets"`, "bigint")}, sum(m."queueSumMs"), sum(m."batchRows"),
           sum(m."shadowCount"), sum(m."shadowAgree"), sum(m."shadowAbsDiff")
      FROM "MetricRollup" m
      ${source}
     GROUP BY 1, 2, 3
    ON CONFLICT ("endpointId", "version", "hour") DO UPDATE
       SET "minuteRows" = excluded."minuteRows", "count" = excluded."count", "errors" = excluded."errors",
           "latencySumMs" = excluded."latencySumMs", "latencyBuckets" = excluded."latencyBuckets",
           "queueSumMs" = excluded."queueSumMs", "batchRows" = excluded."batchRows", "shadowCount" = excluded."shadowCount",
           "shadowAgree" = excluded."shadowAgree", "shadowAbsDiff" = excluded."shadowAbsDiff"
     WHERE (t."minuteRows", t."count", t."errors", t."latencySumMs", t."latencyBuckets", t."queueSumMs", t."batchRows",
            t."shadowCount", t."shadowAgree", t."shadowAbsDiff")
           IS DISTINCT FROM
           (excluded."minuteRows", excluded."count", excluded."errors", excluded."latencySumMs", excluded."latencyBuckets",
            excluded."queueSumMs", excluded."batchRows", excluded."shadowCount", excluded."shadowAgree", excluded."shadowAbsDiff")`;
}
