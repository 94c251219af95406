/**
 * Raises an alert, or re-fires the one already open for the same endpoint + signal + feature (Alert.openKey is unique
 * while the alert is unresolved, so the database itself guarantees one open alert per key). Race-safe: two jobs
 * raising at once both end on the same row — the loser of the insert retries as an update.
 */
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit/record-audit";
import { enqueueDeliveries } from "@/lib/webhooks/enqueue-deliveries";
import { ALERT_INCLUDE, type AlertRow } from "./alert-json";
import { statusAfterMute } from "./alert-transitions";
import { maxSeverity, type AlertSeverity } from "./evaluate-bands";
import type { SIGNALS } from "./api-schemas";

export type AlertSignal = (typeof SIGNALS)[number];

export interface RaiseAlertInput {
  db: Db;
  endpointId: string;
  signal: AlertSignal;
  feature?: string;
  severity: AlertSeverity;
  value: number | null;
  threshold: number | null;
  title: string;
  message?: string;
  context?: Record<string, unknown>;
  /** The chart window to link to ("as it fired"); chartTo moves forward on re-fires. */
  chartFrom?: Date;
  chartTo?: Date;
  now?: Date;
}

export function alertOpenKey(endpointId: string, signal: string, feature = ""): string {
  return `${endpointId}:${signal}:${feature}`;
}

const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === "P2002";
const isMissing = (e: unknown) => (e as { code?: string })?.code === "P2025";

export async function raiseAlert(input: RaiseAlertInput): Promise<{ alert: AlertRow; created: boolean }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await input.db.$transaction((tx) => raiseOnce(tx, input));
    } catch (e) {
      // Another raiser inserted (unique openKey) or resolved (update target gone) between our read and write.
      if ((isUniqueViolation(e) || isMissing(e)) && attempt < 5) continue;
      throw e;
    }
  }
}

async function raiseOnce(tx: Tx, i: RaiseAlertInput): Promise<{ alert: AlertRow; created: boolean }> {
  const now = i.now ?? new Date();
  const feature = i.feature ?? "";
  const openKey = alertOpenKey(i.endpointId, i.signal, feature);
  const context = i.context ? (JSON.parse(JSON.stringify(i.context)) as Prisma.InputJsonValue) : undefined;
  const existing = await tx.alert.findUnique({ where: { openKey } });

  if (!existing) {
    const alert = await tx.alert.create({
      data: {
        endpointId: i.endpointId,
        signal: i.signal,
        feature,
        severity: i.severity,
        status: "open",
        openKey,
        title: i.title,
        message: i.message ?? "",
        value: i.value,
        threshold: i.threshold,
        context,
        firedAt: now,
        lastFiredAt: now,
        chartFrom: i.chartFrom,
        chartTo: i.chartTo,
      },
      include: ALERT_INCLUDE,
    });
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: "alert.raise",
      objectType: "alert",
      objectId: alert.id,
      after: { signal: i.signal, feature, severity: i.severity, value: i.value, threshold: i.threshold, endpoint: alert.endpoint?.name },
    });
    await enqueueDeliveries(tx, alert, "alert.opened", now);
    return { alert, created: true };
  }

  const severity = maxSeverity(existing.severity, i.severity);
  const escalated = severity !== existing.severity;
  const muteExpired = existing.status === "muted" && (!existing.mutedUntil || existing.mutedUntil <= now);
  const alert = await tx.alert.update({
    // By openKey, not id: if the alert was resolved meanwhile this fails (P2025) and the retry creates a new one.
    where: { openKey },
    data: {
      lastFiredAt: now,
      fireCount: { increment: 1 },
      value: i.value,
      // The threshold shown is the one of the band the alert is in.
      threshold: escalated || i.severity === existing.severity ? i.threshold : undefined,
      severity,
      title: i.title,
      message: i.message ?? existing.message,
      context,
      chartTo: i.chartTo,
      chartFrom: existing.chartFrom ? undefined : i.chartFrom,
      ...(muteExpired ? { status: statusAfterMute(existing.acknowledgedAt), mutedUntil: null } : {}),
    },
    include: ALERT_INCLUDE,
  });
  if (escalated) {
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: "alert.escalate",
      objectType: "alert",
      objectId: alert.id,
      before: { severity: existing.severity },
      after: { severity, value: i.value, threshold: i.threshold },
    });
    // A muted alert stays quiet, even when it gets worse: that is what muting promises.
    if (alert.status !== "muted") await enqueueDeliveries(tx, alert, "alert.escalated", now);
  }
  return { alert, created: false };
}
