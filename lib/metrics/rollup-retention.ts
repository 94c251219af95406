/**
 * How long rollups are kept; the retention job (lib/jobs/job-list.ts) deletes older rows. Per-minute rows cover the
 * 31 days a chart can ask for (prepare-range.ts). Hourly rows are 1/60th of the size and are kept longer: the query
 * never reads them past the 31 days, but they stay the only record of older traffic, and the hourly job never
 * re-aggregates an hour whose minute rows retention may already have thinned (aggregate-hourly-rollups.ts).
 */
const DAY_MS = 86_400_000;

export const MINUTE_ROLLUP_RETENTION_MS = 31 * DAY_MS;
export const HOURLY_ROLLUP_RETENTION_MS = 90 * DAY_MS;
