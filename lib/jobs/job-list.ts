import { getDb } from "@/lib/db/client";
import { ALERT_JOBS } from "@/lib/alerts/alert-jobs";
import { driftJob } from "@/lib/drift/drift-job";
import { rolloutJob } from "@/lib/rollouts/rollout-job";
import { hourlyRollupsJob } from "@/lib/metrics/hourly-rollups-job";
import { removeExpiredInternalTokens } from "@/lib/endpoints/internal-infer-token";
import { collectArtifacts } from "@/lib/artifacts/collect-artifacts";
import { PREDICTION_LOG_RETENTION_DAYS } from "@/lib/predictions/list-predictions";
import { HOURLY_ROLLUP_RETENTION_MS, MINUTE_ROLLUP_RETENTION_MS } from "@/lib/metrics/rollup-retention";

export interface Job {
  name: string;
  everyMs: number;
  run(): Promise<void>;
}

const DAY = 86_400_000;

/**
 * Keeps the raw tables bounded: prediction logs 7 days, per-minute rollups and sketches 31 days, hourly rollups 90
 * days (lib/metrics/rollup-retention.ts says why they outlive the minutes); expired internal Try-it tokens a day;
 * artifacts no version refers to any more (lib/artifacts/collect-artifacts.ts).
 */
async function retention() {
  const db = await getDb();
  const now = Date.now();
  await db.predictionLog.deleteMany({ where: { createdAt: { lt: new Date(now - PREDICTION_LOG_RETENTION_DAYS * DAY) } } });
  await db.metricRollup.deleteMany({ where: { minute: { lt: new Date(now - MINUTE_ROLLUP_RETENTION_MS) } } });
  await db.metricRollupHour.deleteMany({ where: { hour: { lt: new Date(now - HOURLY_ROLLUP_RETENTION_MS) } } });
  await db.driftSketch.deleteMany({ where: { minute: { lt: new Date(now - 31 * DAY) } } });
  await removeExpiredInternalTokens(db, now);
  await collectArtifacts({ db, now });
}

export const JOBS: Job[] = [{ name: "retention", everyMs: 60 * 60_000, run: retention }, hourlyRollupsJob, driftJob, rolloutJob, ...ALERT_JOBS];
