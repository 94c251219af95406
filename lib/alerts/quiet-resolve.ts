/**
 * Resolves the open alert of endpoint + signal + feature when its condition has not fired for `quietForMs` — the
 * rule-driven end of an alert, by the system actor, audited, and announced to webhooks like a manual resolve.
 */
import type { Db } from "@/lib/db/client";
import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit/record-audit";
import { enqueueDeliveries } from "@/lib/webhooks/enqueue-deliveries";
import { ALERT_INCLUDE, type AlertRow } from "./alert-json";
import { alertOpenKey, type AlertSignal } from "./raise-alert";

export async function quietResolve(o: {
  db: Db;
  endpointId: string;
  signal: AlertSignal;
  feature?: string;
  quietForMs: number;
  now?: Date;
}): Promise<AlertRow | null> {
  const now = o.now ?? new Date();
  const openKey = alertOpenKey(o.endpointId, o.signal, o.feature ?? "");
  const cutoff = new Date(now.getTime() - o.quietForMs);
  return o.db.$transaction(async (tx) => {
    const alert = await tx.alert.findFirst({ where: { openKey, lastFiredAt: { lte: cutoff } } });
    if (!alert) return null;
    // Conditional on the same openKey and lastFiredAt: a re-fire or a manual resolve in between wins.
    const r = await tx.alert.updateMany({
      where: { id: alert.id, openKey, lastFiredAt: alert.lastFiredAt },
      data: { status: "resolved", resolvedAt: now, openKey: null, mutedUntil: null },
    });
    if (r.count !== 1) return null;
    const resolved = await tx.alert.findUniqueOrThrow({ where: { id: alert.id }, include: ALERT_INCLUDE });
    const quietMin = Math.round(o.quietForMs / 60_000);
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: "alert.resolve",
      objectType: "alert",
      objectId: alert.id,
      before: { status: alert.status },
      after: { status: "resolved" },
      reason: `condition has not fired for ${quietMin} min`,
    });
    await enqueueDeliveries(tx, resolved, "alert.resolved", now);
    return resolved;
  });
}
