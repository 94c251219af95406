/** The hourly rollups as a scheduled job (registered in lib/jobs/job-list.ts; the runner takes the advisory lock). */
import { getDb } from "@/lib/db/client";
import type { Job } from "@/lib/jobs/job-list";
import { aggregateHourlyRollups } from "./aggregate-hourly-rollups";

/** How often the full sweep for late and written-back minute rows runs (see aggregate-hourly-rollups.ts). */
export const SWEEP_EVERY_MS = 10 * 60_000;

// Per process, and 0 at start: a process sweeps on its first tick, which catches up whatever was written while no
// job ran (a restart, another replica holding the lock until it died).
let lastSweepAt = 0;

export const hourlyRollupsJob: Job = {
  name: "hourly-rollups",
  everyMs: 60_000,
  async run() {
    const now = Date.now();
    const sweep = now - lastSweepAt >= SWEEP_EVERY_MS;
    await aggregateHourlyRollups({ db: await getDb(), now: new Date(now), sweep });
    if (sweep) lastSweepAt = now;
  },
};
