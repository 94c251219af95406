/**
 * The alert jobs, in the shape of lib/jobs/job-list.ts's `Job` (the job runner takes the advisory lock and records
 * JobRun): metric alerts every minute, mute expiry every minute, webhook deliveries every 5 s.
 */
import { getDb } from "@/lib/db/client";
import type { Job } from "@/lib/jobs/job-list";
import { deliverWebhooks } from "@/lib/webhooks/deliver-webhooks";
import { evaluateMetricAlerts } from "./evaluate-metric-alerts";
import { unmuteExpiredAlerts } from "./unmute-expired-alerts";

export const metricAlertsJob: Job = {
  name: "metric-alerts",
  everyMs: 60_000,
  run: async () => {
    await evaluateMetricAlerts({ db: await getDb() });
  },
};

export const alertMuteExpiryJob: Job = {
  name: "alert-mute-expiry",
  everyMs: 60_000,
  run: async () => {
    await unmuteExpiredAlerts({ db: await getDb() });
  },
};

export const webhookDeliveryJob: Job = {
  name: "webhook-deliveries",
  everyMs: 5_000,
  run: async () => {
    await deliverWebhooks({ db: await getDb() });
  },
};

export const ALERT_JOBS: Job[] = [metricAlertsJob, alertMuteExpiryJob, webhookDeliveryJob];
