// The scheduled drift evaluation (a lib/jobs Job: the runner ticks it every minute under an advisory lock). Each
// endpoint is evaluated when its schedule is due — by default every 5 minutes over the last hour, per endpoint
// from the `drift.<name>` setting — once its window holds traffic, over whole minutes (the running minute is flushed
// as it grows, so it is left to the next evaluation, which sees it complete). An endpoint whose evaluation fails is logged and does not stop the others.
import { getDb, type Db } from "@/lib/db/client";
import type { Job } from "@/lib/jobs/job-list";
import { logger } from "@/lib/logger";
import { driftSettingKey, resolveDriftSettings } from "@/lib/drift/drift-settings";
import { evaluateAndStoreDrift } from "@/lib/drift/evaluate-and-store-drift";

const MINUTE = 60_000;
// A tick that runs a little early must not skip a whole period.
const SLACK_MS = 5_000;

export type DriftJobResult = { evaluated: string[]; skipped: string[]; failed: string[]; alerts: number };

export async function runDriftJob(o: { db: Db; now?: Date }): Promise<DriftJobResult> {
  const { db } = o;
  const now = o.now ?? new Date();
  const result: DriftJobResult = { evaluated: [], skipped: [], failed: [], alerts: 0 };
  const endpoints = await db.endpoint.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
  if (!endpoints.length) return result;
  const stored = new Map(
    (await db.setting.findMany({ where: { key: { in: endpoints.map((e) => driftSettingKey(e.name)) } } })).map((s) => [s.key, s.value]),
  );
  const to = new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);
  for (const endpoint of endpoints) {
    const { settings } = resolveDriftSettings(stored.get(driftSettingKey(endpoint.name)));
    const { enabled, everyMinutes, windowMinutes } = settings.schedule;
    const last = await db.driftReport.findFirst({
      where: { endpointId: endpoint.id, trigger: "schedule" },
      orderBy: { createdAt: "desc" },
      select: { windowTo: true },
    });
    const due = enabled && (!last || now.getTime() - last.windowTo.getTime() >= everyMinutes * MINUTE - SLACK_MS);
    const from = new Date(to.getTime() - windowMinutes * MINUTE);
    const hasTraffic = due && (await db.driftSketch.findFirst({ where: { endpointId: endpoint.id, minute: { gte: from, lt: to } }, select: { minute: true } }));
    if (!hasTraffic) {
      result.skipped.push(endpoint.name);
      continue;
    }
    try {
      const { alerts } = await evaluateAndStoreDrift({ db, endpointName: endpoint.name, from, to, trigger: "schedule", now });
      result.evaluated.push(endpoint.name);
      result.alerts += alerts.raised;
    } catch (e) {
      result.failed.push(endpoint.name);
      logger().warn({ err: e, endpoint: endpoint.name }, "drift evaluation failed");
    }
  }
  return result;
}

export const driftJob: Job = {
  name: "drift",
  everyMs: 60_000,
  run: async () => {
    await runDriftJob({ db: await getDb() });
  },
};
