// One drift evaluation end to end, shared by the scheduled job and `POST /api/endpoints/{name}/drift/evaluate`:
// evaluate the window, store the report (audited `drift.evaluate` in the same transaction when someone asked for
// it), then raise or quietly resolve the drift and data-quality alerts.
import type { Actor } from "@/lib/audit/record-audit";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Db } from "@/lib/db/client";
import { badRequest, notFound } from "@/lib/errors";
import { loadDriftSettings } from "@/lib/drift/drift-settings";
import { evaluateEndpointDrift } from "@/lib/drift/evaluate-endpoint-drift";
import { raiseDriftAlerts, type DriftAlertOutcome } from "@/lib/drift/raise-drift-alerts";
import { storeDriftReport, type StoredDriftReport } from "@/lib/drift/store-drift-report";

export const MAX_DRIFT_WINDOW_MS = 31 * 86_400_000;

export function checkDriftWindow(from: Date, to: Date): void {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw badRequest("from and to must be ISO 8601 dates or epoch milliseconds");
  if (!(from < to)) throw badRequest("from must be before to");
  if (to.getTime() - from.getTime() > MAX_DRIFT_WINDOW_MS) throw badRequest("the window may span at most 31 days");
}

export async function evaluateAndStoreDrift(o: {
  db: Db;
  endpointName: string;
  from: Date;
  to: Date;
  version?: number;
  trigger: "schedule" | "manual";
  /** Set for on-demand evaluations: audited as drift.evaluate. */
  actor?: Actor;
  now?: Date;
}): Promise<{ report: StoredDriftReport; alerts: DriftAlertOutcome }> {
  const { db } = o;
  checkDriftWindow(o.from, o.to);
  const endpoint = await db.endpoint.findUnique({ where: { name: o.endpointName }, select: { id: true, name: true } });
  if (!endpoint) throw notFound(`endpoint '${o.endpointName}' not found`);
  const { settings, error } = await loadDriftSettings(db, endpoint.name);
  const evaluated = await evaluateEndpointDrift({ db, endpointName: endpoint.name, from: o.from, to: o.to, version: o.version, settings });
  if (error) evaluated.notes.push(`the drift settings (drift.${endpoint.name}) are invalid and were ignored: ${error}`);
  const report = await db.$transaction(async (tx) => {
    const stored = await storeDriftReport({ db: tx, endpointId: endpoint.id, report: evaluated, trigger: o.trigger });
    if (o.actor) {
      await recordAudit(tx, o.actor, {
        action: "drift.evaluate",
        objectType: "endpoint",
        objectId: endpoint.name,
        after: {
          reportId: stored.id, version: stored.version, window: stored.window, rows: stored.rows, datasetDrift: stored.datasetDrift,
          drifted: stored.features.filter((f) => f.drifted).map((f) => f.name),
        },
      });
    }
    return stored;
  });
  const alerts = await raiseDriftAlerts({ db, endpointId: endpoint.id, report, settings, now: o.now });
  return { report, alerts };
}
